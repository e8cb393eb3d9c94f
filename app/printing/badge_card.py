"""A person's badge card as a PDF (ID-1 card, 85.6 × 54 mm): their name and user code, the
badge as a Code 128 barcode for the bench scanners and as a QR code for phone-camera readers.

The badge is a secret (it logs a packer in alone): the card is made once, when an admin issues
the badge (`packline users badge issue CODE --card FILE.pdf`), and the badge text itself is
not printed in words under the barcode, so a glance at a card on a desk does not copy it.
"""

from __future__ import annotations

import io

from app.printing.pdf import _lock, _Page

WIDTH_MM, HEIGHT_MM = 85.6, 54.0


def badge_card_pdf(name: str, code: str, badge: str) -> bytes:
    """The card's PDF; the same arguments give the same bytes."""
    buffer = io.BytesIO()
    with _lock:
        page = _Page(buffer, WIDTH_MM, HEIGHT_MM, f"Packline badge {code}")
        page.rect(0, 0, WIDTH_MM, 9)  # the top band, printed solid
        page.c.setFillGray(1)
        page.text(4, 2.2, 4.2, "Packline 工牌 BADGE")
        page.c.setFillGray(0)
        page.text(4, 12, 7, name, width=WIDTH_MM - 34)
        page.text(4, 21, 4, code, width=WIDTH_MM - 34)
        page.qr(badge, WIDTH_MM - 29, 11, 26)
        page.code128(badge, 2, 38, WIDTH_MM - 4, 12, human_readable=False)
        page.finish()
    return buffer.getvalue()
