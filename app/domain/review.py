"""Auto review (审单): an ordered list of rules, kept as data, that pass, hold or raise an exception.

The rules come from the `review_rules` table (code, enabled, params, position) and a shift lead
edits them; this module only knows what each built-in code means and how its parameters look.
Rules run in position order and the first one that does not pass decides: a hold rule placed
before an exception rule holds the order, and the other way round. Pure (standard library and
app.domain only).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.money import format_yuan
from app.domain.notes import CodedError, Note
from app.domain.regions import RegionTable
from app.domain.validation import (
    ADDRESS_AMBIGUOUS,
    ADDRESS_INVALID,
    AMOUNT_MISMATCH,
    OrderFacts,
    address_line_problem,
    amount_notes,
    check_address,
    is_masked,
    normalize_phone,
)

__all__ = [
    "BLACKLIST",
    "DEFAULT_RULES",
    "RuleParamError",
    "HIGH_VALUE_REVIEW",
    "OUT_OF_STOCK",
    "PAYMENT_INCOMPLETE",
    "REMARK_REVIEW",
    "RULE_CODES",
    "Blacklist",
    "ReviewOutcome",
    "RuleResult",
    "RuleSpec",
    "Verdict",
    "review",
    "validate_rule_params",
]

# Categories review can raise besides the address and amount ones validation defines.
OUT_OF_STOCK = "out_of_stock"
PAYMENT_INCOMPLETE = "payment_incomplete"
BLACKLIST = "blacklist"
# Hold reason codes.
REMARK_REVIEW = "remark_review"
HIGH_VALUE_REVIEW = "high_value_review"

_MAX_VIP_LEVEL = 10  # intake accepts vip_level 0-10

# Each built-in code with its parameters' defaults; a parameter not listed here is refused so
# that a typo in the editor (threshold instead of threshold_fen) cannot silently fall back to
# the default.
_DEFAULTS: dict[str, dict[str, object]] = {
    "stock_sufficient": {},
    "address_valid": {},
    "payment_complete": {},
    "amount_consistent": {"tolerance_fen": 1},
    "blacklist": {},
    "remark_review": {"ignore": ["无", "没有", "无备注", "请尽快发货", "尽快发货", "谢谢"]},
    "high_value_review": {"threshold_fen": 500_000},
    "vip_priority": {"min_level": 3},
}
RULE_CODES: tuple[str, ...] = tuple(_DEFAULTS)


class Verdict(StrEnum):
    PASS = "pass"
    HOLD = "hold"
    EXCEPTION = "exception"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One row of the rule list: which rule, whether it runs, its parameters, its place."""

    code: str
    enabled: bool
    params: Mapping[str, object]
    position: int


# The list a new installation starts with: exceptions that need fixing before holds that need
# a look, and VIP last because its boost only matters for an order that goes on.
DEFAULT_RULES: tuple[RuleSpec, ...] = tuple(
    RuleSpec(code, True, {}, (i + 1) * 10)
    for i, code in enumerate((
        "payment_complete", "address_valid", "amount_consistent", "blacklist",
        "stock_sufficient", "remark_review", "high_value_review", "vip_priority",
    ))
)


class RuleParamError(CodedError):
    """A review rule's parameters that cannot work; the code names what is wrong."""


@dataclass(frozen=True, slots=True)
class RuleResult:
    code: str
    verdict: Verdict
    category: str | None
    reason: str
    notes: tuple[Note, ...] = ()  # the reason as codes the screens word


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    verdict: Verdict
    category: str | None  # exception category or hold reason code
    reason: str
    results: tuple[RuleResult, ...]
    vip_boost: bool
    notes: tuple[Note, ...] = ()


# --------------------------------------------------------------------------- parameters


def _int_param(code: str, key: str, value: object, low: int, high: int | None) -> int:
    # bool is an int to Python, but True as a threshold is a form bug, not 1 fen.
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleParamError(
            f"review rule {code!r}: param {key!r} must be an integer, got {value!r}",
            "rules.param_not_integer", rule=code, param=key,
        )
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        text = f"review rule {code!r}: param {key!r} must be {bounds}, got {value}"
        if high is None:
            raise RuleParamError(text, "rules.param_too_low", rule=code, param=key, low=low)
        raise RuleParamError(text, "rules.param_out_of_range", rule=code, param=key, low=low,
                             high=high)
    return value


def _phrases_param(code: str, key: str, value: object) -> list[str]:
    # A bare string is a sequence too; taking it letter by letter would ignore every "无".
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise RuleParamError(
            f"review rule {code!r}: param {key!r} must be a list of phrases, got {value!r}",
            "rules.param_not_list", rule=code, param=key,
        )
    phrases: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise RuleParamError(
                f"review rule {code!r}: param {key!r} must hold only text, got {item!r}",
                "rules.param_not_text", rule=code, param=key,
            )
        phrase = item.strip()
        if phrase and phrase not in phrases:  # blank lines from the editor are not phrases
            phrases.append(phrase)
    return phrases


def validate_rule_params(code: str, params: Mapping[str, object]) -> dict[str, object]:
    """The rule's parameters checked and completed with defaults; ValueError names what is wrong."""
    defaults = _DEFAULTS.get(code)
    if defaults is None:
        raise RuleParamError(f"unknown review rule {code!r} (known: {', '.join(RULE_CODES)})",
                             "rules.not_found", rule=code)
    if not isinstance(params, Mapping):
        raise RuleParamError(f"review rule {code!r}: params must be a mapping, got {params!r}",
                             "rules.params_not_mapping", rule=code)
    unknown = [repr(key) for key in params if key not in defaults]
    if unknown:
        raise RuleParamError(f"review rule {code!r}: unknown param(s) {', '.join(unknown)}",
                             "rules.unknown_param", rule=code, names=", ".join(unknown))
    normalized = dict(defaults)
    for key, value in params.items():
        if key == "ignore":
            normalized[key] = _phrases_param(code, key, value)
        elif key == "min_level":
            normalized[key] = _int_param(code, key, value, 0, _MAX_VIP_LEVEL)
        else:  # tolerance_fen, threshold_fen: amounts in fen
            normalized[key] = _int_param(code, key, value, 0, None)
    return normalized


def _int(params: Mapping[str, object], key: str) -> int:
    value = params[key]
    if not isinstance(value, int):  # validate_rule_params guarantees it; this keeps mypy honest
        raise TypeError(f"{key} is {value!r}")
    return value


def _phrases(params: Mapping[str, object], key: str) -> list[str]:
    value = params[key]
    if not isinstance(value, list):
        raise TypeError(f"{key} is {value!r}")
    return [str(item) for item in value]


# --------------------------------------------------------------------------- blacklist


def _text_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _address_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _phone_key(text: str) -> str:
    # An entry or order phone that is not a valid number still matches itself, written alike.
    normalized = normalize_phone(text)
    return normalized if normalized is not None else "".join(_text_key(text).split())


def _keys(entries: Iterable[str], key: Callable[[str], str], *,
          masks: bool = True) -> frozenset[str]:
    # Blank entries are dropped: "" is contained in every address and would block everyone.
    # Without `masks`, so are masks (138****8000, 文三路****): a mask stands for many
    # people, and would block every order the platform masks alike.
    return frozenset(k for k in (key(entry) for entry in entries)
                     if k and (masks or not is_masked(k)))


@dataclass(frozen=True, slots=True)
class Blacklist:
    """Buyers, phones and address fragments whose orders go to the exception queue.

    Entries are normalized once, on construction: phones to their normal form (so
    `+86 138-0013-8000` is stored and matched as `13800138000`), addresses without whitespace
    and case. A virtual number (`13800138000-1234`) matches only itself: the mobile part is a
    relay that many buyers share. Masks match nothing: a phone or address entry holding a `*`
    is dropped, and an order's masked phone (an encrypted receiver's 138****8000) is never
    on the list; a masked address line matches only by the fragments the platform shows.
    """

    buyers: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "buyers", _keys(self.buyers, _text_key))
        object.__setattr__(self, "phones", _keys(self.phones, _phone_key, masks=False))
        object.__setattr__(self, "addresses", _keys(self.addresses, _address_key, masks=False))

    def matches(self, facts: OrderFacts) -> list[str]:
        """What on the order is blacklisted, one phrase per list that matched."""
        return [note.text for note in self.match_notes(facts)]

    def match_notes(self, facts: OrderFacts) -> list[Note]:
        found: list[Note] = []
        buyer = _text_key(facts.buyer)
        if buyer and buyer in self.buyers:
            found.append(Note("review.blacklist_buyer",
                              f"buyer {buyer!r} is on the buyer blacklist", {"buyer": buyer}))
        # A masked phone (138****8000) is never a blacklisted number: many people share it.
        phone = "" if is_masked(facts.receiver_phone) else _phone_key(facts.receiver_phone)
        if phone and phone in self.phones:
            found.append(Note("review.blacklist_phone",
                              f"phone {phone} is on the phone blacklist", {"phone": phone}))
        if self.addresses:
            full = _address_key(facts.province + facts.city + facts.district + facts.address)
            hits = sorted(entry for entry in self.addresses if entry in full)
            if hits:
                found.append(Note(
                    "review.blacklist_address",
                    "address contains blacklisted " + ", ".join(repr(h) for h in hits),
                    {"entries": ", ".join(hits)}))
        return found


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class _Context:
    blacklist: Blacklist
    region_ok: bool | None
    region_problem: str | None


def _passed(code: str, reason: str) -> RuleResult:
    return RuleResult(code, Verdict.PASS, None, reason)


def _stock_sufficient(facts: OrderFacts, params: Mapping[str, object],
                      ctx: _Context) -> RuleResult:
    # Two lines of one SKU draw on the same stock, so they are summed before comparing.
    need: dict[str, int] = {}
    available: dict[str, int] = {}
    for line in facts.lines:
        need[line.sku_code] = need.get(line.sku_code, 0) + line.qty
        available[line.sku_code] = min(available.get(line.sku_code, line.available),
                                       line.available)
    short = [(sku, qty, available[sku]) for sku, qty in need.items() if available[sku] < qty]
    if short:
        pool = "presale pool" if facts.is_presale else "stock"
        code = "review.short_pool" if facts.is_presale else "review.short_stock"
        notes = tuple(Note(code, f"not enough {pool}: {sku} needs {qty}, {have} available",
                           {"sku": sku, "qty": qty, "available": have})
                      for sku, qty, have in short)
        return RuleResult("stock_sufficient", Verdict.EXCEPTION, OUT_OF_STOCK,
                          f"not enough {pool}: " + "; ".join(
                              f"{sku} needs {qty}, {have} available" for sku, qty, have in short),
                          notes)
    return _passed("stock_sufficient", f"stock covers {len(need)} SKU(s)")


def _address_valid(facts: OrderFacts, params: Mapping[str, object],
                   ctx: _Context) -> RuleResult:
    code = "address_valid"
    line = address_line_problem(facts.address, facts.receiver_encrypted)
    if line is not None:
        return RuleResult(code, Verdict.EXCEPTION, line.category, line.detail, (line.note(),))
    if ctx.region_ok is None and ctx.region_problem is None:
        # The engine did not say: resolve here against the shipped national table.
        problems, _region = check_address(facts, RegionTable.default())
        if problems:
            return RuleResult(code, Verdict.EXCEPTION, problems[0].category,
                              problems[0].detail, (problems[0].note(),))
    elif not ctx.region_ok:
        category = ctx.region_problem or ADDRESS_INVALID
        where = "/".join(p for p in (facts.province, facts.city, facts.district) if p.strip())
        text = f"region {where or '(empty)'} did not resolve ({category})"
        return RuleResult(code, Verdict.EXCEPTION, category, text,
                          (Note("review.region_unresolved", text,
                                {"region": where, "category": category}),))
    return _passed(code, "address resolves")


def _payment_complete(facts: OrderFacts, params: Mapping[str, object],
                      ctx: _Context) -> RuleResult:
    if not facts.paid:
        what = "presale balance is not paid" if facts.is_presale else "order is not paid"
        code = "review.balance_unpaid" if facts.is_presale else "review.unpaid"
        return RuleResult("payment_complete", Verdict.EXCEPTION, PAYMENT_INCOMPLETE, what,
                          (Note(code, what),))
    return _passed("payment_complete", "paid")


def _amount_consistent(facts: OrderFacts, params: Mapping[str, object],
                       ctx: _Context) -> RuleResult:
    tolerance = _int(params, "tolerance_fen")
    notes = amount_notes(facts, tolerance)
    if notes:
        issue = "; ".join(n.text for n in notes)
        return RuleResult("amount_consistent", Verdict.EXCEPTION, AMOUNT_MISMATCH,
                          f"{issue} (tolerance {tolerance} fen)", tuple(notes))
    return _passed("amount_consistent", "amounts agree")


def _blacklist(facts: OrderFacts, params: Mapping[str, object], ctx: _Context) -> RuleResult:
    found = ctx.blacklist.match_notes(facts)
    if found:
        return RuleResult("blacklist", Verdict.EXCEPTION, BLACKLIST,
                          "; ".join(n.text for n in found), tuple(found))
    return _passed("blacklist", "not blacklisted")


def _is_separator(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def _segments(text: str) -> list[str]:
    """Text split at whitespace, punctuation and symbols (emoji included), NFKC and casefolded."""
    words: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if _is_separator(ch):
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _remark_needs_person(remark: str, ignore: Sequence[str]) -> bool:
    # A remark is routine when each of its pieces is a routine phrase ("无。", "请尽快发货！谢谢")
    # or it is one routine phrase written with punctuation inside; anything else is read by a
    # person, so "不要发韵达" is never waved through because it contains "不要".
    segments = _segments(remark)
    if not segments:
        return False
    phrases = {"".join(_segments(phrase)) for phrase in ignore}
    phrases.discard("")
    return not (all(s in phrases for s in segments) or "".join(segments) in phrases)


def _remark_review(facts: OrderFacts, params: Mapping[str, object],
                   ctx: _Context) -> RuleResult:
    if _remark_needs_person(facts.remark, _phrases(params, "ignore")):
        return RuleResult("remark_review", Verdict.HOLD, REMARK_REVIEW,
                          f"buyer remark needs a person: {facts.remark.strip()!r}",
                          (Note("review.remark", "buyer remark needs a person: "
                                f"{facts.remark.strip()!r}", {"remark": facts.remark.strip()}),))
    return _passed("remark_review", "no remark that needs a person")


def _high_value_review(facts: OrderFacts, params: Mapping[str, object],
                       ctx: _Context) -> RuleResult:
    threshold = _int(params, "threshold_fen")
    if facts.amount_fen >= threshold:
        text = f"amount {format_yuan(facts.amount_fen)} is at or above {format_yuan(threshold)}"
        return RuleResult(
            "high_value_review", Verdict.HOLD, HIGH_VALUE_REVIEW, text,
            (Note("review.high_value", text, {"amount": format_yuan(facts.amount_fen),
                                              "threshold": format_yuan(threshold)}),),
        )
    return _passed("high_value_review", f"amount below {format_yuan(threshold)}")


def _vip_boost(facts: OrderFacts, params: Mapping[str, object]) -> bool:
    return facts.vip_level >= _int(params, "min_level")


def _vip_priority(facts: OrderFacts, params: Mapping[str, object],
                  ctx: _Context) -> RuleResult:
    level, minimum = facts.vip_level, _int(params, "min_level")
    if _vip_boost(facts, params):
        return _passed("vip_priority", f"VIP level {level} ≥ {minimum}: priority boost")
    return _passed("vip_priority", f"VIP level {level} < {minimum}: no boost")


_RULES: dict[str, Callable[[OrderFacts, Mapping[str, object], _Context], RuleResult]] = {
    "stock_sufficient": _stock_sufficient,
    "address_valid": _address_valid,
    "payment_complete": _payment_complete,
    "amount_consistent": _amount_consistent,
    "blacklist": _blacklist,
    "remark_review": _remark_review,
    "high_value_review": _high_value_review,
    "vip_priority": _vip_priority,
}


@dataclass(frozen=True, slots=True)
class PreparedRules:
    """A rule list checked and ordered once, for callers that review many orders with it."""

    running: tuple[tuple[RuleSpec, dict[str, object]], ...]


def prepare_rules(rules: Sequence[RuleSpec]) -> PreparedRules:
    """Check every rule (disabled ones too) and order the enabled ones by position."""
    checked = [(spec, validate_rule_params(spec.code, spec.params)) for spec in rules]
    # sorted() is stable: rules sharing a position keep the order they were given in.
    return PreparedRules(tuple(sorted((item for item in checked if item[0].enabled),
                                      key=lambda i: i[0].position)))


def review(
    facts: OrderFacts,
    rules: Sequence[RuleSpec] | PreparedRules,
    blacklist: Blacklist,
    region_ok: bool | None = None,
    region_problem: str | None = None,
) -> ReviewOutcome:
    """Run the enabled rules in position order; the first that does not pass decides.

    `region_ok` / `region_problem` carry what the engine already resolved: True passes the
    region part of `address_valid`; False (or a `region_problem` of `address_invalid` or
    `address_ambiguous`) raises that category; both None resolves the address here against
    the shipped table. The street line is checked either way, it needs no table.

    Every rule's code and params are checked before any rule runs, disabled rules included,
    so a broken rule list fails on the first order rather than on whichever order happens to
    reach the broken rule. `vip_boost` is set when `vip_priority` ran (before the deciding
    rule) and the buyer's level reaches `min_level`, so a held VIP order keeps its boost.
    """
    if region_problem not in (None, ADDRESS_INVALID, ADDRESS_AMBIGUOUS):
        raise ValueError(
            f"region_problem must be {ADDRESS_INVALID!r} or {ADDRESS_AMBIGUOUS!r}, "
            f"got {region_problem!r}"
        )
    if region_ok and region_problem is not None:
        raise ValueError(f"region_ok=True contradicts region_problem={region_problem!r}")
    prepared = rules if isinstance(rules, PreparedRules) else prepare_rules(rules)
    running = prepared.running
    ctx = _Context(blacklist, region_ok, region_problem)

    results: list[RuleResult] = []
    vip_boost = False
    for spec, params in running:
        result = _RULES[spec.code](facts, params, ctx)
        results.append(result)
        if spec.code == "vip_priority" and _vip_boost(facts, params):
            vip_boost = True
        if result.verdict is not Verdict.PASS:
            return ReviewOutcome(result.verdict, result.category, result.reason,
                                 tuple(results), vip_boost, result.notes)
    reason = f"passed {len(results)} rule(s)" if results else "no review rule is enabled"
    return ReviewOutcome(Verdict.PASS, None, reason, tuple(results), vip_boost)
