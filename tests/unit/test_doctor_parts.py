"""The doctor's parts that need no station: secrets taken out of a settings file, a check
that never answers failing on its own time limit, the clock's thresholds."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

from app import doctor
from app.config import Paths
from app.doctor import Check, Probe, redact_settings, run_bounded


def test_secrets_are_taken_out_of_a_settings_file_and_the_rest_is_kept() -> None:
    text = ("# Packline station settings ; the secret keys below are blanked\n"
            "[central]\n"
            "url = postgresql+psycopg://packline:Hunter2Pw@db.lan:5432/packline\n"
            "connect_timeout = 5\n\n"
            "[shop:TB1]\n"
            "app_key = 12345678\n"
            "app_secret = 9f8e7d6c5b4a\n"
            "Session-Key: 6201c7a0ffee\n"
            "token =\n"
            "    first-line-of-a-token\n"
            "    second-line-of-a-token\n"
            "    ; a comment under it\n"
            "password = p@ss word ; why\r\n"
            "dsn = host=db password=LibpqPw123 user=x\n")
    out = redact_settings(text)
    for secret in ("Hunter2Pw", "9f8e7d6c5b4a", "6201c7a0ffee", "first-line-of-a-token",
                   "second-line-of-a-token", "p@ss word", "LibpqPw123"):
        assert secret not in out, secret
    assert "url = postgresql+psycopg://packline:***@db.lan:5432/packline\n" in out
    assert "app_key = 12345678\n" in out and "connect_timeout = 5\n" in out
    assert "app_secret = ***\n" in out and "Session-Key: ***\n" in out
    assert "token =\n    ***\n    ***\n    ; a comment under it\n" in out
    assert "password = ***\r\n" in out  # the line ending as it was
    assert out.startswith("# Packline station settings ; the secret keys below are blanked\n")
    assert "[shop:TB1]\n" in out


def test_a_check_that_never_answers_fails_on_its_own_time_limit() -> None:
    never = threading.Event()

    def hangs() -> list[Check]:
        never.wait()
        return []

    def breaks() -> list[Check]:
        raise OSError("the device vanished")

    try:
        checks = run_bounded([
            Probe(("first",), 5.0, lambda: [Check("first", "ok", "fine")]),
            Probe(("dead server", "its clock"), 0.2, hangs),
            Probe(("broken",), 5.0, breaks),
        ])
    finally:
        never.set()
    assert [(c.name, c.status) for c in checks] == [
        ("first", "ok"), ("dead server", "fail"), ("its clock", "fail"), ("broken", "fail")]
    assert checks[1].message == "no answer within 0.2 s"
    assert checks[3].message == "the device vanished"


def test_the_clock_thresholds() -> None:
    assert doctor._clock_check((1.5, 0.01)).status == "ok"
    assert doctor._clock_check((-doctor.SKEW_WARN_S - 1, 0.01)).status == "warn"
    late = doctor._clock_check((doctor.SKEW_FAIL_S + 30, 0.02))
    assert late.status == "fail" and "ahead of this PC's" in late.message
    assert doctor._clock_check(None).status == "skip"


def test_the_report_is_ok_unless_something_failed() -> None:
    warned = doctor.Report("1.0", (Check("disk", "warn", "low"), Check("x", "skip", "")))
    failed = doctor.Report("1.0", (Check("disk", "fail", "full"),))
    assert warned.ok and not failed.ok
    assert warned.as_json() == {"version": "1.0", "ok": True, "checks": [
        {"name": "disk", "status": "warn", "message": "low", "details": {}},
        {"name": "x", "status": "skip", "message": "", "details": {}}]}
    assert "WARN    disk" in warned.text() and "FAIL    disk" in failed.text()


def test_the_bundle_takes_the_logs_not_bundles_partial_files_or_locks(tmp_path: Path) -> None:
    """A bundle written into the logs folder itself, beside earlier bundles, the log's lock
    file and a partial file: only the logs go in."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("packline.log", "packline.log.1", "crash-4242.log"):
        (logs / name).write_text(f"{name}: a line\n", encoding="utf-8")
    for name in ("bundle-monday.zip", ".__packline.lock", "x.tmp", ".hidden", "other.lock"):
        (logs / name).write_bytes(b"PK\x03\x04 not a log")
    report = doctor.Report("1.0", (Check("version", "ok", "fine"),))
    target = logs / "bundle-today.zip"
    names = doctor.bundle(target, report, Paths(tmp_path), [])
    assert sorted(n for n in names if n.startswith("logs/")) == [
        "logs/crash-4242.log", "logs/packline.log", "logs/packline.log.1"]
    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == sorted(names)
    assert sorted(p.name for p in logs.iterdir()) == sorted([
        "packline.log", "packline.log.1", "crash-4242.log", "bundle-monday.zip",
        ".__packline.lock", "x.tmp", ".hidden", "other.lock", "bundle-today.zip"])
