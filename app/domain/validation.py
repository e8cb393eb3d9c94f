"""Order validation: is an order complete and consistent enough to review, route and ship?

Checks the receiver (name, phone), the address against the national region table, the SKUs,
the quantities and the amounts, and reports every problem under the exception category the
engine files the order under. Pure (standard library and app.domain only), so the engine, the
CLI, the screens and the tests share one definition of "valid".

Phone numbers (`normalize_phone`, `phone_kind`) are decided as follows:

* Mobile: 11 digits `1[3-9]xxxxxxxxx`; a `+86`, `0086` or bare `86` prefix, spaces and dashes
  are tolerated. Normal form: `13800138000`.
* Landline: area code `010`, `02x` or `0[3-9]xx`, then a 7–8 digit local number that starts
  with 2–9 (local numbers never start with 0 or 1). Written as `0571-88231234`,
  `(0571)88231234`, `+86 571 8823 1234` and so on; the area code is required because a courier
  dials from anywhere. An extension of 1–6 digits may follow after `-`, `转`, `分机`, `ext`,
  `x`, `#`, `,` or in brackets. Normal form: `0571-88231234` or `0571-88231234-123`.
* Virtual (privacy) numbers that the platforms hand out instead of the buyer's own: a mobile
  followed by exactly 4 extension digits, written `13800138000-1234`, `13800138000转1234` or
  `13800138000[1234]`. They are valid receiver phones (the courier dials the relay, then the
  extension) and count as `mobile`. Normal form: `13800138000-1234`. Any other digit count
  after a mobile is a typo, not a virtual number, and is refused.
* 400/800 service numbers (also as 0400-… or +86 400 …: no area code ends in 00), short
  numbers, foreign numbers and several numbers in one field are refused: a parcel needs one
  mainland number that reaches the receiver.

Normal forms are fixed points: normalizing a normal form gives it back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.domain.money import format_yuan
from app.domain.notes import Note
from app.domain.regions import Region, RegionTable, Resolution, ResolveStatus

__all__ = [
    "ADDRESS_AMBIGUOUS",
    "ADDRESS_INVALID",
    "AMOUNT_MISMATCH",
    "MIN_ADDRESS_CHARS",
    "MAX_RECEIVER_NAME_CHARS",
    "PHONE_INVALID",
    "QTY_INVALID",
    "RECEIVER_INCOMPLETE",
    "SKU_UNKNOWN",
    "LineFact",
    "OrderFacts",
    "PhoneKind",
    "Problem",
    "address_line_problem",
    "amount_notes",
    "check_address",
    "check_amounts",
    "normalize_phone",
    "phone_kind",
    "region_problem",
    "validate",
]

# Exception categories (the `exception` codes of DECISIONS.md) that validation can raise.
RECEIVER_INCOMPLETE = "receiver_incomplete"
PHONE_INVALID = "phone_invalid"
ADDRESS_INVALID = "address_invalid"
ADDRESS_AMBIGUOUS = "address_ambiguous"
SKU_UNKNOWN = "sku_unknown"
QTY_INVALID = "qty_invalid"
AMOUNT_MISMATCH = "amount_mismatch"

MAX_RECEIVER_NAME_CHARS = 50
# Counted in letters and digits: a masked address ("****") or "1号" cannot be delivered.
MIN_ADDRESS_CHARS = 4

PhoneKind = Literal["mobile", "landline"]

# --------------------------------------------------------------------------- phones

# Every dash a Chinese input method or a spreadsheet produces, read as "-".
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―﹣－−", "-"))
_SEPARATORS = re.compile(r"[-().]")
_NUMBER_CHARS = re.compile(r"\+?[0-9().\-]+")
_DIGITS = re.compile(r"[0-9]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# The prefixes are mutually exclusive (010 / 02x / 0[3-9]xx), so the split is unambiguous.
# No area code ends in 00; excluding 0x00 keeps 400/800 numbers written with a leading 0
# or after +86 (0400-8208820) from passing as landlines.
_LANDLINE = re.compile(r"(010|02[0-9]|0[3-9](?!00)[0-9]{2})([2-9][0-9]{6,7})")
_BRACKET_EXTENSION = re.compile(r"(?P<main>.+?)[\[【(](?P<ext>[0-9]+)[\]】)]")
_MARKED_EXTENSION = re.compile(
    r"(?P<main>.+?)(?:转|分机号|分机|ext\.?|x|#|,)(?P<ext>[0-9]+)", re.IGNORECASE
)
_SERVICE_NUMBER = re.compile(r"[48]00[0-9]{7}")
_MOBILE_EXTENSION_DIGITS = 4
_MAX_LANDLINE_EXTENSION_DIGITS = 6


@dataclass(frozen=True, slots=True)
class _Phone:
    kind: PhoneKind
    number: str
    extension: str

    def text(self) -> str:
        return f"{self.number}-{self.extension}" if self.extension else self.number


def _compact(raw: str) -> str:
    # NFKC turns full-width digits, brackets and commas into ASCII; whitespace (incl. U+3000)
    # never carries meaning in a phone number.
    return "".join(unicodedata.normalize("NFKC", raw).split()).translate(_DASHES)


def _parse_number(text: str) -> _Phone | None:
    """One number without extension: mobile or landline, with its country prefix peeled."""
    if not _NUMBER_CHARS.fullmatch(text):
        return None
    international = text.startswith("+")
    digits = _SEPARATORS.sub("", text.lstrip("+"))
    if international:
        if not digits.startswith("86"):
            return None
        digits = digits[2:]
    elif digits.startswith("0086"):
        international = True
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        # A bare 86 only ever prefixes a mobile; on a landline it would be a local number.
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return _Phone("mobile", digits, "")
    if international and not digits.startswith("0"):
        # International form drops the trunk 0 of the area code: +86 571 … is 0571 …,
        # +86 10 … is 010 … (mobiles start 13-19, so 10 is always Beijing).
        digits = "0" + digits
    landline = _LANDLINE.fullmatch(digits)
    if landline:
        return _Phone("landline", f"{landline[1]}-{landline[2]}", "")
    return None


def _with_extension(phone: _Phone | None, extension: str) -> _Phone | None:
    if phone is None or not extension:
        return phone
    if phone.kind == "mobile":
        if len(extension) != _MOBILE_EXTENSION_DIGITS:
            return None
    elif len(extension) > _MAX_LANDLINE_EXTENSION_DIGITS:
        return None
    return _Phone(phone.kind, phone.number, extension)


def _parse_phone(raw: str) -> _Phone | None:
    text = _compact(raw)
    if not text:
        return None
    marked = _BRACKET_EXTENSION.fullmatch(text) or _MARKED_EXTENSION.fullmatch(text)
    if marked:
        return _with_extension(_parse_number(marked["main"]), marked["ext"])
    # A trailing dash group is an extension when what precedes it is a whole number on its
    # own (13800138000-1234, 0571-88231234-123); otherwise the dashes only group digits
    # (138-0013-8000, 0571-8823-1234). Trying the extension reading first keeps the normal
    # forms fixed points: 010-2345678-9 stays an extension instead of becoming 010-23456789.
    head, dash, tail = text.rpartition("-")
    if dash and head and _DIGITS.fullmatch(tail):
        phone = _with_extension(_parse_number(head), tail)
        if phone is not None:
            return phone
    return _parse_number(text)


def normalize_phone(raw: str) -> str | None:
    """The phone's normal form (see the module notes), or None when it cannot reach anyone."""
    phone = _parse_phone(raw)
    return None if phone is None else phone.text()


def phone_kind(raw: str) -> PhoneKind | None:
    """'mobile' (virtual numbers included), 'landline', or None for an unusable number."""
    phone = _parse_phone(raw)
    return None if phone is None else phone.kind


def _phone_problem(raw: str) -> Problem:
    shown = raw.strip()
    if not shown:
        return Problem(PHONE_INVALID, "receiver phone is empty", "receiver.phone_empty")
    digits = _SEPARATORS.sub("", _compact(shown)).lstrip("+")
    for prefix in ("0086", "86"):
        digits = digits.removeprefix(prefix)
    if _SERVICE_NUMBER.fullmatch(digits.lstrip("0")):
        return Problem(PHONE_INVALID,
                       f"receiver phone {shown!r} is a 400/800 service number, not the receiver's",
                       "receiver.phone_service", {"phone": shown})
    return Problem(PHONE_INVALID,
                   f"receiver phone {shown!r} is not a mainland mobile or landline number",
                   "receiver.phone_invalid", {"phone": shown})


# --------------------------------------------------------------------------- order facts


@dataclass(frozen=True, slots=True)
class LineFact:
    """One order line as validation and review see it.

    `available` is the stock (or, for presale lines, the campaign pool) for this SKU across the
    warehouses the engine may route to.
    """

    sku_code: str
    sku_known: bool
    qty: int
    price_fen: int
    available: int


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What validation and review need to know about one order; money in fen."""

    channel_order_no: str
    receiver_name: str
    receiver_phone: str
    province: str
    city: str
    district: str
    address: str
    buyer: str
    lines: tuple[LineFact, ...]
    goods_fen: int
    discount_fen: int
    amount_fen: int
    paid: bool  # fully paid, or balance paid for presale
    is_presale: bool
    vip_level: int
    remark: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an order cannot go on: an exception category and what a person should fix."""

    category: str
    detail: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    def note(self) -> Note:
        return Note(self.code or f"problem.{self.category}", self.detail, self.params)


# --------------------------------------------------------------------------- checks


def _meaningful_chars(text: str) -> int:
    return sum(map(str.isalnum, text))  # letters and digits of any script


def _receiver_name_problem(name: str) -> Problem | None:
    name = name.strip()
    if not name:
        return Problem(RECEIVER_INCOMPLETE, "receiver name is empty", "receiver.name_empty")
    if len(name) > MAX_RECEIVER_NAME_CHARS:
        return Problem(
            RECEIVER_INCOMPLETE,
            f"receiver name is {len(name)} characters, at most {MAX_RECEIVER_NAME_CHARS}",
            "receiver.name_too_long", {"length": len(name), "limit": MAX_RECEIVER_NAME_CHARS},
        )
    # Masked names (张**) keep a letter; "123" or "**" are an order number or a mask, not a
    # person the courier can ask for.
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        return Problem(RECEIVER_INCOMPLETE, f"receiver name {name!r} has no letters",
                       "receiver.name_no_letters", {"name": name})
    return None


def address_line_problem(address: str) -> Problem | None:
    """`address_invalid` when the street line is missing or too short to deliver to."""
    if _meaningful_chars(address) < MIN_ADDRESS_CHARS:
        shown = address.strip()
        what = f"address line {shown!r} is too short" if shown else "address line is empty"
        return Problem(ADDRESS_INVALID, f"{what} (at least {MIN_ADDRESS_CHARS} characters)",
                       "address.line_too_short" if shown else "address.line_empty",
                       {"line": shown, "minimum": MIN_ADDRESS_CHARS})
    return None


def region_problem(resolution: Resolution, province: str, city: str,
                   district: str) -> Problem | None:
    """The problem a region resolution amounts to, or None when it resolved."""
    if resolution.status is ResolveStatus.OK:
        return None
    given = "/".join(part.strip() or "-" for part in (province, city, district))
    if resolution.status is ResolveStatus.AMBIGUOUS:
        names = ", ".join(f"{r.province}{r.city}{r.district}" for r in resolution.candidates)
        return Problem(ADDRESS_AMBIGUOUS, f"{given} could be any of: {names}",
                       "address.ambiguous", {"given": given, "names": names})
    return Problem(ADDRESS_INVALID, f"{given}: {resolution.reason}",
                   resolution.code or "address.invalid",
                   {**resolution.params, "given": given})


def check_address(facts: OrderFacts, regions: RegionTable) -> tuple[list[Problem], Region | None]:
    """Street line and region; the region is returned whenever it resolves."""
    problems: list[Problem] = []
    line = address_line_problem(facts.address)
    if line is not None:
        problems.append(line)
    resolution = regions.resolve(facts.province, facts.city, facts.district)
    problem = region_problem(resolution, facts.province, facts.city, facts.district)
    if problem is not None:
        problems.append(problem)
    return problems, resolution.region


def check_amounts(facts: OrderFacts, tolerance_fen: int = 1) -> str | None:
    """Why the amounts disagree, or None. amount = goods − discount, goods = Σ price × qty.

    The line total is compared exactly (it is our own integer arithmetic); the paid amount
    within `tolerance_fen`, because platforms round shared coupons per line.
    """
    return "; ".join(n.text for n in amount_notes(facts, tolerance_fen)) or None


def amount_notes(facts: OrderFacts, tolerance_fen: int = 1) -> list[Note]:
    """`check_amounts` as notes, one per disagreement."""
    y = format_yuan
    issues: list[Note] = []
    if facts.discount_fen < 0:
        issues.append(Note("amount.discount_negative",
                           f"discount {y(facts.discount_fen)} is negative",
                           {"discount": y(facts.discount_fen)}))
    if facts.amount_fen < 0:
        issues.append(Note("amount.amount_negative", f"amount {y(facts.amount_fen)} is negative",
                           {"amount": y(facts.amount_fen)}))
    if facts.lines:
        line_total = sum(line.price_fen * line.qty for line in facts.lines)
        if line_total != facts.goods_fen:
            issues.append(Note(
                "amount.lines_differ",
                f"goods {y(facts.goods_fen)} but the lines add up to {y(line_total)}",
                {"goods": y(facts.goods_fen), "lines": y(line_total)}))
    expected = facts.goods_fen - facts.discount_fen
    if abs(facts.amount_fen - expected) > tolerance_fen:
        issues.append(Note(
            "amount.paid_differs",
            f"amount {y(facts.amount_fen)} but goods {y(facts.goods_fen)} "
            f"− discount {y(facts.discount_fen)} = {y(expected)}",
            {"amount": y(facts.amount_fen), "goods": y(facts.goods_fen),
             "discount": y(facts.discount_fen), "expected": y(expected)}))
    return issues


def validate(facts: OrderFacts, regions: RegionTable) -> tuple[list[Problem], Region | None]:
    """Every problem with the order, in a fixed order, and its region when the address resolves.

    Order: receiver name, phone, address line, region, SKUs, quantities, amounts.
    """
    problems: list[Problem] = []
    name = _receiver_name_problem(facts.receiver_name)
    if name is not None:
        problems.append(name)
    if _parse_phone(facts.receiver_phone) is None:
        problems.append(_phone_problem(facts.receiver_phone))
    address_problems, region = check_address(facts, regions)
    problems.extend(address_problems)

    unknown = list(dict.fromkeys(line.sku_code for line in facts.lines if not line.sku_known))
    if unknown:
        problems.append(Problem(SKU_UNKNOWN, "unknown SKU(s): " + ", ".join(unknown),
                                "order.sku_unknown", {"skus": ", ".join(unknown)}))
    if not facts.lines:
        problems.append(Problem(QTY_INVALID, "the order has no lines", "order.no_lines"))
    else:
        bad = [f"{line.sku_code} × {line.qty}" for line in facts.lines if line.qty <= 0]
        if bad:
            problems.append(Problem(QTY_INVALID, "quantity must be above 0: " + ", ".join(bad),
                                    "order.qty_not_positive", {"lines": ", ".join(bad)}))

    amounts = amount_notes(facts)
    if amounts:
        problems.extend(Problem(AMOUNT_MISMATCH, n.text, n.code, n.params) for n in amounts)
    return problems, region
