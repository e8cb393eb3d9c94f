"""Order validation: is an order complete and consistent enough to review, route and ship?

Checks the receiver (name, phone), the address against the national region table, the SKUs,
the quantities and the amounts, and reports every problem under the exception category the
engine files the order under. Pure (standard library and app.domain only), so the engine, the
CLI, the screens and the tests share one definition of "valid".

Phone numbers (`normalize_phone`, `phone_kind`) are decided as follows (docs/reference-data.md):

* The number itself is judged by `phonenumbers` (Google's libphonenumber metadata): it must be
  a valid mobile or fixed-line number of the mainland (+86), Hong Kong (+852), Macau (+853) or
  Taiwan (+886), the places the region table holds. So unassigned and data-only ranges (140…,
  the IoT numbers), nonexistent area codes (0399), 400/800 service numbers, short numbers and
  numbers of other countries are refused: a parcel needs a number that reaches the receiver.
* Mainland landlines also need a local number that starts with 2–9 (0 and 1 are trunk and
  service prefixes), and the area code: a courier dials from anywhere.
* Country prefixes are read as `+86`, `0086`, `(+86)`, a bare `86` before a mobile, and for
  Hong Kong / Macau / Taiwan also `852-91234567`, `00852…`, `+852 9123 4567` or the bare
  `85291234567`; spaces, dashes of any width, dots and brackets are tolerated, full-width
  digits read as ASCII.
* An extension follows after `-`, `转`, `分机`, `ext`, `x`, `#`, `,` or in brackets. After a
  mobile it is a platform privacy number (虚拟号: the courier dials the relay, then the
  extension): 3 or 4 digits (Taobao writes `18877771111-123` as well as `-1234`); any other
  count is a typo and refused. After a landline: 1–6 digits.
* Normal forms: mainland mobile `13800138000`, privacy number `13800138000-1234`, mainland
  landline `0571-88231234` or `0571-88231234-123` (area code with its 0, a dash, the local
  number: what labels mask and people search by); Hong Kong, Macau and Taiwan numbers in E.164,
  `+85291234567`, with `-ext` likewise. Kind `mobile` (privacy numbers included) or `landline`.

Normal forms are fixed points: normalizing a normal form gives it back.

Encrypted receivers (the platform keeps the receiver as ciphertext and an OAID, and shows the
seller masked forms, `OrderFacts.receiver_encrypted`): the name, phone and address line are
the platform's masks and are judged as masks; province, city and district are plain and are
resolved against the region table as for any order. A `*` is what makes a text a mask:

* Name: 1–50 characters with a letter or a `*` (张**, **, 张*三).
* Phone: a real number as above (a platform's privacy number is one), or a mask
  (`is_phone_mask`): after the reading above (full-width as ASCII, spaces dropped, every dash
  a `-`), only digits and `*` in groups joined by single dashes, at least one `*`, and 7 to 15
  digits and asterisks in all — 138****8000, *******8000, 0571-****1234, 138****8000-1234.
  Anything else (letters, an `x` for a digit, 5 characters) is refused as not a phone mask.
* Address line: not empty; a mask (文三路****, ******) needs no 4 letters, the platform
  prints the real one.

A plaintext receiver (no OAID, no ciphertext) must not carry masks: a `*` in its name or
address line is refused (a courier cannot deliver to 张** or 文三路****), and a `*` in its
phone is not a number.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers

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
    "is_masked",
    "is_phone_mask",
    "check_address",
    "check_amounts",
    "normalize_phone",
    "phone_kind",
    "region_problem",
    "validate",
]

# Exception categories (the codes an order exception is filed under, `OrderException.category`)
# that validation can raise.
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
_BRACKET_EXTENSION = re.compile(r"(?P<main>.+?)[\[【(](?P<ext>[0-9]+)[\]】)]")
_MARKED_EXTENSION = re.compile(
    r"(?P<main>.+?)(?:转|分机号|分机|ext\.?|x|#|,)(?P<ext>[0-9]+)", re.IGNORECASE
)
# A country code written without "+" but set off by a separator: 852-91234567, (852)9123…
_SET_OFF_COUNTRY = re.compile(r"\(?(852|853|886|86)[-)]")
_SERVICE_NUMBER = re.compile(r"[48]00[0-9]{7}")
_COUNTRIES = {"86": "CN", "852": "HK", "853": "MO", "886": "TW"}
_KINDS: dict[int, PhoneKind] = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
}
_MOBILE_EXTENSION_DIGITS = (3, 4)
_MAX_LANDLINE_EXTENSION_DIGITS = 6
_MAX_NUMBER_DIGITS = 17  # E.164 allows 15 digits; 00 + 15 is the longest sensible input
_MAX_PHONE_CHARS = 64


_MASK = "*"
_PHONE_MASK = re.compile(r"[0-9*]+(?:-[0-9*]+)*")
_PHONE_MASK_SYMBOLS = (7, 15)


def is_masked(text: str) -> bool:
    """True when `text` holds the platform's mask character (`*`, full-width ＊ too)."""
    return _MASK in unicodedata.normalize("NFKC", text)


def is_phone_mask(raw: str) -> bool:
    """True when `raw` reads as a platform's mask of a phone number (see the module notes):
    digits and `*` in dash-joined groups, at least one `*`, 7 to 15 of them in all."""
    if len(raw) > _MAX_PHONE_CHARS:
        return False
    text = _compact(raw)
    if not _PHONE_MASK.fullmatch(text) or _MASK not in text:
        return False
    low, high = _PHONE_MASK_SYMBOLS
    return low <= len(text.replace("-", "")) <= high


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


def _split_country(text: str) -> tuple[str, str] | None:
    """(country code, national digits) of one number written in any of the accepted forms."""
    digits = _SEPARATORS.sub("", text.lstrip("+"))
    if not digits.isdigit() or len(digits) > _MAX_NUMBER_DIGITS:
        return None
    set_off = _SET_OFF_COUNTRY.match(text.lstrip("+"))
    if text.startswith("+") or digits.startswith("00"):
        rest = digits if text.startswith("+") else digits[2:]
        for code in ("852", "853", "886", "86"):
            if rest.startswith(code):
                return code, rest[len(code):]
        return None
    if set_off:
        return set_off[1], digits[len(set_off[1]):]
    if len(digits) == 13 and digits.startswith("861"):
        return "86", digits[2:]  # a bare 86 only ever prefixes a mobile
    if len(digits) == 11 and digits[:3] in ("852", "853"):
        return digits[:3], digits[3:]  # their 8-digit numbers; mainland ones start 0 or 1
    if len(digits) == 12 and digits.startswith("8869"):
        return "886", digits[3:]  # a Taiwan mobile (09…) with the country code
    return "86", digits


# The mainland's mobile numbers are allotted in blocks: whether an 11-digit number starting
# 13–19 reaches anyone is settled by its first five digits (phonenumbers' plan for China), and
# no other kind of number of the plan starts so. phonenumbers judges the first number met of
# each five-digit block, and the rest of the block takes its verdict: the engine meets one
# such number per order, and a full judgement costs more than the rest of its checks.
# tests/unit/test_validation_phone_blocks.py holds the shortcut to phonenumbers' verdicts.
_BLOCK = 5
_mobile_blocks: dict[str, bool] = {}


def _mainland_mobile(national: str) -> _Phone | None:
    block = national[:_BLOCK]
    verdict = _mobile_blocks.get(block)
    if verdict is None:
        phone = _judge("86", national)
        if phone is not None and phone.kind != "mobile":
            return phone  # not what the plan says such numbers are: never taken as a verdict
        verdict = _mobile_blocks[block] = phone is not None
    return _Phone("mobile", national, "") if verdict else None


def _parse_number(text: str) -> _Phone | None:
    """One number without extension, judged by phonenumbers, in its normal form."""
    if text.startswith("(+"):
        text = "+" + text[2:]  # (+86)138…, (+852)9123…
    if not _NUMBER_CHARS.fullmatch(text):
        return None
    split = _split_country(text)
    if split is None:
        return None
    code, national = split
    if national.startswith("0"):
        national = national[1:]  # the trunk 0 of +86 0571 …, 0912 … (Taiwan)
    if not national:
        return None
    if (code == "86" and len(national) == 11 and national[0] == "1"
            and national[1] in "3456789" and national.isdigit()):
        return _mainland_mobile(national)
    return _judge(code, national)


def _judge(code: str, national: str) -> _Phone | None:
    try:
        number = phonenumbers.parse("+" + code + national, None)
    except phonenumbers.NumberParseException:
        return None
    if (phonenumbers.region_code_for_number(number) != _COUNTRIES[code]
            or not phonenumbers.is_valid_number(number)):
        return None
    kind = _KINDS.get(phonenumbers.number_type(number))
    if kind is None:
        return None
    significant = phonenumbers.national_significant_number(number)
    if code != "86":
        return _Phone(kind, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                      "")
    if kind == "mobile":
        return _Phone(kind, significant, "")
    area = phonenumbers.length_of_geographical_area_code(number)
    local = significant[area:]
    if not area or local[:1] in ("0", "1"):
        return None
    return _Phone(kind, f"0{significant[:area]}-{local}", "")


def _with_extension(phone: _Phone | None, extension: str) -> _Phone | None:
    if phone is None or not extension:
        return phone
    if phone.kind == "mobile":
        if len(extension) not in _MOBILE_EXTENSION_DIGITS:
            return None
    elif len(extension) > _MAX_LANDLINE_EXTENSION_DIGITS:
        return None
    return _Phone(phone.kind, phone.number, extension)


@functools.lru_cache(maxsize=4096)  # an order's phone is judged by validation, then review
def _parse_phone(raw: str) -> _Phone | None:
    if len(raw) > _MAX_PHONE_CHARS:
        return None  # no number with its extension is this long; spares the patterns below
    text = _compact(raw)
    if not text:
        return None
    marked = _BRACKET_EXTENSION.fullmatch(text) or _MARKED_EXTENSION.fullmatch(text)
    if marked:
        return _with_extension(_parse_number(marked["main"]), marked["ext"])
    # A trailing dash group is an extension when what precedes it is a whole number on its
    # own (13800138000-1234, 0571-88231234-123); otherwise the dashes only group digits
    # (138-0013-8000, 0571-8823-1234). Trying the extension reading first keeps the normal
    # forms fixed points.
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
    """'mobile' (privacy numbers included), 'landline', or None for an unusable number."""
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
                   f"receiver phone {shown!r} is not a mobile or landline number of the "
                   "mainland, Hong Kong, Macau or Taiwan",
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
    # The platform keeps the receiver encrypted: name, phone and address line are its masks.
    receiver_encrypted: bool = False


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


def _receiver_name_problem(name: str, encrypted: bool = False) -> Problem | None:
    name = name.strip()
    if not name:
        return Problem(RECEIVER_INCOMPLETE, "receiver name is empty", "receiver.name_empty")
    if len(name) > MAX_RECEIVER_NAME_CHARS:
        return Problem(
            RECEIVER_INCOMPLETE,
            f"receiver name is {len(name)} characters, at most {MAX_RECEIVER_NAME_CHARS}",
            "receiver.name_too_long", {"length": len(name), "limit": MAX_RECEIVER_NAME_CHARS},
        )
    masked = is_masked(name)
    if masked and not encrypted:
        return Problem(RECEIVER_INCOMPLETE,
                       f"receiver name {name!r} is masked, but the order carries no platform "
                       "ciphertext or OAID to print the real one from",
                       "receiver.name_masked", {"name": name})
    if masked:
        return None  # the platform's mask (张**, **): the platform prints the name
    # "123" is an order number, not a person the courier can ask for.
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        return Problem(RECEIVER_INCOMPLETE, f"receiver name {name!r} has no letters",
                       "receiver.name_no_letters", {"name": name})
    return None


def address_line_problem(address: str, encrypted: bool = False) -> Problem | None:
    """`address_invalid` when the street line is missing or too short to deliver to; for a
    plaintext receiver also when it is masked, for an encrypted one a mask is enough."""
    if is_masked(address):
        if encrypted:
            return None
        shown = address.strip()
        return Problem(ADDRESS_INVALID,
                       f"address line {shown!r} is masked, but the order carries no platform "
                       "ciphertext or OAID to print the real one from",
                       "address.line_masked", {"line": shown})
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
    line = address_line_problem(facts.address, facts.receiver_encrypted)
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
    name = _receiver_name_problem(facts.receiver_name, facts.receiver_encrypted)
    if name is not None:
        problems.append(name)
    phone = facts.receiver_phone
    if facts.receiver_encrypted and is_masked(phone):
        if not is_phone_mask(phone):
            shown = phone.strip()
            problems.append(Problem(
                PHONE_INVALID, f"receiver phone {shown!r} is not a platform's mask of a phone "
                "number (digits and *, 7 to 15 of them, e.g. 138****8000)",
                "receiver.phone_mask_invalid", {"phone": shown}))
    elif _parse_phone(phone) is None:
        problems.append(_phone_problem(phone))
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
