"""A person's badge card as a PDF the size of a bank card (85.6 × 54 mm): their name and user
code to read, and the badge as a Code 128 (for the floor's linear scanners) and a QR code (for
the 2D ones). The badge itself is not printed as text: whoever reads the card can log in as
its holder, so it is only as readable as a barcode is. Data in, bytes out; the same badge gives
the same bytes."""

from __future__ import annotations

import io

from app.printing.pdf import _lock, _Page

WIDTH_MM = 85.6
HEIGHT_MM = 54.0
MARGIN_MM = 4.0
QR_MM = 24.0


def badge_card_pdf(name: str, code: str, badge: str) -> bytes:
    """The card of `name` (user `code`) carrying `badge` (USR-…)."""
    buffer = io.BytesIO()
    with _lock:  # reportlab's canvas state is shared between threads
        _draw(buffer, name, code, badge)
    return buffer.getvalue()


def _draw(buffer: io.BytesIO, name: str, code: str, badge: str) -> None:
    page = _Page(buffer, WIDTH_MM, HEIGHT_MM, f"Packline badge {code}")
    inner = WIDTH_MM - 2 * MARGIN_MM
    text_width = inner - QR_MM - 2
    top = MARGIN_MM
    top += page.text(MARGIN_MM, top, 2.6, "Packline 工牌 · badge", width=text_width)
    top += 1.0
    top += page.text(MARGIN_MM, top, 6.0, name, width=text_width, max_lines=2)
    top += 0.5
    page.text(MARGIN_MM, top, 3.6, code, width=text_width)
    page.qr(badge, WIDTH_MM - MARGIN_MM - QR_MM, MARGIN_MM - 1, QR_MM)
    page.code128(badge, MARGIN_MM, HEIGHT_MM - MARGIN_MM - 13, inner, 13,
                 human_readable=False)
    page.finish()
