"""Every refusal and every stored reason Packline words on a screen has its wording, and the
Chinese shipped for each wording is finished and keeps the wording's placeholders."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.ui.messages import catalogue

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "packline_zh_CN.ts"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Calls whose positional argument N is a message code (domain notes and refusals).
CODE_ARGUMENT = {"Note": 0, "CodedError": 1, "RuleParamError": 1, "_invalid": 1, "Problem": 2,
                 "__init__": 1, "RowInvalid": 1, "StepRefused": 1}


def _codes_in(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.match(n.value)}


def codes_raised() -> dict[str, str]:
    """Code → where it is first given, for every code the app gives a refusal or a note."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            parts: list[ast.AST] = [k.value for k in node.keywords if k.arg == "code"]
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            index = CODE_ARGUMENT.get(name)
            if index is not None and len(node.args) > index:
                parts.append(node.args[index])
            for part in parts:
                for code in _codes_in(part):
                    found.setdefault(code, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _translations() -> dict[str, ET.Element | None]:
    tree = ET.parse(TS)
    return {msg.findtext("source") or "": msg.find("translation")
            for ctx in tree.iter("context") if ctx.findtext("name") == "messages"
            for msg in ctx.iter("message")}


def test_the_scan_finds_the_codes_it_is_meant_to_find() -> None:
    raised = codes_raised()
    for code in ("handover.parcel_taken", "order.illegal_transition", "address.district_empty",
                 "review.remark", "rules.param_too_low", "pick.wrong_bin", "wave.bad_limits",
                 "pick.scan_bin_first"):
        assert code in raised, code


def test_every_code_given_in_the_app_has_its_wording() -> None:
    wordings = catalogue()
    missing = {code: where for code, where in codes_raised().items() if code not in wordings}
    assert not missing, f"codes without wording in app/ui/messages.py: {missing}"


def test_every_wording_has_finished_chinese_with_the_same_placeholders() -> None:
    translations = _translations()
    problems = []
    for code, source in catalogue().items():
        tr = translations.get(source)
        if tr is None or tr.get("type") or not (tr.text or "").strip():
            problems.append((code, "no finished translation"))
            continue
        if set(re.findall(r"\{\w+\}", source)) != set(re.findall(r"\{\w+\}", tr.text or "")):
            problems.append((code, "placeholders differ"))
    assert not problems, problems
