"""The benchmark's own code runs (small sizes) so `make bench` cannot rot between runs."""

from __future__ import annotations

import math

import pytest

from tests.perf import bench_foundation as bench


@pytest.mark.gui
def test_bench_measures_every_list_query_and_the_model(gui_db) -> None:
    figures = bench.measure_queries(gui_db, reps=2)
    assert set(figures) == set(bench.list_queries(gui_db))
    assert all(len(v) == 2 and all(t > 0 for t in v) for v in figures.values())
    opened = bench.measure_model_open(gui_db, reps=2)
    assert all(0 < t < math.inf for t in opened)


def test_engine_bench_runs_the_real_command(tmp_path) -> None:
    from tests.perf import bench_engine

    url = f"sqlite:///{tmp_path / 'central.db'}"
    intake_seconds = bench_engine.prepare(url, 200)
    seconds, reports = bench_engine.run_engines(url, 1)
    assert intake_seconds > 0 and seconds > 0
    assert sum(int(r["claimed"]) for r in reports) >= 200
    assert bench_engine.left_new(url) == 0
