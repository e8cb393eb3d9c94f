"""Print queue benchmark (`make bench`): 1,000 waybills through the station's real queue to a
fake 9100 printer running as its own process (goal: all printed in under 10 s).

Times, separately: rendering and storing the 1,000 jobs (`print_queue.enqueue`, ZPL with Chinese as
graphics), and the spooler sending them, one connection per job with the ~HS status query, from
start to the last job marked printed. Then checks the printer received each job exactly once.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.printers import PrinterSpec  # noqa: E402
from app.printing.documents import Party, Waybill  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.station import print_queue  # noqa: E402
from app.station.models import PrintJob  # noqa: E402
from app.station.spooler import Spooler  # noqa: E402
from app.station.store import open_store  # noqa: E402
from app.store.db import Database  # noqa: E402
from drivers.printers.transports import open_transport  # noqa: E402
from tests.perf.figures import record, scaled_goal  # noqa: E402

GOAL_S = 10.0
NAMES = ("张三", "李小龙", "王芳", "欧阳娜娜", "陈晓明", "赵丽颖")
PLACES = (("浙江省", "杭州市", "西湖区", "文三路90号东部软件园3号楼"),
          ("广东省", "深圳市", "南山区", "科技园南区高新南七道8栋"),
          ("北京市", "北京市", "朝阳区", "建国路88号SOHO现代城2号楼1801"))


def waybill(n: int) -> Waybill:
    province, city, district, address = PLACES[n % len(PLACES)]
    return Waybill(
        carrier_code="SF", carrier_name="顺丰速运", tracking_no=f"SF{7_000_000_000 + n:012d}",
        sender=Party("天猫旗舰店", "0571-88886666", "浙江省", "杭州市", "余杭区",
                     "仓前街道良睦路1399号"),
        receiver=Party(NAMES[n % len(NAMES)], f"138{n % 10**8:08d}", province, city,
                       district, address),
        order_nos=(f"PL261111{n:07d}",), package_no=1, package_count=1, weight_g=1250,
        presale=n % 5 == 0, route_code=f"{city.removesuffix('市')} {district}",
        printed_at=datetime(2026, 11, 11, 8, 0, tzinfo=UTC))


def run(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "printed"
        out.mkdir()
        fake = subprocess.Popen([sys.executable, "-m", "drivers.printers.fake", "--port", "0",
                                 "--language", "zpl", "--out", str(out)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert fake.stdout is not None
            port = int(fake.stdout.readline())
            spec = PrinterSpec("label", f"tcp://127.0.0.1:{port}", "zpl", 203, "100x150")
            store = open_store(Path(tmp) / "station.db")
            start = time.perf_counter()
            for n in range(count):
                print_queue.enqueue(store, system_actor(), spec, waybill(n), kind="waybill",
                                    ref=f"SF{n}", dedupe_key=f"waybill:{n}:1")
            stored = time.perf_counter() - start
            spooler = Spooler(store, {"label": spec}, Path(tmp) / "prints")
            start = time.perf_counter()
            spooler.start()
            while True:
                with store.reader() as s:
                    left = s.scalar(select(func.count()).select_from(PrintJob)
                                    .where(PrintJob.status != "sent"))
                if not left:
                    break
                time.sleep(0.02)
            sent = time.perf_counter() - start
            spooler.stop()
            deadline = time.monotonic() + 10
            while len(list(out.iterdir())) < count and time.monotonic() < deadline:
                time.sleep(0.05)
            received = len(list(out.iterdir()))
            raw = send_raw(store, spec)
            store.dispose()
        finally:
            fake.terminate()
            fake.communicate(timeout=10)  # reaps it and closes its pipe
    return {"stored": stored, "sent": sent, "received": received, "raw": raw}


def send_raw(store: Database, spec: PrinterSpec) -> float:
    """The limit: the same jobs' bytes sent straight to the same printer, one connection and
    status query each as the spooler sends them, with nothing stored or marked between."""
    with store.reader() as s:
        jobs = list(s.execute(select(PrintJob.id, PrintJob.data)
                              .order_by(PrintJob.created_at)))
    transport = open_transport(spec.url, timeout=spec.timeout, language=spec.language)
    start = time.perf_counter()
    for job_id, data in jobs:
        transport.send(data, job_id)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    args = parser.parse_args()
    figures = run(args.jobs)
    n = args.jobs
    print(f"== print queue: {n:,} ZPL waybills to a fake 9100 printer (separate process)")
    print(f"  render + store  {figures['stored']:6.2f} s  ({figures['stored'] / n * 1000:5.2f} ms "
          f"per job)")
    print(f"  send (queue)    {figures['sent']:6.2f} s  ({n / figures['sent']:7.0f} jobs/s)  "
          f"goal < {GOAL_S:.0f} s: {'met' if figures['sent'] < GOAL_S else 'NOT met'}")
    print(f"  printer received {int(figures['received']):,} jobs (each exactly once: "
          f"{'yes' if figures['received'] == n else 'NO'})")
    print(f"  the same bytes sent straight to the printer (the limit) {figures['raw']:6.2f} s")
    record(f"{n:,} labels through the print queue", median=figures["sent"],
           goal=scaled_goal(GOAL_S, n, 1000), unit="s", limit=figures["raw"],
           limit_what="same bytes, raw socket",
           note=f"ZPL, Chinese as graphics, to a fake 9100 printer process with ~HS each; "
                f"render + store {figures['stored']:.2f} s before")
    return 0 if figures["received"] == n else 1


if __name__ == "__main__":
    sys.exit(main())
