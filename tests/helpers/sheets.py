"""Platform order exports as real .xlsx files (openpyxl), for the import tests."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

TAOBAO_HEADER = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货人姓名", "收货地址 ",
                 "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "宝贝总数量",
                 "商家编码", "订单备注", "店铺名称"]
TAOBAO_ITEM_HEADER = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货人姓名",
                      "收货地址", "联系手机", "订单付款时间", "商家编码", "购买数量", "价格",
                      "店铺名称", "店铺类型"]
PDD_HEADER = ["订单号", "商品", "商品id", "商家编码-SKU维度", "商品数量(件)", "商品总价(元)",
              "商家实收金额(元)", "支付时间", "收货人", "手机", "省", "市", "区", "街道",
              "订单状态", "商家备注"]
PAID = datetime(2026, 11, 11, 0, 0, 12)  # China time, as the platforms write it


def taobao_row(order_no: object, **changes: object) -> list[object]:
    row: dict[str, object] = {
        "订单编号": order_no, "买家会员名": "tb_buyer_01", "买家实际支付金额": 118.0,
        "订单状态": "买家已付款，等待卖家发货", "收货人姓名": "张三",
        "收货地址 ": "浙江省 杭州市 西湖区 文三路90号(310000)", "联系手机": "'13800138000",
        "订单创建时间": datetime(2026, 11, 11, 0, 0, 5), "订单付款时间": PAID,
        "宝贝标题": "纯棉T恤 白色 L", "宝贝种类": 1, "宝贝总数量": 2, "商家编码": "SKU-00001",
        "订单备注": "", "店铺名称": "淘宝小店"}
    for name, value in changes.items():
        row[name if name in row else f"{name} "] = value  # 收货地址 has a trailing space
    return [row[h] for h in TAOBAO_HEADER]


def write_sheet(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], *,
                title: str = "Sheet1", before: Mapping[str, Sequence[Sequence[object]]] = {},
                digits: Mapping[str, str] = {}) -> Path:
    """A workbook whose sheet `title` holds `header` and `rows` (sheets in `before` come
    first). `digits` maps a placeholder number to the digits an exporter wrote in its place:
    Excel and openpyxl write numbers as doubles, the platforms' exporters write whole
    integers."""
    book = Workbook()
    first = book.active
    assert first is not None
    for name, content in before.items():
        sheet = book.create_sheet(name)
        for row in content:
            sheet.append(list(row))
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.remove(first)
    book.save(path)
    if digits:
        _rewrite_values(path, digits)
    return path


def _rewrite_values(path: Path, digits: Mapping[str, str]) -> None:
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                for placeholder, exact in digits.items():
                    text = text.replace(f"<v>{placeholder}</v>", f"<v>{exact}</v>")
                data = text.encode("utf-8")
            out.writestr(item, data)
    shutil.move(temp, path)
