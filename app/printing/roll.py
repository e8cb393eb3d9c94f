"""What a document on an 80 mm roll says, row by row, whatever prints it: the ESC/POS writer and
the PDF roll both play these rows, so a packing slip or a pick list reads the same on either."""

from __future__ import annotations

from app.printing.documents import PackingSlip, PickList, Waybill, format_time, format_weight

# ("heading", text) | ("line", text) | ("pair", left, right) | ("big pair", left, right)
# | ("rule",) | ("space",) | ("barcode", code) | ("qr", data)
Row = tuple[str, ...]


def slip_rows(slip: PackingSlip) -> list[Row]:
    rows: list[Row] = []
    if slip.shop:
        rows.append(("heading", slip.shop))
    rows += [("heading", "装箱单"), ("rule",), ("pair", "订单号", slip.order_no)]
    if slip.channel_order_no:
        rows.append(("pair", "平台单号", slip.channel_order_no))
    rows += [("pair", "收件人", slip.receiver_name),
             ("pair", "打印时间", format_time(slip.printed_at)), ("rule",),
             ("pair", "商品", "数量")]
    for line in slip.lines:
        rows += [("line", line.name or line.sku), ("pair", "  " + line.sku, f"x{line.qty}")]
    rows += [("rule",), ("pair", "合计", f"{sum(line.qty for line in slip.lines)} 件")]
    if slip.remark:
        rows.append(("line", "备注: " + slip.remark))
    return rows + [("space",), ("barcode", slip.order_no), ("qr", slip.order_no)]


def waybill_rows(w: Waybill) -> list[Row]:
    """A waybill on the roll, top to bottom as on the label: carrier, route code, the tracking
    number's barcode, receiver (masked phone) and sender, orders, box and weight, its QR."""
    rows: list[Row] = [("heading", w.carrier_name)]
    if w.presale:
        rows.append(("heading", "预售"))
    if w.route_code:
        rows.append(("heading", w.route_code))
    rows += [("rule",), ("barcode", w.tracking_no), ("pair", "运单号", w.tracking_no), ("rule",)]
    for mark, party in (("收", w.receiver), ("寄", w.sender)):
        rows += [("pair", f"{mark} {party.name}", party.masked_phone),
                 ("line", party.full_address), ("rule",)]
    rows.append(("pair", "订单", ", ".join(w.order_nos)))
    facts = "  ".join(t for t in (f"{w.package_no}/{w.package_count}",
                                   format_weight(w.weight_g)) if t)
    rows.append(("pair", "件数", facts))
    if w.promised_ship_by:
        rows.append(("pair", "承诺", w.promised_ship_by))
    rows.append(("pair", "打印", format_time(w.printed_at)))
    if w.remark:
        rows.append(("line", "备注: " + w.remark))
    return rows + [("space",), ("qr", w.tracking_no)]


def pick_list_rows(pick: PickList) -> list[Row]:
    rows: list[Row] = [("heading", "拣货单"), ("pair", "波次", pick.wave_no)]
    for label, value in (("仓库", pick.warehouse), ("策略", pick.strategy),
                         ("拣货员", pick.picker)):
        if value:
            rows.append(("pair", label, value))
    rows += [("pair", "打印时间", format_time(pick.printed_at)), ("barcode", pick.wave_no),
             ("rule",)]
    for task in pick.tasks:
        rows += [("big pair", f"{task.seq}. {task.bin}", f"x{task.qty}"),
                 ("line", f"{task.sku} {task.name}".strip())]
        if task.tote_cell:
            rows.append(("pair", "放入", task.tote_cell))
        rows.append(("rule",))
    units = sum(task.qty for task in pick.tasks)
    return rows + [("pair", "合计", f"{len(pick.tasks)} 行 {units} 件")]
