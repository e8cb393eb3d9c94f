"""`packline devices list` and `packline devices listen` as real processes, listening to a
scanner on a pseudo-terminal and an A&D scale over `socket://`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from drivers.sim import PtyFeed, ScaleEmulator, TcpFeedServer
from tests.helpers.cli import packline, packline_process
from tests.helpers.waiting import eventually


def _listen(home: Path, *args: str) -> subprocess.Popen[str]:
    return packline_process(home, "devices", "listen", *args)


def _end(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)  # drains and closes the pipes


def _first_line(proc: subprocess.Popen[str]) -> dict[str, object]:
    assert proc.stdout is not None
    return json.loads(proc.stdout.readline())


def test_list_names_the_ports_and_the_configured_devices(tmp_path: Path) -> None:
    (tmp_path / "station.ini").write_text(
        "[device:pack]\nkind = scanner\nurl = usbserial://1a86:7523?suffix=CR\n",
        encoding="utf-8")
    done = packline(tmp_path, "devices", "list")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    configured = [r for r in rows if r["type"] == "device"]
    assert [(r["name"], r["kind"]) for r in configured] == [("pack", "scanner"),
                                                           ("wedge", "wedge")]
    assert all(set(r) >= {"device", "vid", "pid", "url"} for r in rows if r["type"] == "port")


def test_a_bad_url_is_refused_before_anything_starts(tmp_path: Path) -> None:
    done = packline(tmp_path, "devices", "listen", "--scanner", "serial://", "--seconds", "1")
    assert done.returncode == 2
    assert "「serial://」需要设备路径" in done.stderr  # the station speaks Chinese by default
    assert done.stdout == ""


@pytest.mark.timeout(60)
def test_listen_prints_each_parsed_scan_as_json(tmp_path: Path) -> None:
    feed = PtyFeed()
    proc = _listen(tmp_path, "--scanner", f"{feed.url}?suffix=CRLF", "--count", "2",
                   "--status")
    try:
        assert _first_line(proc)["status"] in ("connecting", "connected")
        # The port is open once the scanner says connected; scans written before are lost on a
        # real line too, so wait for it.
        line = _first_line(proc)
        while line.get("type") == "status" and line["status"] != "connected":
            line = _first_line(proc)
        feed.write("]C1010690123456789210ABC123\x1d17271231", "\r\n")
        scan = _first_line(proc)
        assert scan["kind"] == "sku" and scan["gtin"] == "06901234567892"
        assert (scan["batch"], scan["expiry"], scan["symbology"]) == ("ABC123", "2027-12-31",
                                                                      "]C1")
        feed.write("cmd-newbox", "\r\n")
        assert _first_line(proc)["command"] == "NEWBOX"
        assert proc.wait(20) == 0
    finally:
        _end(proc)
        feed.close()


@pytest.mark.timeout(60)
def test_listen_prints_each_settled_weight_once(tmp_path: Path) -> None:
    with TcpFeedServer() as server:
        scale = ScaleEmulator(server, "ad", interval_ms=20)
        scale.set(1250, stable=False)
        scale.start()
        proc = _listen(tmp_path, "--scale", f"{server.url}?protocol=ad", "--count", "2")
        try:
            assert server.wait_connections(1, timeout=20)
            # Moving: readings that must not settle. Those sent come before the stable ones
            # on the same line, so a weight printed for them would be the first line read.
            sent = scale.frames
            eventually(lambda: scale.frames >= sent + 10, what="ten moving readings sent",
                       timeout=20)
            scale.set(1250)
            first = _first_line(proc)
            scale.set(0)
            second = _first_line(proc)
            assert (first["type"], first["grams"], first["stable"]) == ("weight", 1250, True)
            assert second["grams"] == 0
            assert proc.wait(20) == 0
        finally:
            scale.stop()
            _end(proc)
