"""`packline presale …` and `packline simulate --presale` as a shift lead types them, on a
demo station folder: the scenario's figures, the ledger, and refusals in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import packline

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("presale_cli")
    run = packline(folder, "demo", "seed", "--orders", "50", "--seed", "4")
    assert run.returncode == 0, run.stderr
    return folder


def test_simulate_presale_prints_its_figures_and_the_ledger_agrees(home: Path) -> None:
    run = packline(home, "simulate", "--presale", "--orders", "50", "--json",
                   as_user="lead01", timeout=300)
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert figures["campaign"] == "PS-SIM-1"
    assert (figures["orders"], figures["packed"], figures["shipped"]) == (50, 50, 45)
    assert (figures["refunded"], figures["never_paid"], figures["units_put_back"]) == (3, 2, 5)
    assert figures["refused_unpaid_scans"] == 1
    assert figures["paid_to_handover_ms"]["median"] > figures["paid_to_scan_ms"]["median"] > 0
    last = figures["ledger"][-1]
    stock = packline(home, "presale", "stock", "PS-SIM-1", "--json")
    assert stock.returncode == 0, stock.stderr
    position = json.loads(stock.stdout)
    assert (position["on_hand"], position["presale_held"], position["pool_promised"]) == (
        last["on_hand"], 0, 45) == (60 - 45, 0, 45)
    text = packline(home, "presale", "stock", "PS-SIM-1")
    assert "PS-SIM-1 (real)" in text.stdout and "HZ" in text.stdout
    waiting = packline(home, "presale", "waiting", "PS-SIM-1", "--json")
    assert json.loads(waiting.stdout) == []
    # A second run takes a campaign of its own.
    again = packline(home, "simulate", "--presale", "--orders", "20", "--json",
                     as_user="lead01", timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["campaign"] == "PS-SIM-2"


def test_refusals_are_worded_and_change_nothing(home: Path) -> None:
    mode = packline(home, "presale", "mode", "PS-DOUBLE", "real", as_user="lead01")
    assert mode.returncode != 0 and "PS-DOUBLE" in mode.stderr
    wave = packline(home, "presale", "prepack-wave", "PS-OFFSET", "--warehouse", "HZ",
                    as_user="lead01")
    assert wave.returncode != 0 and "PS-OFFSET" in wave.stderr
    packer = packline(home, "presale", "close", "PS-OFFSET", as_user="packer01")
    assert packer.returncode != 0
    nothing = packline(home, "simulate", as_user="lead01")
    assert nothing.returncode != 0
    unknown = packline(home, "presale", "stock", "PS-NOPE")
    assert unknown.returncode != 0 and "PS-NOPE" in unknown.stderr
