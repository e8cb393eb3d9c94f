"""Who runs a `packline` command that changes something: the person (or service account) is
logged in before the command acts, and the `Actor` from that login is what the services get.

Where the credentials come from, first found wins:

1. `PACKLINE_TOKEN`: a service account's token (automation; `auth.login_token`);
2. `PACKLINE_USER` + `PACKLINE_PASSWORD` (or `--user` with `PACKLINE_PASSWORD`);
3. `--password-stdin`: the first line of standard input (the user from `--user` or
   `PACKLINE_USER`);
4. a terminal: the user code, then the password without echo (`getpass`).

Without any of them and without a terminal the command stops before it touches anything. A
password never comes as an option value (`--password VALUE`): it would stay in the shell's
history and show in `ps` to every user of the machine. Throttling, lockout and the audit of
each login are the core's (`app.services.auth`); this module only gathers the credentials.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from app.domain.roles import Permission

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.store.db import Database

# Options that would carry a secret on the command line; refused wherever they appear.
SECRET_OPTIONS = ("--password", "--new-password", "--pin", "--token")

HOW = ("set PACKLINE_USER and PACKLINE_PASSWORD; or PACKLINE_TOKEN (a service account); "
       "or pipe the password with --password-stdin (and --user CODE); "
       "or run it in a terminal to be asked")


class CredentialsRefused(ValueError):
    """No usable credentials, or contradictory ones: the command did nothing (exit 2)."""


def secret_on_command_line(argv: Sequence[str]) -> str | None:
    """The refusal for a secret given as an option value, or None."""
    for word in argv:
        if word == "--":
            break
        name = word.split("=", 1)[0]
        if name in SECRET_OPTIONS:
            return (f"{name} is refused: a secret on the command line stays in the shell's "
                    f"history and shows in `ps` to everyone on this machine. Use "
                    f"{name}-stdin, the PACKLINE_PASSWORD / PACKLINE_TOKEN environment, or "
                    f"the prompt in a terminal")
    return None


def add_options(parser: argparse.ArgumentParser) -> None:
    """The login options of a command that changes something."""
    parser.add_argument("--user", help="who acts (default: $PACKLINE_USER)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")


class Stdin:
    """Standard input read line by line, in the order the options document: the acting
    person's password (--password-stdin), then a new password (--new-password-stdin), then a
    PIN (--pin-stdin)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def line(self, what: str) -> str:
        stream = self.stream or sys.stdin
        raw = stream.readline()
        if not raw:
            raise CredentialsRefused(f"standard input ended before the {what}")
        return raw.rstrip("\r\n")


def interactive() -> bool:
    return sys.stdin.isatty()


def ask_secret(prompt: str, *, twice: bool = False) -> str:
    """A secret typed at the terminal, without echo; `twice` for a new one."""
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("again: ") != first:
        raise CredentialsRefused("the two entries differ; nothing changed")
    return first


def _ask_user() -> str:
    sys.stderr.write("Packline user: ")
    sys.stderr.flush()
    code = sys.stdin.readline().strip()
    if not code:
        raise CredentialsRefused("no user code given")
    return code


def login(db: Database, station: str, args: argparse.Namespace, stdin: Stdin,
          *, command: str) -> Actor:
    """The person (or service account) this run acts for, logged in."""
    from app.services import auth

    token = os.environ.get("PACKLINE_TOKEN", "").strip()
    env_user = os.environ.get("PACKLINE_USER", "").strip()
    env_password = os.environ.get("PACKLINE_PASSWORD", "")
    named = (getattr(args, "user", None) or "").strip()
    from_stdin = bool(getattr(args, "password_stdin", False))
    if named and env_user and auth.normalize_code(named) != auth.normalize_code(env_user):
        raise CredentialsRefused(
            f"--user {named} differs from PACKLINE_USER={env_user}: a command acts as the one "
            f"person who logs in")
    if from_stdin and (token or env_password):
        raise CredentialsRefused(
            "--password-stdin given while PACKLINE_TOKEN or PACKLINE_PASSWORD is set: use one")
    user = named or env_user
    if token:
        actor = auth.login_token(db, token, station)
    elif env_password:
        if not user:
            raise CredentialsRefused("PACKLINE_PASSWORD is set but not PACKLINE_USER")
        actor = auth.login_password(db, user, env_password, station, how="cli")
    elif from_stdin:
        if not user:
            raise CredentialsRefused("--password-stdin needs --user CODE or PACKLINE_USER")
        actor = auth.login_password(db, user, stdin.line("password"), station, how="cli")
    elif interactive():
        user = user or _ask_user()
        actor = auth.login_password(db, user, ask_secret(f"Password for {user}: "), station,
                                    how="cli")
    else:
        raise CredentialsRefused(f"`packline {command}` changes data and needs a person: {HOW}")
    if named and auth.normalize_code(named) != actor.code:
        raise CredentialsRefused(
            f"--user {named} is not who logged in ({actor.code}): a command acts as the one "
            f"person who logs in")
    return actor


def authenticate(db: Database, station: str, args: argparse.Namespace, stdin: Stdin,
                 permission: Permission, *, command: str) -> Actor:
    """`login`, then the permission the command needs (refused before anything changes)."""
    from app.services import access

    return access.check(db, login(db, station, args, stdin, command=command), permission)
