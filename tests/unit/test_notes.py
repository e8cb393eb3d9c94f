"""Why an order stopped is kept as a code and params (worded on screens in the reader's
language) beside its English text (for the command line)."""

from __future__ import annotations

from app.domain import notes
from app.domain.regions import RegionTable
from app.domain.review import Blacklist, RuleSpec, review, validate_rule_params
from app.domain.status import IllegalTransition, OrderStatus, check_transition
from app.domain.validation import validate
from tests.helpers.facts import make_facts


def test_a_missing_district_is_a_code_with_its_places() -> None:
    problems, _ = validate(make_facts(province="河南省", city="漯河市", district=""),
                           RegionTable.default())
    note = problems[0].note()
    assert note.code == "address.district_empty"
    # 源汇区, 郾城区, 召陵区, 舞阳县, 临颍县 and the statistics' 漯河经济技术开发区
    assert note.params["scope"] == "漯河市" and note.params["count"] == 6
    assert note.params["given"] == "河南省/漯河市/-"
    assert "district is empty" in note.text  # the command line still reads it


def test_amounts_and_phone_are_codes_too() -> None:
    problems, _ = validate(make_facts(receiver_phone="4008208820", amount_fen=1),
                           RegionTable.default())
    codes = [p.note().code for p in problems]
    assert codes == ["receiver.phone_service", "amount.paid_differs"]


def test_a_review_hold_carries_its_note() -> None:
    outcome = review(make_facts(remark="不要发韵达"), [RuleSpec("remark_review", True, {}, 0)],
                     Blacklist())
    assert [n.code for n in outcome.notes] == ["review.remark"]
    assert outcome.notes[0].params == {"remark": "不要发韵达"}


def test_stored_notes_read_back_and_print_in_english() -> None:
    found = [notes.Note("address.district_empty", "district is empty; 漯河市 has 5 districts",
                        {"scope": "漯河市", "count": 5, "given": "河南省/漯河市/-"}),
             notes.Note("order.no_lines", "the order has no lines")]
    stored = notes.encode(found)
    assert len(stored) <= 500
    back = notes.decode(stored)
    assert back is not None and [n.code for n in back] == ["address.district_empty",
                                                             "order.no_lines"]
    assert back[0].params == {"scope": "漯河市", "count": 5, "given": "河南省/漯河市/-"}
    assert notes.plain(stored) == ("district is empty; 漯河市 has 5 districts; "
                                   "the order has no lines")
    assert notes.decode("an old detail in plain text") is None
    assert notes.plain("an old detail in plain text") == "an old detail in plain text"


def test_a_long_note_is_shortened_not_cut_mid_json() -> None:
    remark = "备注" * 400
    stored = notes.encode([notes.Note("review.remark", f"buyer remark: {remark}",
                                      {"remark": remark})] * 3)
    assert len(stored) <= 500
    back = notes.decode(stored)
    assert back is not None and back[0].code == "review.remark"


def test_refusals_of_the_state_machine_and_rule_params_have_codes() -> None:
    try:
        check_transition(OrderStatus.IN_WAVE, OrderStatus.PACKED)
    except IllegalTransition as exc:
        assert exc.code == "order.illegal_transition"
        assert exc.params == {"status": "in_wave", "target": "packed"}
    else:
        raise AssertionError("in_wave → packed must be refused")
    try:
        validate_rule_params("high_value_review", {"threshold_fen": -5})
    except ValueError as exc:
        assert getattr(exc, "code", "") == "rules.param_too_low"
        assert getattr(exc, "params", {}) == {"rule": "high_value_review",
                                              "param": "threshold_fen", "low": 0}
    else:
        raise AssertionError("a negative threshold must be refused")
