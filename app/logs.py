"""Named loggers per subsystem into a rotating file in PACKLINE_HOME/logs that IT can collect.

Only the station's user may read the files (0600 in a 0700 folder), and no password reaches
them: every line, traceback included, goes through `app.redact.scrub` on its way out.
"""

from __future__ import annotations

import io
import logging
import logging.handlers

from app.config import Config
from app.redact import scrub
from app.secure_files import private_dir, private_opener

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """A line with passwords blanked: a driver's error text or a traceback may quote a URL."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file it opens (the first, and the new one after each rotation) is 0600,
    whatever the umask; the rotated ones keep that mode when renamed."""

    def _open(self) -> io.TextIOWrapper:
        stream = open(self.baseFilename, self.mode, encoding=self.encoding,  # noqa: SIM115
                      errors=self.errors, opener=private_opener)
        assert isinstance(stream, io.TextIOWrapper)  # a log is opened in a text mode
        return stream


def setup_logging(cfg: Config, *, console: bool = False) -> None:
    root = logging.getLogger("packline")
    if any(getattr(h, "_packline", False) for h in root.handlers):
        return
    if not cfg.paths.logs.is_dir():
        private_dir(cfg.paths.logs)
    # max_bytes = 0 or backups = 0: the file never rotates (without a backup to rotate to,
    # RotatingFileHandler would close and reopen the same file before every line).
    settings = cfg.settings.log
    handler = PrivateRotatingFileHandler(
        cfg.paths.logs / "packline.log", maxBytes=settings.max_bytes if settings.rotates else 0,
        backupCount=settings.backups, encoding="utf-8", delay=True)
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler._packline = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.level)
    if console:
        err = logging.StreamHandler()
        err.setLevel(logging.WARNING)
        err.setFormatter(RedactingFormatter("packline: %(message)s"))
        root.addHandler(err)
