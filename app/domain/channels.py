"""The sales channels Packline takes orders from, as shipped. More can be added as rows."""

from __future__ import annotations

STANDARD_CHANNELS: tuple[tuple[str, str], ...] = (
    ("taobao", "淘宝"),
    ("tmall", "天猫"),
    ("jd", "京东"),
    ("douyin", "抖音"),
    ("pdd", "拼多多"),
    ("manual", "手工单"),
)
