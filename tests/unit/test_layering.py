"""Layering: every module of app.domain and drivers imports without PySide6 or SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import importlib, json, pkgutil, sys

    imported = []
    for package_name in ("app.domain", "drivers"):
        package = importlib.import_module(package_name)
        imported.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    forbidden = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("PySide6", "shiboken6", "sqlalchemy"))
    print(json.dumps({"imported": imported, "forbidden": forbidden}))
""")


def _probe(code: str) -> dict[str, list[str]]:
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result: dict[str, list[str]] = json.loads(run.stdout)
    return result


def test_domain_and_drivers_import_neither_qt_nor_sqlalchemy() -> None:
    result = _probe(PROBE)
    expected = {f"app.domain.{p.stem}" for p in (REPO / "app" / "domain").glob("*.py")
                if p.stem != "__init__"}
    expected |= {"drivers." + ".".join(p.relative_to(REPO / "drivers").with_suffix("").parts)
                 for p in (REPO / "drivers").rglob("*.py") if p.stem != "__init__"}
    assert expected <= set(result["imported"])
    assert "app.domain.status" in result["imported"]
    assert result["forbidden"] == []


def test_the_probe_would_notice_a_forbidden_import() -> None:
    # The same probe, with a module that drags SQLAlchemy in, must report it.
    result = _probe(PROBE.replace('("app.domain", "drivers")', '("app.domain", "app.services")'))
    assert "sqlalchemy" in result["forbidden"]
