"""Printing benchmark: render time per document and format, and raw send throughput.

Renders N waybills (and slips) with varied Chinese receivers — names, provinces, streets and
tracking numbers all differ, so per-text caches only help with what really repeats (the
sender, field labels) — and reports median and p99 per format: ZPL with the resident font,
ZPL with Chinese as ^GF bitmaps (warm: fixed texts cached; cold: caches cleared before every
label), TSPL, ESC/POS with the printer's Chinese font and as raster, the PDF waybill and the
PNG. Then sends L ZPL labels through `open_transport` to the fake printer running as its own
process (one connection per job, as the print queue does), with and without the ~HS status
query, and reports the total seconds.

Goals: ZPL < 1 ms (resident font), ZPL ^GF < 15 ms, ESC/POS < 5 ms, PDF < 20 ms per
document; 1,000 labels < 10 s. Asserts nothing about speed (the machine is shared and noisy).
Run: `.venv/bin/python tests/perf/bench_printing.py [--n 200] [--labels 1000]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.printing import zpl  # noqa: E402
from app.printing.documents import PackingSlip, Party, SlipLine, Waybill  # noqa: E402
from app.printing.escpos_doc import render_escpos  # noqa: E402
from app.printing.pdf import render_pdf  # noqa: E402
from app.printing.raster import render_png  # noqa: E402
from app.printing.tspl import render_tspl  # noqa: E402
from drivers.printers.transports import open_transport  # noqa: E402
from tests.perf.figures import record, scaled_goal  # noqa: E402

GOALS_MS = {"zpl resident font": 1.0, "zpl ^GF Chinese (warm)": 15.0,
            "zpl ^GF Chinese (cold)": 15.0, "escpos native Chinese": 5.0,
            "pdf waybill": 20.0}
GOAL_LABELS_S = (1000, 10.0)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华玉兰文辉晓红欣怡子涵浩然梓萱"
PLACES = [("浙江省", "杭州市", "西湖区"), ("广东省", "深圳市", "南山区"),
          ("江苏省", "苏州市", "工业园区"), ("四川省", "成都市", "武侯区"),
          ("北京市", "北京市", "朝阳区"), ("上海市", "上海市", "浦东新区"),
          ("湖北省", "武汉市", "洪山区"), ("陕西省", "西安市", "雁塔区"),
          ("福建省", "厦门市", "思明区"), ("山东省", "青岛市", "崂山区")]
STREETS = ["文三路", "科技园南区高新南七道", "星湖街", "天府大道中段", "建国路", "世纪大道",
           "珞喻路", "科技路", "鹭江道", "香港东路"]
PRODUCTS = ["小米手环9 NFC版 黑色", "USB-C 充电线 1m", "保温杯 500ml 蓝色", "无线鼠标 静音版",
            "儿童绘本 套装 8册", "面膜 补水 10片装", "运动袜 男款 5双", "蓝牙耳机 降噪"]


def waybills(n: int, seed: int = 11) -> list[Waybill]:
    rng = random.Random(seed)
    sender = Party("杭州仓 Packline", "0571-87655678", "浙江省", "杭州市", "余杭区",
                   "仓前街道文一西路1500号3号库")
    out = []
    for i in range(n):
        province, city, district = rng.choice(PLACES)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        street = f"{rng.choice(STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}幢" \
                 f"{rng.randint(101, 2808)}室"
        receiver = Party(name, f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}", province,
                         city, district, street)
        out.append(Waybill(
            carrier_code="SF", carrier_name="顺丰速运", tracking_no=f"SF{rng.randrange(10**12):012d}",
            sender=sender, receiver=receiver,
            order_nos=tuple(f"PL26111{rng.randrange(10**8):08d}"
                            for _ in range(rng.choice((1, 1, 2)))),
            package_no=1, package_count=rng.choice((1, 1, 2)), weight_g=rng.randint(80, 9000),
            presale=rng.random() < 0.3, route_code=f"{city[:2]} {district[:2]} A{i % 60:02d}",
            remark=rng.choice(("", "", "易碎 轻放", "周末不送")),
            printed_at=datetime(2026, 11, 11, 10, 23)))
    return out


def slips(n: int, seed: int = 12) -> list[PackingSlip]:
    rng = random.Random(seed)
    return [PackingSlip(
        order_no=f"PL26111{i:08d}", channel_order_no=f"{rng.randrange(10**16):016d}",
        shop="Packline 官方旗舰店",
        receiver_name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
        lines=tuple(SlipLine(f"SKU-{rng.randrange(10**4):04d}", rng.choice(PRODUCTS),
                             rng.randint(1, 3)) for _ in range(rng.randint(1, 5))),
        remark=rng.choice(("", "请开发票")), printed_at=datetime(2026, 11, 11, 10, 23))
        for i in range(n)]


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(render: Callable[[object], bytes], docs: Sequence[object],
          before: Callable[[], None] | None = None) -> list[float]:
    """Milliseconds per document (the first, warming fonts and imports, is rendered first and
    not counted)."""
    render(docs[0])
    out = []
    for doc in docs:
        if before is not None:
            before()
        start = time.perf_counter()
        render(doc)
        out.append((time.perf_counter() - start) * 1000)
    return out


def render_figures(n: int) -> dict[str, list[float]]:
    labels, rolls = waybills(n), slips(n)
    return {
        "zpl resident font": timed(lambda d: zpl.render_zpl(d, cjk="font"), labels),
        "zpl ^GF Chinese (warm)": timed(lambda d: zpl.render_zpl(d, cjk="graphic"), labels),
        "zpl ^GF Chinese (cold)": timed(lambda d: zpl.render_zpl(d, cjk="graphic"), labels,
                                        before=zpl._graphic_text.cache_clear),
        "tspl": timed(lambda d: render_tspl(d), labels),
        "escpos native Chinese": timed(lambda d: render_escpos(d, chinese_font=True), rolls),
        "escpos raster": timed(lambda d: render_escpos(d, chinese_font=False), rolls),
        "pdf waybill": timed(lambda d: render_pdf(d, "100x150"), labels),
        "png waybill (203 dpi)": timed(lambda d: render_png(d, "100x150", 203),
                                       labels[:max(2, n // 4)]),
    }


def send_throughput(count: int, status: str, *, in_process: bool = False) -> float:
    """Seconds to send `count` ZPL labels, one connection each, to the fake printer (its own
    process unless `in_process`), until the printer has recorded every one."""
    labels = [zpl.render_zpl(w, cjk="font") for w in waybills(min(count, 200), seed=3)]
    with tempfile.TemporaryDirectory() as folder:
        if in_process:
            from drivers.printers.fake import FakePrinter

            printer = FakePrinter()
            url = f"{printer.url}?status={status}"
            try:
                seconds = _send(url, labels, count)
                printer.wait_jobs(count, 30)
            finally:
                printer.close()
            return seconds
        process = subprocess.Popen(
            [sys.executable, "-m", "drivers.printers.fake", "--port", "0", "--out", folder],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            assert process.stdout is not None
            port = int(process.stdout.readline())
            seconds = _send(f"tcp://127.0.0.1:{port}?status={status}", labels, count)
            written = len(list(Path(folder).iterdir()))
            if written != count:
                raise RuntimeError(f"the printer recorded {written} of {count} labels")
        finally:
            process.terminate()
            process.communicate(timeout=10)
        return seconds


def _send(url: str, labels: list[bytes], count: int) -> float:
    transport = open_transport(url, timeout=5.0, language="zpl")
    start = time.perf_counter()
    for i in range(count):
        transport.send(labels[i % len(labels)], f"J{i:06d}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="documents per format (200)")
    parser.add_argument("--labels", type=int, default=1000, help="labels to send (1000)")
    args = parser.parse_args()

    print(f"== render time per document, {args.n} documents, varied receivers (ms)")
    print(f"  {'format':26s} {'median':>8s} {'p99':>8s}   goal")
    for name, values in render_figures(args.n).items():
        goal = GOALS_MS.get(name)
        verdict = "" if goal is None else \
            f"< {goal:g} ms: {'met' if statistics.median(values) < goal else 'NOT met'}"
        print(f"  {name:26s} {statistics.median(values):8.3f} {pct(values, 0.99):8.3f}   "
              f"{verdict}")
        record(f"label render: {name}", median=statistics.median(values),
               p99=pct(values, 0.99), goal=None if goal is None else f"< {goal:g} ms",
               target=goal, goal_on="median", unit="ms",
               note=f"{args.n} documents, varied Chinese receivers")
    goal_count, goal_seconds = GOAL_LABELS_S
    print(f"== {args.labels} ZPL labels through open_transport to the fake printer process, "
          "one connection per job")
    sent = {}
    for status in ("zpl", "none"):
        seconds = sent[status] = send_throughput(args.labels, status)
        scaled = seconds * goal_count / args.labels
        print(f"  status={status:5s} {seconds:7.2f} s total, {seconds / args.labels * 1000:6.2f} "
              f"ms per label   goal {goal_count} < {goal_seconds:g} s: "
              f"{'met' if scaled < goal_seconds else 'NOT met'}")
    record(f"{args.labels:,} ZPL labels straight to a 9100 socket, ~HS each", median=sent["zpl"],
           goal=scaled_goal(goal_seconds, args.labels, goal_count), unit="s", limit=sent["none"],
           limit_what="without ~HS",
           note="open_transport to the fake printer's process, one connection per label")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
