"""The scaling benchmark's own code runs on real parts (a PgBouncer, a replica, tiny sizes), so
`python tests/perf/bench_scaling.py` cannot rot between runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.databases import require_pg


@pytest.mark.pg
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_scaling_bench_measures_each_step(tmp_path: Path) -> None:
    from tests.perf import bench_scaling

    require_pg()
    figures = bench_scaling.run(300, clients=6, direct=3, pool=2, seconds=2, rate=20,
                                folder=tmp_path, workers=2)
    direct, *pooled = figures["rounds"]
    assert direct["held"] >= 1 and all(r["held"] <= 2 for r in pooled)
    assert all(r["rounds"] > 0 and not r["failures"] for r in figures["rounds"])
    for phase in ("at rest", "under load"):
        assert all(figures[phase][k] for k in figures[phase])
    assert figures["lag"] and figures["intake_per_s"] > 0
