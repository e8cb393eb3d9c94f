"""`packline` run as a real process, as IT or a person at a station runs it: its own
PACKLINE_HOME, logged in as a demo user (PACKLINE_USER + PACKLINE_PASSWORD), with a service
token, or as nobody; none of the login variables of the shell running the tests leak in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.config import ENV_NAMES, USER_HOME_ENV

REPO = Path(__file__).resolve().parents[2]

# The demo users' passwords (app.services.demo), to log the command line in as them.
DEMO_PASSWORDS = {"admin": "admin123", "lead01": "lead123", "packer01": "packer123",
                  "picker01": "picker123"}
# What a shell may hold that says who `packline` is and which database it talks to.
LOGIN_VARIABLES = ("PACKLINE_CENTRAL_URL", "PACKLINE_USER", "PACKLINE_PASSWORD",
                   "PACKLINE_TOKEN")
# What a shell may hold that sets the station's settings over its files, or where the person's
# own settings are: a test's process reads its station's files only, unless the test says.
SETTING_VARIABLES = (*ENV_NAMES, USER_HOME_ENV)


def login_env(as_user: str | None = None, token: str | None = None, *,
              password: str | None = None) -> dict[str, str]:
    """The variables a `packline` process logs in with: `as_user` with their demo password
    (or `password`, a wrong one say), and/or a service `token`."""
    env: dict[str, str] = {}
    if as_user is not None:
        env.update(PACKLINE_USER=as_user,
                   PACKLINE_PASSWORD=password if password is not None
                   else DEMO_PASSWORDS[as_user])
    if token is not None:
        env["PACKLINE_TOKEN"] = token
    return env


def packline_env(home: Path, *, central_url: str | None = None, as_user: str | None = None,
                 token: str | None = None, password: str | None = None,
                 env: Mapping[str, str] | None = None, drop: Iterable[str] = (),
                 warnings_are_errors: bool = True) -> dict[str, str]:
    """The environment of a `packline` process at station folder `home`: this one's, less
    the login and settings variables and `drop`, plus the login and `env`. Python warnings are errors
    unless `warnings_are_errors` is false (the app on a display, a process killed on purpose)."""
    dropped = {*LOGIN_VARIABLES, *SETTING_VARIABLES, *drop}
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ["PACKLINE_HOME"] = str(home)
    if warnings_are_errors:
        environ["PYTHONWARNINGS"] = "error"
    if central_url is not None:
        environ["PACKLINE_CENTRAL_URL"] = central_url
    environ.update(login_env(as_user, token, password=password), **(env or {}))
    return environ


def packline(home: Path, *args: str, central_url: str | None = None, timeout: float = 120,
             as_user: str | None = None, token: str | None = None,
             password: str | None = None, stdin: str | None = None,
             env: Mapping[str, str] | None = None, drop: Iterable[str] = (),
             umask: int = -1) -> subprocess.CompletedProcess[str]:
    """`packline ARGS` as a process, logged in as `as_user` (a demo user) or with `token`, or
    with nothing; standard input is `stdin` (never this terminal: nothing waits on a prompt).
    The exit code is the caller's to check."""
    environ = packline_env(home, central_url=central_url, as_user=as_user, token=token,
                           password=password, env=env, drop=drop)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=environ,
                          input=stdin if stdin is not None else "", capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, umask=umask)


def packline_process(home: Path, *args: str, central_url: str | None = None,
                     as_user: str | None = None, token: str | None = None,
                     env: Mapping[str, str] | None = None, drop: Iterable[str] = (),
                     warnings_are_errors: bool = True,
                     **popen: Any) -> subprocess.Popen[str]:
    """`packline ARGS` started and left running (several at once, or one the test kills);
    its output is piped unless `popen` says otherwise, and nothing is read from this
    terminal."""
    environ = packline_env(home, central_url=central_url, as_user=as_user, token=token,
                           env=env, drop=drop, warnings_are_errors=warnings_are_errors)
    popen.setdefault("stdin", subprocess.DEVNULL)
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "app", *args], cwd=REPO, env=environ,
                            text=True, encoding="utf-8", **popen)


def bootstrap(home: Path, *, central_url: str | None = None) -> None:
    """The first admin of an empty installation, `admin` with the demo admin's password."""
    done = packline(home, "users", "bootstrap", "--user", "admin", "--name", "管理员",
                    "--password-stdin", stdin=f"{DEMO_PASSWORDS['admin']}\n",
                    central_url=central_url)
    assert done.returncode == 0, done.stderr
