"""The README and the station template document every settings key IT can write; the
security notes show the permission matrix the code enforces."""

from __future__ import annotations

from pathlib import Path

from app.config import OPTIONS, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_every_settings_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [o.name for o in OPTIONS if f"`[{o.section}] {o.key}`" not in readme]
    assert not missing


def test_station_template_is_a_valid_settings_file() -> None:
    template = ROOT / "packaging" / "station.ini.example"
    settings = Settings.load(template)
    assert settings.get("station.code") == "ST-HZ-PACK-01"
    assert settings.get("demo.seed_on_first_start") is True
    text = template.read_text(encoding="utf-8")
    assert all(f"{o.key} =" in text or f"# {o.key} =" in text for o in OPTIONS)


def test_security_doc_shows_the_permission_matrix_of_the_code() -> None:
    from app.services import access

    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.partition(access.MATRIX_BEGIN)[2].partition(access.MATRIX_END)[0]
    assert section.strip() == access.matrix_markdown().strip(), (
        "docs/security.md is out of date: run `python -m app.services.access`")
