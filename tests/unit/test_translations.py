"""Chinese ships complete: every string the screens show has a finished zh_CN translation,
and the compiled .qm is the one built from the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "packline_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(path)
    return {(ctx.findtext("name") or "", msg.findtext("source") or ""): msg.find("translation")
            for ctx in tree.iter("context") for msg in ctx.iter("message")}


def test_every_message_is_translated() -> None:
    unfinished = [key for key, tr in _messages(TS).items()
                  if tr is None or not (tr.text or "").strip() or tr.get("type")]
    assert not unfinished, f"untranslated: {unfinished}"


@pytest.mark.skipif(not (BIN / "pyside6-lupdate").exists(), reason="Qt tools not installed")
def test_ts_covers_every_string_in_the_ui(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(fresh)],
                   check=True, capture_output=True)
    assert set(_messages(fresh)) == set(_messages(TS)), "run `make translations`"


@pytest.mark.skipif(not (BIN / "pyside6-lrelease").exists(), reason="Qt tools not installed")
def test_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    out = tmp_path / "check.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run `make translations`"
