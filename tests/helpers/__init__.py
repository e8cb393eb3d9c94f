"""Shared test helpers: database fixtures and fakes live here, in one place."""
