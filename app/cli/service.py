"""`packline service install|remove|start|stop|debug|run`: the order engine as a Windows
service (`app/winservice.py`), for IT on the PC that runs the engine. Windows only: elsewhere
the command says so and exits 2 (there `packline engine run` runs under the system's own
service manager). None of it reads the station's settings first: `run` and `debug` read them
as the engine starts, the others touch only the Windows service."""

from __future__ import annotations

import argparse
import sys
from typing import Any

NOT_WINDOWS = ("`packline service` runs the order engine as a Windows service and exists only "
               "on Windows; on this system run `packline engine run` under its own service "
               "manager (a systemd unit, say)")


def add_parser(sub: Any) -> None:
    """`packline service …` under the command line's subcommands."""
    service = sub.add_parser(
        "service", help="the order engine as a Windows service (Windows only; IT)",
        description="Registers, starts, stops and removes the Windows service "
                    "PacklineEngine, which runs `packline engine run` from the installed "
                    "packline-console.exe. Needs an administrator (except debug).",
    ).add_subparsers(dest="service_command", required=True)
    install = service.add_parser(
        "install", help="register the service (start at boot, restart after a failure); "
                        "again after an upgrade")
    install.add_argument("--token-stdin", action="store_true",
                         help="read the engine's service-account token from standard input "
                              "and keep it for the service (readable by SYSTEM, the "
                              "Administrators and the service only)")
    service.add_parser("remove", help="stop and remove the service")
    service.add_parser("start", help="start the service and wait until it runs")
    service.add_parser("stop", help="stop the service and wait until it has stopped")
    service.add_parser("debug", help="run the service's engine in this console (Ctrl+C stops)")
    service.add_parser("run", help="what Windows starts (not for people)")
    for action in service.choices.values():
        action.set_defaults(func=cmd_service, needs_config=False)


def cmd_service(cfg: object, args: argparse.Namespace) -> int:
    if sys.platform != "win32":
        print(f"packline: {NOT_WINDOWS}", file=sys.stderr)
        return 2
    from app import winservice

    action = args.service_command
    try:
        if action == "run":
            return winservice.host()
        if action == "debug":
            return winservice.debug()
        if action == "install":
            token = None
            if args.token_stdin:
                token = sys.stdin.readline().strip()
                if not token:
                    raise winservice.ServiceRefused("standard input ended before the token")
            said = winservice.install(token)
        else:
            said = {"remove": winservice.remove, "start": winservice.start,
                    "stop": winservice.stop}[action]()
    except winservice.ServiceRefused as exc:
        print(f"packline: {exc}", file=sys.stderr)
        return 2
    except winservice.ToolFailed as exc:
        print(f"packline: service {action}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # pywintypes.error: (winerror, funcname, strerror)
        code = getattr(exc, "winerror", None)
        if code is None:
            raise
        hint = "; run it as an administrator" if code == 5 else ""
        print(f"packline: service {action}: {getattr(exc, 'strerror', exc)} "
              f"({getattr(exc, 'funcname', '')}, Windows error {code}){hint}", file=sys.stderr)
        return 1
    print(f"packline: {said}", file=sys.stderr)
    return 0
