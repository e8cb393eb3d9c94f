"""GUI tests use `gui_db` from the top-level conftest (a private copy of the seeded file)."""
