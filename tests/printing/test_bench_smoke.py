"""The printing benchmark's own code runs (small sizes), so `make bench` cannot rot."""

from __future__ import annotations

from tests.perf import bench_printing as bench


def test_render_figures_cover_every_format() -> None:
    figures = bench.render_figures(3)
    assert set(bench.GOALS_MS) <= set(figures)
    assert all(values and all(ms > 0 for ms in values) for values in figures.values())


def test_send_throughput_delivers_every_label() -> None:
    assert bench.send_throughput(10, "zpl", in_process=True) > 0
    assert bench.send_throughput(5, "none") > 0  # the fake printer as its own process
