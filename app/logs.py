"""Named loggers per subsystem into a rotating file in PACKLINE_HOME/logs that IT can collect."""

from __future__ import annotations

import logging
import logging.handlers

from app.config import Config

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(cfg: Config, *, console: bool = False) -> None:
    root = logging.getLogger("packline")
    if any(getattr(h, "_packline", False) for h in root.handlers):
        return
    cfg.paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        cfg.paths.logs / "packline.log", maxBytes=cfg.settings.get("log.max_bytes"),
        backupCount=cfg.settings.get("log.backups"), encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._packline = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(cfg.settings.get("log.level").upper())
    if console:
        err = logging.StreamHandler()
        err.setLevel(logging.WARNING)
        err.setFormatter(logging.Formatter("packline: %(message)s"))
        root.addHandler(err)
