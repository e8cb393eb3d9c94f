"""The order the validation and review tests start from, changed field by field."""

from __future__ import annotations

import dataclasses

from app.domain.validation import LineFact, OrderFacts


def make_facts(**changes: object) -> OrderFacts:
    """A valid, paid, in-stock order to Hangzhou: 2 × ¥59 + 1 × ¥129 − ¥7 discount = ¥240,
    no remark, VIP level 0."""
    base = OrderFacts(
        channel_order_no="TB20261111001",
        receiver_name="张三",
        receiver_phone="13800138000",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        address="文三路478号华星时代广场A座1201",
        buyer="tb_buyer_01",
        lines=(
            LineFact("SKU-A", True, 2, 5900, 10),
            LineFact("SKU-B", True, 1, 12900, 5),
        ),
        goods_fen=24700,
        discount_fen=700,
        amount_fen=24000,
        paid=True,
        is_presale=False,
        vip_level=0,
        remark="",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
