"""Auto review (app.domain.review): each rule, rule order, disabled rules, params, blacklist."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.review import (
    DEFAULT_RULES,
    RULE_CODES,
    Blacklist,
    ReviewOutcome,
    RuleSpec,
    Verdict,
    review,
    validate_rule_params,
)
from app.domain.validation import LineFact, OrderFacts
from tests.helpers.facts import make_facts

NO_BLACKLIST = Blacklist(frozenset(), frozenset(), frozenset())


def rule(code: str, position: int = 10, enabled: bool = True, **params: object) -> RuleSpec:
    return RuleSpec(code, enabled, params, position)


def one(code: str, facts: OrderFacts, blacklist: Blacklist = NO_BLACKLIST,
        **params: object) -> ReviewOutcome:
    """Review with that single rule, resolving the address from the shipped table."""
    return review(facts, [RuleSpec(code, True, params, 10)], blacklist)


def assert_passes(outcome: ReviewOutcome, code: str) -> None:
    assert outcome.verdict is Verdict.PASS
    assert outcome.category is None
    assert [r.code for r in outcome.results] == [code]
    assert outcome.results[0].verdict is Verdict.PASS


def assert_decided(outcome: ReviewOutcome, verdict: Verdict, category: str) -> None:
    assert outcome.verdict is verdict
    assert outcome.category == category
    assert outcome.results[-1].verdict is verdict
    assert outcome.results[-1].category == category
    assert outcome.reason == outcome.results[-1].reason != ""


# --------------------------------------------------------------------------- each rule


def test_all_default_rules_pass_a_good_order() -> None:
    outcome = review(make_facts(), DEFAULT_RULES, NO_BLACKLIST, region_ok=True)
    assert outcome.verdict is Verdict.PASS
    assert outcome.category is None
    assert [r.code for r in outcome.results] == [r.code for r in DEFAULT_RULES]
    assert outcome.vip_boost is False


def test_default_rules_cover_every_code_once() -> None:
    assert sorted(r.code for r in DEFAULT_RULES) == sorted(RULE_CODES)
    assert set(RULE_CODES) == {
        "stock_sufficient", "address_valid", "payment_complete", "amount_consistent",
        "blacklist", "remark_review", "high_value_review", "vip_priority",
    }


def test_stock_sufficient() -> None:
    assert_passes(one("stock_sufficient", make_facts()), "stock_sufficient")
    exact = (LineFact("SKU-A", True, 2, 5900, 2), LineFact("SKU-B", True, 1, 12900, 1))
    assert_passes(one("stock_sufficient", make_facts(lines=exact)), "stock_sufficient")

    short = (LineFact("SKU-A", True, 2, 5900, 10), LineFact("SKU-B", True, 3, 4300, 2))
    outcome = one("stock_sufficient", make_facts(lines=short))
    assert_decided(outcome, Verdict.EXCEPTION, "out_of_stock")
    assert "SKU-B needs 3, 2 available" in outcome.reason
    assert "SKU-A" not in outcome.reason


def test_stock_sufficient_adds_up_lines_of_the_same_sku() -> None:
    # 2 + 2 units of one SKU against 3 available: each line alone would fit.
    lines = (LineFact("SKU-A", True, 2, 5900, 3), LineFact("SKU-A", True, 2, 5900, 3))
    outcome = one("stock_sufficient", make_facts(lines=lines))
    assert_decided(outcome, Verdict.EXCEPTION, "out_of_stock")
    assert "SKU-A needs 4, 3 available" in outcome.reason


def test_stock_sufficient_names_the_presale_pool() -> None:
    lines = (LineFact("PRE-1", True, 1, 5900, 0),)
    outcome = one("stock_sufficient", make_facts(lines=lines, is_presale=True))
    assert_decided(outcome, Verdict.EXCEPTION, "out_of_stock")
    assert "presale pool" in outcome.reason


def test_address_valid_resolves_against_the_shipped_table() -> None:
    assert_passes(one("address_valid", make_facts()), "address_valid")
    unknown = one("address_valid", make_facts(province="火星省"))
    assert_decided(unknown, Verdict.EXCEPTION, "address_invalid")
    ambiguous = one("address_valid", make_facts(province="河北省", city="", district="桥西区"))
    assert_decided(ambiguous, Verdict.EXCEPTION, "address_ambiguous")
    assert "张家口市桥西区" in ambiguous.reason


def test_address_valid_trusts_what_the_engine_resolved() -> None:
    # The region fields are nonsense, but the engine says the region resolved.
    nonsense = make_facts(province="火星省")
    rules = [rule("address_valid")]
    assert review(nonsense, rules, NO_BLACKLIST, region_ok=True).verdict is Verdict.PASS

    good = make_facts()
    failed = review(good, rules, NO_BLACKLIST, region_ok=False)
    assert_decided(failed, Verdict.EXCEPTION, "address_invalid")
    ambiguous = review(good, rules, NO_BLACKLIST, region_ok=False,
                       region_problem="address_ambiguous")
    assert_decided(ambiguous, Verdict.EXCEPTION, "address_ambiguous")
    # A problem alone means the region did not resolve.
    alone = review(good, rules, NO_BLACKLIST, region_problem="address_ambiguous")
    assert_decided(alone, Verdict.EXCEPTION, "address_ambiguous")


def test_address_valid_checks_the_street_line_even_when_the_region_resolved() -> None:
    outcome = review(make_facts(address="1号"), [rule("address_valid")], NO_BLACKLIST,
                     region_ok=True)
    assert_decided(outcome, Verdict.EXCEPTION, "address_invalid")


def test_region_arguments_are_checked() -> None:
    rules = [rule("address_valid")]
    with pytest.raises(ValueError, match="region_problem"):
        review(make_facts(), rules, NO_BLACKLIST, region_ok=False, region_problem="bad")
    with pytest.raises(ValueError, match="contradicts"):
        review(make_facts(), rules, NO_BLACKLIST, region_ok=True,
               region_problem="address_invalid")


def test_payment_complete() -> None:
    assert_passes(one("payment_complete", make_facts()), "payment_complete")
    unpaid = one("payment_complete", make_facts(paid=False))
    assert_decided(unpaid, Verdict.EXCEPTION, "payment_incomplete")
    presale = one("payment_complete", make_facts(paid=False, is_presale=True))
    assert_decided(presale, Verdict.EXCEPTION, "payment_incomplete")
    assert "balance" in presale.reason


def test_amount_consistent_with_default_and_custom_tolerance() -> None:
    assert_passes(one("amount_consistent", make_facts(amount_fen=24001)), "amount_consistent")
    off = one("amount_consistent", make_facts(amount_fen=24002))
    assert_decided(off, Verdict.EXCEPTION, "amount_mismatch")
    assert "240.02" in off.reason
    assert_passes(one("amount_consistent", make_facts(amount_fen=24005), tolerance_fen=5),
                  "amount_consistent")
    strict = one("amount_consistent", make_facts(amount_fen=24001), tolerance_fen=0)
    assert_decided(strict, Verdict.EXCEPTION, "amount_mismatch")


def test_amount_consistent_checks_the_discount_against_line_totals() -> None:
    outcome = one("amount_consistent", make_facts(goods_fen=30000, amount_fen=29300))
    assert_decided(outcome, Verdict.EXCEPTION, "amount_mismatch")


@pytest.mark.parametrize(("remark", "held"), [
    ("", False),
    ("   ", False),
    ("无", False),
    ("无。", False),
    ("请尽快发货", False),
    ("请尽快发货！谢谢😊", False),
    ("。。。", False),
    ("不要发韵达", True),
    ("请尽快发货，不要发韵达", True),
    ("无需发票", True),
    ("送人的，不要放发票", True),
])
def test_remark_review_with_default_phrases(remark: str, held: bool) -> None:
    outcome = one("remark_review", make_facts(remark=remark))
    if held:
        assert_decided(outcome, Verdict.HOLD, "remark_review")
        assert remark in outcome.reason
    else:
        assert_passes(outcome, "remark_review")


def test_remark_review_custom_phrases_replace_the_defaults() -> None:
    facts = make_facts(remark="周末不收货")
    assert_passes(one("remark_review", facts, ignore=["周末不收货"]), "remark_review")
    held = one("remark_review", make_facts(remark="无"), ignore=["周末不收货"])
    assert_decided(held, Verdict.HOLD, "remark_review")
    # A listed phrase with punctuation inside still matches the remark written alike.
    assert_passes(one("remark_review", make_facts(remark="好的，谢谢"), ignore=["好的,谢谢"]),
                  "remark_review")


def test_high_value_review_threshold() -> None:
    assert_passes(one("high_value_review", make_facts(amount_fen=499_999)), "high_value_review")
    at = one("high_value_review", make_facts(amount_fen=500_000))
    assert_decided(at, Verdict.HOLD, "high_value_review")
    assert "5000.00" in at.reason
    assert_decided(one("high_value_review", make_facts(), threshold_fen=24000),
                   Verdict.HOLD, "high_value_review")
    assert_passes(one("high_value_review", make_facts(), threshold_fen=24001),
                  "high_value_review")


@pytest.mark.parametrize(("level", "min_level", "boost"), [
    (0, None, False), (2, None, False), (3, None, True), (10, None, True),
    (4, 5, False), (5, 5, True), (0, 0, True),
])
def test_vip_priority_passes_and_sets_the_boost(level: int, min_level: int | None,
                                                boost: bool) -> None:
    params: dict[str, object] = {} if min_level is None else {"min_level": min_level}
    outcome = review(make_facts(vip_level=level), [RuleSpec("vip_priority", True, params, 1)],
                     NO_BLACKLIST)
    assert_passes(outcome, "vip_priority")
    assert outcome.vip_boost is boost


# --------------------------------------------------------------------------- blacklist


def test_blacklist_by_buyer() -> None:
    blacklist = Blacklist(buyers=frozenset({"bad_buyer"}))
    outcome = one("blacklist", make_facts(buyer="bad_buyer"), blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")
    assert "buyer" in outcome.reason and "bad_buyer" in outcome.reason
    assert_passes(one("blacklist", make_facts(buyer="good_buyer"), blacklist), "blacklist")


def test_blacklist_by_phone_in_another_format() -> None:
    blacklist = Blacklist(phones=frozenset({"+86 138-0013-8000"}))
    assert blacklist.phones == frozenset({"13800138000"})
    outcome = one("blacklist", make_facts(receiver_phone="13800138000"), blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")
    assert "phone" in outcome.reason
    spaced = one("blacklist", make_facts(receiver_phone="138 0013 8000"), blacklist)
    assert spaced.verdict is Verdict.EXCEPTION
    assert_passes(one("blacklist", make_facts(receiver_phone="13900139000"), blacklist),
                  "blacklist")


def test_blacklisted_landline_matches_however_written() -> None:
    blacklist = Blacklist(phones=frozenset({"0571-88231234"}))
    outcome = one("blacklist", make_facts(receiver_phone="(0571) 8823 1234"), blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")


def test_a_blacklisted_mobile_does_not_catch_virtual_numbers_on_it() -> None:
    blacklist = Blacklist(phones=frozenset({"13800138000"}))
    virtual = make_facts(receiver_phone="13800138000-1234")
    assert_passes(one("blacklist", virtual, blacklist), "blacklist")
    exact = Blacklist(phones=frozenset({"13800138000转1234"}))
    assert one("blacklist", virtual, exact).verdict is Verdict.EXCEPTION


def test_blacklist_by_address_fragment_ignores_whitespace() -> None:
    blacklist = Blacklist(addresses=frozenset({"华星时代 广场A座"}))
    outcome = one("blacklist", make_facts(address="文三路478号 华星时代广场 a座 1201"),
                  blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")
    assert "address" in outcome.reason and "华星时代广场a座" in outcome.reason
    # The fragment may span the region and the street line.
    spanning = Blacklist(addresses=frozenset({"西湖区文三路"}))
    assert one("blacklist", make_facts(), spanning).verdict is Verdict.EXCEPTION
    other = Blacklist(addresses=frozenset({"华星时代广场B座"}))
    assert_passes(one("blacklist", make_facts(), other), "blacklist")


def test_blacklist_names_every_list_that_matched() -> None:
    blacklist = Blacklist(buyers=frozenset({"tb_buyer_01"}),
                          phones=frozenset({"13800138000"}),
                          addresses=frozenset({"文三路"}))
    outcome = one("blacklist", make_facts(), blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")
    assert all(word in outcome.reason for word in ("buyer", "phone", "address"))


def test_blank_blacklist_entries_match_nobody() -> None:
    blacklist = Blacklist(buyers=frozenset({"", " "}), phones=frozenset({""}),
                          addresses=frozenset({"", "　"}))
    assert blacklist == NO_BLACKLIST
    assert_passes(one("blacklist", make_facts(buyer=""), blacklist), "blacklist")


# --------------------------------------------------------------------------- order


def test_a_hold_rule_placed_first_decides() -> None:
    facts = make_facts(remark="不要发韵达", buyer="bad_buyer")
    blacklist = Blacklist(buyers=frozenset({"bad_buyer"}))
    hold_first = [rule("blacklist", position=20), rule("remark_review", position=10)]
    outcome = review(facts, hold_first, blacklist)
    assert_decided(outcome, Verdict.HOLD, "remark_review")
    assert [r.code for r in outcome.results] == ["remark_review"]  # blacklist did not run


def test_an_exception_rule_placed_first_decides() -> None:
    facts = make_facts(remark="不要发韵达", buyer="bad_buyer")
    blacklist = Blacklist(buyers=frozenset({"bad_buyer"}))
    exception_first = [rule("remark_review", position=20), rule("blacklist", position=10)]
    outcome = review(facts, exception_first, blacklist)
    assert_decided(outcome, Verdict.EXCEPTION, "blacklist")
    assert [r.code for r in outcome.results] == ["blacklist"]


def test_results_list_the_rules_that_ran_in_position_order() -> None:
    facts = make_facts(amount_fen=600_000, goods_fen=600_700,
                       lines=(LineFact("SKU-A", True, 1, 600_700, 3),))
    rules = [
        rule("vip_priority", position=5),
        rule("high_value_review", position=40),
        rule("payment_complete", position=1),
        rule("stock_sufficient", position=30),
        rule("remark_review", position=50),
    ]
    outcome = review(facts, rules, NO_BLACKLIST)
    assert [r.code for r in outcome.results] == [
        "payment_complete", "vip_priority", "stock_sufficient", "high_value_review",
    ]
    assert [r.verdict for r in outcome.results] == [
        Verdict.PASS, Verdict.PASS, Verdict.PASS, Verdict.HOLD,
    ]
    assert_decided(outcome, Verdict.HOLD, "high_value_review")


def test_disabled_rules_are_skipped() -> None:
    facts = make_facts(buyer="bad_buyer", paid=False)
    blacklist = Blacklist(buyers=frozenset({"bad_buyer"}))
    rules = [rule("blacklist", position=1, enabled=False),
             rule("payment_complete", position=2, enabled=False),
             rule("vip_priority", position=3)]
    outcome = review(facts, rules, blacklist)
    assert outcome.verdict is Verdict.PASS
    assert [r.code for r in outcome.results] == ["vip_priority"]
    enabled = review(facts, [dataclasses.replace(r, enabled=True) for r in rules], blacklist)
    assert_decided(enabled, Verdict.EXCEPTION, "blacklist")


def test_no_enabled_rules_passes() -> None:
    outcome = review(make_facts(paid=False), [rule("payment_complete", enabled=False)],
                     NO_BLACKLIST)
    assert outcome.verdict is Verdict.PASS
    assert outcome.results == ()
    assert outcome.vip_boost is False


def test_vip_boost_needs_vip_priority_to_have_run() -> None:
    facts = make_facts(vip_level=5, remark="不要发韵达")
    before = review(facts, [rule("vip_priority", 1), rule("remark_review", 2)], NO_BLACKLIST)
    assert_decided(before, Verdict.HOLD, "remark_review")
    assert before.vip_boost is True  # a held VIP order keeps its boost
    after = review(facts, [rule("remark_review", 1), rule("vip_priority", 2)], NO_BLACKLIST)
    assert_decided(after, Verdict.HOLD, "remark_review")
    assert after.vip_boost is False
    disabled = review(make_facts(vip_level=5), [rule("vip_priority", enabled=False)],
                      NO_BLACKLIST)
    assert disabled.vip_boost is False


# --------------------------------------------------------------------------- params


def test_validate_rule_params_fills_defaults() -> None:
    assert validate_rule_params("amount_consistent", {}) == {"tolerance_fen": 1}
    assert validate_rule_params("high_value_review", {}) == {"threshold_fen": 500_000}
    assert validate_rule_params("vip_priority", {}) == {"min_level": 3}
    assert validate_rule_params("stock_sufficient", {}) == {}
    ignore = validate_rule_params("remark_review", {})["ignore"]
    assert isinstance(ignore, list) and "无" in ignore and "请尽快发货" in ignore
    assert validate_rule_params("high_value_review", {"threshold_fen": 100_000}) == {
        "threshold_fen": 100_000}


def test_validate_rule_params_cleans_phrases() -> None:
    params = validate_rule_params("remark_review", {"ignore": [" 无 ", "", "无", "谢谢"]})
    assert params == {"ignore": ["无", "谢谢"]}


def test_unknown_rule_code_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="no_such_rule"):
        validate_rule_params("no_such_rule", {})
    with pytest.raises(ValueError, match="no_such_rule"):
        review(make_facts(), [rule("payment_complete"), rule("no_such_rule", 20)],
               NO_BLACKLIST)
    # Even disabled: a mistyped code must not pass silently as "switched off".
    with pytest.raises(ValueError, match="no_such_rule"):
        review(make_facts(), [rule("no_such_rule", enabled=False)], NO_BLACKLIST)


@pytest.mark.parametrize(("code", "params", "param"), [
    ("high_value_review", {"threshold_fen": -1}, "threshold_fen"),
    ("high_value_review", {"threshold_fen": "500000"}, "threshold_fen"),
    ("high_value_review", {"threshold_fen": 5000.0}, "threshold_fen"),
    ("high_value_review", {"threshold_fen": True}, "threshold_fen"),
    ("high_value_review", {"threshold": 100}, "threshold"),
    ("amount_consistent", {"tolerance_fen": -5}, "tolerance_fen"),
    ("amount_consistent", {"tolerance_fen": None}, "tolerance_fen"),
    ("vip_priority", {"min_level": -1}, "min_level"),
    ("vip_priority", {"min_level": 11}, "min_level"),
    ("vip_priority", {"min_level": "3"}, "min_level"),
    ("remark_review", {"ignore": "无"}, "ignore"),
    ("remark_review", {"ignore": ["无", 3]}, "ignore"),
    ("remark_review", {"ignore": None}, "ignore"),
    ("stock_sufficient", {"anything": 1}, "anything"),
])
def test_bad_params_are_refused_naming_rule_and_param(code: str, params: dict[str, object],
                                                      param: str) -> None:
    with pytest.raises(ValueError, match=code) as raised:
        validate_rule_params(code, params)
    assert repr(param) in str(raised.value)
    with pytest.raises(ValueError, match=code):
        review(make_facts(), [RuleSpec(code, True, params, 1)], NO_BLACKLIST)


def test_params_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(ValueError, match="vip_priority"):
        validate_rule_params("vip_priority", [("min_level", 3)])  # type: ignore[arg-type]


def test_a_broken_rule_after_the_deciding_rule_still_fails() -> None:
    rules = [rule("payment_complete", 1), rule("high_value_review", 2, threshold_fen=-1)]
    with pytest.raises(ValueError, match="threshold_fen"):
        review(make_facts(paid=False), rules, NO_BLACKLIST)
