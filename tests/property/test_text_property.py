"""The text rule at the door (app/domain/text.py): for any input, a clean line or a refusal
that names the field, the character and where it is."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.text import REPERTOIRE, TextRefused, clean_line, printable, safe_for_terminal

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
repertoire_chars = st.one_of(*[st.integers(start, end) for start, end, _ in REPERTOIRE]).map(
    chr).filter(lambda c: unicodedata.category(c) != "Cn")


@given(any_text)
def test_any_text_is_cleaned_or_refused_by_name(value: str) -> None:
    try:
        cleaned = clean_line(value, "receiver.name")
    except TextRefused as refused:
        assert refused.field == "receiver.name"
        assert refused.char in value or refused.char in unicodedata.normalize("NFC", value)
        message = str(refused)
        assert message.startswith("receiver.name holds U+")
        assert message.isprintable()  # the refusal itself never carries the raw control
        return
    assert cleaned == clean_line(cleaned, "receiver.name")  # idempotent
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    assert "  " not in cleaned and cleaned == cleaned.strip()
    assert all(printable(ch) for ch in cleaned)
    shown = "".join(c for c in cleaned if ord(c) != 0x200D and not 0xFE00 <= ord(c) <= 0xFE0F
                    and ord(c) < 0xE0100)
    assert shown.isprintable()


@given(st.text(repertoire_chars, max_size=60))
def test_every_repertoire_text_is_accepted(value: str) -> None:
    cleaned = clean_line(value, "receiver.address")
    assert all(printable(ch) for ch in cleaned)
    assert len(cleaned) <= len(value)


@given(any_text)
def test_terminal_form_is_always_printable(value: str) -> None:
    shown = safe_for_terminal(value)
    assert shown.isprintable()
    assert "\x1b" not in shown


@pytest.mark.parametrize(("raw", "clean"), [
    ("张三\u2028李四", "张三 李四"),
    ("张三\u0085李四", "张三 李四"),
    ("杭州市\r\n西湖区\t文三路", "杭州市 西湖区 文三路"),
    ("  王\u3000\u3000五  ", "王 五"),
    ("\ufeff文三路\u200b90号\u00a0", "文三路90号"),
    ("e\u0301", "\u00e9"),  # NFC
    ("𠀀𪚥𬌗𫖮", "𠀀𪚥𬌗𫖮"),  # Extension B–F
    ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # an emoji family: joiners kept
    ("葛\U000e0100", "葛\U000e0100"),  # an ideographic variation sequence
    ("18877771111-123", "18877771111-123"),
])
def test_accepted_forms(raw: str, clean: str) -> None:
    assert clean_line(raw, "f") == clean


@pytest.mark.parametrize(("raw", "why", "position"), [
    ("张\x1b[31m三", "control", 2),
    ("张\x00三", "control", 2),
    ("a\u2061b", "control", 2),
    ("\x7f", "control", 1),
    ("\ud800", "surrogate", 1),
    ("abc\U000f0000", "private", 4),
    ("张\u202e三", "bidi", 2),
    ("\u2066x", "bidi", 1),
    ("\U0003134b", "unassigned", 1),  # in Extension G's block, not assigned in Unicode 14
    ("王\U00030041", "unprintable", 2),  # Extension G: no label font covers it
    ("\U0001f9a5", "unprintable", 1),  # an emoji of Unicode 12: no outline font draws it
    ("مرحبا", "unprintable", 1),
])
def test_refused_forms(raw: str, why: str, position: int) -> None:
    with pytest.raises(TextRefused) as caught:
        clean_line(raw, "receiver.name")
    assert (caught.value.why, caught.value.position) == (why, position)
    assert str(caught.value).startswith(f"receiver.name holds U+{ord(caught.value.char):04X}")


def test_a_refusal_never_prints_the_raw_control() -> None:
    with pytest.raises(TextRefused) as caught:
        clean_line("a\x1b]0;owned\x07", "buyer")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
    assert safe_for_terminal("a\x1b[2Jb") == "a<U+001B>[2Jb"
