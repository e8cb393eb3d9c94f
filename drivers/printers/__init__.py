"""Printer transports: bytes to printers over raw TCP 9100, python-escpos USB and serial, CUPS,
a Windows printer's spooler (`winspool`), and the folder printer; printer URLs; status
queries and their parsers. Knows nothing of documents (`app.printing` renders them). The fake
9100 printer is `drivers.printers.fake`, imported on its own.
"""

from drivers.printers.status import PrinterStatus
from drivers.printers.transports import (
    PrintError,
    PrintErrorKind,
    SendResult,
    Transport,
    open_transport,
)
from drivers.printers.urls import PrinterUrl, PrinterUrlError

__all__ = [
    "PrintError",
    "PrintErrorKind",
    "PrinterStatus",
    "PrinterUrl",
    "PrinterUrlError",
    "SendResult",
    "Transport",
    "open_transport",
]
