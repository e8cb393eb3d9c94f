"""Printing documents: waybills, packing slips, pick lists, bin and tote labels, command cards
and manifests as plain data (`documents`), rendered to printer bytes — ZPL, TSPL, ESC/POS, PDF,
PNG — by pure functions (`render.render` is the one door). No Qt, no database: data in, bytes
out. Sending bytes to printers is `drivers.printers`' business.
"""
