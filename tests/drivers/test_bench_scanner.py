"""The scanner benchmark's own code runs (small sizes), so it cannot rot between `make bench`
runs. No speed is asserted here."""

from __future__ import annotations

import pytest

from drivers.barcode import ScanKind, parse_scan
from tests.perf import bench_scanner


@pytest.mark.timeout(30)
def test_latency_is_measured_for_every_scan() -> None:
    latencies = bench_scanner.measure_latency(24)
    assert len(latencies) == 24
    assert all(t > 0 for t in latencies)


def test_the_benchmark_codes_are_the_kinds_it_claims() -> None:
    kinds = [parse_scan(code).kind for code in bench_scanner.codes(6)]
    assert kinds == [ScanKind.SKU, ScanKind.BIN, ScanKind.TOTE, ScanKind.ORDER,
                     ScanKind.WAYBILL, ScanKind.COMMAND]
    figures = bench_scanner.measure_parse(10)
    assert set(figures) >= {"EAN-13 (unseen)", "GS1-128 (unseen)", "EAN-13 (repeated)"}
    assert all(v > 0 for v in figures.values())
