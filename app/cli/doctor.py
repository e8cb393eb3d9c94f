"""`packline doctor [--json] [--bundle FILE]`: the station checked for IT (`app.doctor`).

It reads the station's settings itself, so that a station whose settings file is broken is
still checked (that file's problem is one failed check) and its logs can still be bundled."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    doctor = sub.add_parser(
        "doctor", help="check this station: version, settings, central database and its "
                       "schema, station store, printers, devices, fonts, disk, clock",
        description="Each check says ok, warn, fail or skip; exit 1 when anything failed "
                    "(something the station needs is missing), else 0. Nothing is printed "
                    "on a printer, no serial port is opened, nothing is written but the "
                    "bundle. docs/doctor.md describes every check.")
    doctor.add_argument("--json", action="store_true",
                        help="one JSON document: {version, ok, checks: [...]}")
    doctor.add_argument("--bundle", metavar="FILE", type=Path,
                        help="also write a zip for support: the logs, the settings files "
                             "(secrets removed) and this output; never the station's database")
    doctor.set_defaults(func=cmd_doctor, needs_config=False)


def cmd_doctor(_cfg: Any, args: argparse.Namespace) -> int:
    """Reads only: IT may run it as root or as an administrator, and whatever it made in
    the station's folders (a log file, the machine's data folder) would then be theirs and
    closed to the station's own account. So the folders are not made, an older settings
    file is not rewritten, and what it logs goes to stderr, not into the station's log."""
    from app import doctor
    from app.config import SettingsError, load_config, station_paths

    to_stderr()
    cfg = problem = None
    try:
        cfg = load_config(args.home, flags=args.settings_flags, write=False)
    except SettingsError as exc:
        problem = exc
    paths = cfg.paths if cfg is not None else station_paths(args.home, create=False)
    report = doctor.run(cfg, paths, problem)
    sys.stdout.write(report.json_text() + "\n" if args.json else report.text())
    sys.stdout.flush()
    if args.bundle is not None:
        files = doctor.setting_files(cfg, paths)
        try:
            names = doctor.bundle(args.bundle, report, paths, files)
        except OSError as exc:
            print(f"packline: cannot write {args.bundle}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 2
        print(f"packline: support bundle {args.bundle}: {len(names)} files "
              f"({sum(n.startswith('logs/') for n in names)} from the logs folder)",
              file=sys.stderr)
    return 0 if report.ok else 1


def to_stderr() -> None:
    """Packline's warnings on stderr (nothing into the station's log folder)."""
    from app.logs import RedactingFormatter

    root = logging.getLogger("packline")
    if any(getattr(h, "_packline", False) for h in root.handlers):
        return
    err = logging.StreamHandler()
    err.setLevel(logging.WARNING)
    err.setFormatter(RedactingFormatter("packline: %(message)s"))
    err._packline = True  # type: ignore[attr-defined]
    root.addHandler(err)
    root.setLevel(logging.WARNING)
