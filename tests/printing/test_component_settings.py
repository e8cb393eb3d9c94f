"""A print-component printer in the station settings: the URL and the language go together,
the paper is a platform template's, `custom_template` is a URL and only for components, a
component's backup speaks its language; and what a component document holds."""

from __future__ import annotations

import json

import pytest

from app.config import Settings
from app.printers import PrinterConfigError, load_printers, parse_printer
from app.printing.component import ComponentRenderError
from app.printing.documents import BinLabel, Paper, PickList, Waybill
from app.printing.render import render, supported_papers
from tests.printing.conftest import make_pick_list, make_waybill

URL = "cainiao://127.0.0.1?printer=ZTO-1"


def test_a_component_printer_is_checked() -> None:
    spec = parse_printer("cn", {"url": URL, "language": "cainiao"})
    assert spec.is_component and spec.paper == "76x130"
    assert spec.custom_area.startswith("http://cloudprint.cainiao.com/template/customArea/")
    pdd = parse_printer("pdd", {"url": "pdd://127.0.0.1?printer=A", "language": "pdd",
                                "paper": "100x180", "custom_template": "https://x/custom/1"})
    assert (pdd.paper, pdd.custom_area) == ("100x180", "https://x/custom/1")
    assert pdd.as_items()["custom_template"] == "https://x/custom/1"
    assert parse_printer("d", {"url": "douyin://127.0.0.1?printer=A",
                               "language": "douyin"}).custom_area == ""


@pytest.mark.parametrize(("items", "code", "key"), [
    ({"url": URL, "language": "zpl"}, "printer.component_language", "language"),
    ({"url": URL, "language": "pdd"}, "printer.component_language", "language"),
    ({"url": "tcp://10.0.0.5", "language": "cainiao"}, "printer.language_needs_component",
     "url"),
    ({"url": URL, "language": "cainiao", "paper": "100x150"}, "settings.choice", "paper"),
    ({"url": "tcp://10.0.0.5", "language": "zpl", "custom_template": "http://x/1"},
     "printer.custom_template_component", "custom_template"),
    ({"url": URL, "language": "cainiao", "custom_template": "template 1"},
     "printer.bad_custom_template", "custom_template"),
    ({"url": "cainiao://127.0.0.1", "language": "cainiao"}, "printer_url.component_printer",
     "url"),
])
def test_mismatches_are_refused_naming_the_key(items: dict[str, str], code: str,
                                               key: str) -> None:
    with pytest.raises(PrinterConfigError) as caught:
        parse_printer("p", items)
    assert caught.value.key == key
    assert caught.value.code == code or code == "settings.choice"


def test_a_component_and_a_label_printer_are_not_each_others_backup(tmp_path) -> None:
    ini = tmp_path / "station.ini"
    ini.write_text(f"[printer:cn]\nurl = {URL}\nlanguage = cainiao\nbackup = zebra\n\n"
                   "[printer:zebra]\nurl = tcp://10.0.0.5\nlanguage = zpl\n", encoding="utf-8")
    with pytest.raises(PrinterConfigError) as caught:
        load_printers(Settings.load(ini))
    assert caught.value.code == "printer.component_backup"


def test_component_documents() -> None:
    assert supported_papers(Waybill, "kuaishou") == {Paper.L76X130, Paper.L100X180}
    assert supported_papers(PickList, "cainiao") == {Paper.L76X130, Paper.L100X180}
    page = BinLabel(code="TEST-CN", title="打印测试")
    one = json.loads(render(page, "cainiao", custom_template="http://t/c"))
    again = json.loads(render(page, "cainiao", custom_template="http://t/c"))
    other = json.loads(render(BinLabel(code="TEST-CN2"), "cainiao", custom_template="http://t/c"))
    assert one["documentID"] == again["documentID"] != other["documentID"]
    assert one["contents"] == [{"data": {"document": "BinLabel", "code": "TEST-CN",
                                         "title": "打印测试"}, "templateURL": "http://t/c"}]
    picks = json.loads(render(make_pick_list(2), "pdd", "100x180", custom_template="http://t"))
    assert len(picks["contents"][0]["data"]["tasks"]) == 2
    waybill = make_waybill(provider="douyin", print_data={"encryptedData": "E", "signature": "S",
                                                          "templateURL": "http://std", "ver": "2"})
    bare = json.loads(render(waybill, "douyin"))  # no custom area: the platform's part only
    assert bare == {"documentID": waybill.tracking_no, "contents": [
        {"encryptedData": "E", "signature": "S", "templateURL": "http://std", "ver": "2"}]}
    with pytest.raises(ComponentRenderError):
        render(waybill, "pdf")
    with pytest.raises(ComponentRenderError):
        render(waybill, "cainiao", custom_template="http://t")
