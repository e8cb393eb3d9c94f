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


def test_engine_bench_pipeline_runs_engines_beside_intake() -> None:
    from tests.helpers.databases import require_pg, scratch_pg_database
    from tests.perf import bench_engine

    require_pg()
    with scratch_pg_database("pipe") as url:
        intake_done, seconds = bench_engine.pipeline(url, 300, 2)
        assert 0 < intake_done <= seconds
        assert bench_engine.left_new(url) == 0


def test_print_queue_bench_runs_the_real_queue() -> None:
    from tests.perf import bench_print_queue

    figures = bench_print_queue.run(20)
    assert figures["received"] == 20 and figures["sent"] > 0


def test_wave_bench_plans_and_releases_on_the_real_services(tmp_path) -> None:
    from tests.perf import bench_engine, bench_waves_release

    url = f"sqlite:///{tmp_path / 'central.db'}"
    bench_engine.prepare(url, 300)
    bench_engine.run_engines(url, 1)
    figures = bench_waves_release.measure(url, reps=1)
    assert figures["routed"] > 0
    seconds, orders, waves_released = figures["release"]
    assert orders == figures["plans"]["per_order"][1] and waves_released > 0


@pytest.mark.gui
def test_packing_bench_measures_scans_through_the_screen(qapp) -> None:
    from tests.perf import bench_packing

    figures = bench_packing.run(3)
    assert figures["scans"] >= 3 and figures["p50"] > 0 and figures["stall"] > 0
    assert figures["rounds"] >= 1  # the pusher ran beside the scans


@pytest.mark.gui
@pytest.mark.pg
def test_packing_bench_runs_with_the_central_database_on_postgresql(qapp, tmp_path,
                                                                    monkeypatch) -> None:
    import json

    from tests.helpers.databases import require_pg
    from tests.perf import bench_packing, figures

    require_pg()
    f = bench_packing.run(3, central_db="pg", pace_ms=50, sync_every_ms=500)
    assert f["scans"] >= 3 and f["p50"] > 0 and f["stall"] > 0 and f["rounds"] >= 1
    out = tmp_path / "figures.jsonl"
    monkeypatch.setenv("PACKLINE_BENCH_FIGURES", str(out))
    figures.record("scan → screen p99 (PostgreSQL, paced)", median=f["p50"], p99=f["p99"],
                   goal=20.0, unit="ms")
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["figure"] == "scan → screen p99 (PostgreSQL, paced)" and line["p99"] == f["p99"]


def test_sync_bench_pushes_and_pulls_through_the_real_paths() -> None:
    from tests.helpers.databases import require_pg
    from tests.perf import bench_sync

    require_pg()
    f = bench_sync.run(orders=60, skus=100)
    assert f["events"] >= 40 and f["pushed"] == f["events"] == f["applied"]
    assert f["refused"] == 0 and f["packed"] >= f["events"]
    assert f["first_rows"] >= 200 and f["again_rows"] >= 200


def test_dashboard_bench_times_the_real_snapshot_on_postgresql() -> None:
    from tests.helpers.databases import require_pg
    from tests.perf import bench_dashboard

    require_pg()
    f = bench_dashboard.run(live=3_000, history=1_000, people=20, free_numbers=500, reps=2,
                            refreshes=0, churn_share=0.05, plan=True)
    alone, settled = f["alone"], f["settled"]
    assert alone["snapshot"].backlog.total == settled["snapshot"].backlog.total == 3_000
    assert len(settled["whole"]) == 2 and all(t > 0 for t in settled["queries"])
    # Without the engine's count each refresh counts the live orders; with it, none does.
    assert {"_live_orders", "_slots", "_free_numbers"} <= set(alone["by_function"])
    assert "_live_orders" not in settled["by_function"] and "_summary" in \
        settled["by_function"]
    assert settled["snapshot"].backlog_at != settled["snapshot"].at
    assert len(f["counts"]) == 1 and f["counts"][0] > 0
    assert "ix_orders_live" in f["plan"]  # the live orders are counted from the index
    assert f["moved"] > 0 and f["churned"]["snapshot"].backlog.total == 3_000


def test_platforms_bench_runs_the_real_pull_waybills_confirmations_and_printing() -> None:
    from tests.helpers.databases import require_pg
    from tests.perf import bench_platforms

    require_pg()
    f = bench_platforms.run(trades=150, parcels=15, prefetch=15, jobs=10, rate=100.0)
    assert f["pull"]["first"]["created"] == 150 and f["pull"]["again"]["created"] == 0
    assert f["issue"]["boxes"] == 15 and f["prefetch"]["issued"] == 15
    assert f["handover"]["queued"] == 15
    assert f["rated"]["check"] == f["unlimited"]["check"] == (15, 15, 0)
    assert f["print"]["printed_once"] == 10 and f["print"]["received"] == 10
    assert bench_platforms.report(f)  # every check the bench prints holds


def test_figures_are_written_only_where_asked(tmp_path, monkeypatch) -> None:
    from tests.perf import figures

    out = tmp_path / "figures.jsonl"
    monkeypatch.delenv(figures.ENV, raising=False)
    figures.record("nothing asked", median=1.0)
    assert not out.exists()
    monkeypatch.setenv(figures.ENV, str(out))
    figures.record("render", median=2.0, p99=4.0, goal=5.0, unit="ms", limit=1.0)
    figures.record("rate", median=3_000.0, goal=5_000, unit="orders/s", limit=8_000.0,
                   limit_what="plain SQL")
    render, rate = figures.load(out)
    assert (render.goal, render.goal_on, render.met(), render.ratio()) == \
        ("p99 < 5 ms", "p99", True, 0.5)  # a time: the limit over the figure
    assert (rate.goal, rate.better, rate.met(), rate.ratio()) == \
        ("≥ 5,000 orders/s", "higher", False, 0.375)  # a rate: the figure over the limit


def _script(tmp_path, name: str, body: str):
    from tests.perf import bench_table

    path = tmp_path / f"{name}.py"
    path.write_text("import sys\nfrom tests.perf.figures import record\n" + body,
                    encoding="utf-8")
    return bench_table.Script(name, f"{name} title", (str(path),))


def test_the_table_runs_a_real_benchmark_and_shows_its_row(tmp_path) -> None:
    import json
    import subprocess
    import sys

    from tests.perf import bench_table

    done = subprocess.run([sys.executable, str(bench_table.ROOT / "tests/perf/bench_table.py"),
                           "--only", "scanner", "--quick", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "scanner: pty → on_scan" in done.stdout and "p99 < 5 ms" in done.stdout
    assert "== scanner latency" in (tmp_path / "scanner.log").read_text(encoding="utf-8")
    assert "scanner: pty → on_scan" in (tmp_path / "table.md").read_text(encoding="utf-8")
    (row,) = json.loads((tmp_path / "table.json").read_text(encoding="utf-8"))["figures"]
    assert row["script"] == "scanner" and row["median"] > 0 and row["limit"] > 0
    assert row["ratio"] > 0


def test_a_failing_benchmark_shows_as_failed_and_the_table_still_prints(tmp_path) -> None:
    from tests.perf import bench_table

    scripts = [
        _script(tmp_path, "fine", "record('fine figure', median=1.5, unit='s', goal=2)\n"),
        _script(tmp_path, "broken", "record('half done', median=3.0, unit='ms')\n"
                                    "print('it went wrong')\nsys.exit(3)\n"),
        _script(tmp_path, "silent", "pass\n"),
    ]
    out = tmp_path / "bench"
    outcomes, table, text = bench_table.run_table(scripts, out, echo=False)
    assert [o.status for o in outcomes] == ["ok", "failed", "ok"]
    figures = {f.figure: f for f in table}
    assert figures["fine figure"].met() is True and figures["half done"].median == 3.0
    assert figures["broken title"].failed.startswith("FAILED (exit 3)")
    assert "broken.log" in figures["broken title"].failed
    assert "no figures recorded" in figures["silent title"].failed
    assert "it went wrong" in (out / "broken.log").read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.startswith("broken title"))
    assert "FAILED" in line
    assert "broken title" in (out / "table.md").read_text(encoding="utf-8")


def test_a_missing_bundle_is_said_not_failed(tmp_path) -> None:
    from tests.perf import bench_table

    script = bench_table.Script("cold", "cold start", ("packaging/smoke_frozen.py",),
                                build=("-c", "raise SystemExit(9)"),
                                needs="dist/no-such-bundle", missing="not built — make package")
    outcomes, table, _text = bench_table.run_table([script], tmp_path, build=False,
                                                   echo=False)
    assert outcomes[0].status == "missing" and table[0].failed == "not built — make package"
