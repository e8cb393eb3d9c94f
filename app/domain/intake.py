"""Reading orders from channel files: JSON Lines (one order a line) and CSV (one order line a row).

Parsing is pure: bytes or text in, `OrderDraft`s and `RowError`s out. A broken row is named
with its line number and reason and never stops the good rows; the service layer stores the
drafts. The rules a file is read by (docs/import.md):

- A file is a stream of physical lines, split at LF only (CRLF is one break too; a file whose
  start has CRs and no LF at all, as old Mac exports write, is split at CR); U+0085,
  U+2028 and the other Unicode breaks inside a line are text, not line ends. A line longer
  than `MAX_LINE_BYTES` is refused unread.
- Each line is decoded on its own: a file is UTF-8 (BOM or not) unless most of its non-ASCII
  lines are not, then GB18030. A line that is not text in the file's encoding is refused alone,
  naming its first bad byte; a file with no line of text at all is refused whole (`NotText`).
- Every text field passes `app.domain.text.clean_line` (NFC, breaks → space, controls,
  surrogates, bidi overrides and unprintable characters refused with the field).
- An encrypted receiver (the platform's OAID and/or ciphertexts, with masked name, phone and
  address) carries its ciphertexts and OAID as opaque printable ASCII (`opaque`); a refusal
  names the field and the position, never the value.
- CSV holds one record per line: a quoted field that does not close on its line is refused
  there, and reading goes on at the next line.
- An order appears once: its rows (CSV) are consecutive; the same (channel, channel order
  number) again later with the same content is a duplicate, with other content every
  occurrence is refused, naming all their lines. Keys are compared as the drafts hold them
  (cleaned, the channel in lower case, numbers as text), broken occurrences included.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from app.domain.china_time import written_in_china
from app.domain.money import parse_yuan
from app.domain.notes import CodedError
from app.domain.text import TextRefused, clean_line, describe, safe_for_terminal

# Platforms promise shipment within 48 h of payment unless the order says otherwise.
DEFAULT_SHIP_WITHIN = timedelta(hours=48)

RECEIVER_FIELDS = ("name", "phone", "province", "city", "district", "address")
# The central columns' widths: a longer value is a broken row here, not a failed batch later.
RECEIVER_LIMITS = {"name": 100, "phone": 32, "province": 64, "city": 64, "district": 64,
                   "address": 300}
CSV_RECEIVER_COLUMNS = {
    "receiver_name": "name", "receiver_phone": "phone", "province": "province",
    "city": "city", "district": "district", "address": "address",
}
CSV_REQUIRED = ("channel", "channel_order_no", "receiver_name", "receiver_phone", "province",
                "city", "district", "address", "sku", "qty", "price")
# An encrypted receiver: the fields the platform keeps as ciphertext, and the CSV columns of
# the ciphertexts and the OAID (all optional; a row without them is a plaintext receiver).
CIPHER_FIELDS = ("name", "phone", "address")
CSV_CIPHER_COLUMNS = {
    "receiver_name_cipher": "name", "receiver_phone_cipher": "phone",
    "address_cipher": "address",
}
# Ciphertexts run to a few hundred characters (Taobao's ~…~, Pinduoduo's ~…~ and $…$,
# Douyin's #…#); the platforms' OAIDs and merge keys fit the 128-character columns.
CIPHER_LIMIT = 1024
OAID_LIMIT = 128
MERGE_KEY_LIMIT = 128
CSV_COLUMNS = (
    "channel", "shop", "channel_order_no", "buyer", "receiver_name", "receiver_phone",
    "province", "city", "district", "address", "sku", "qty", "price", "amount", "discount",
    "paid_at", "vip_level", "remark", "promised_ship_by", "presale_campaign",
    "deposit_paid_at", "balance_paid_at", "receiver_oaid", "receiver_name_cipher",
    "receiver_phone_cipher", "address_cipher", "merge_key",
)


@dataclass(frozen=True, slots=True)
class Receiver:
    """Who a parcel goes to. For an encrypted receiver (`encrypted`) name, phone and address
    are the masked forms the platform shows (张**, 138****8000, 文三路****), province, city and
    district are plain; the ciphertexts and the OAID go to the platform's e-waybill service
    and print component only, so they are kept out of the repr (and so out of any log)."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str
    oaid: str = field(default="", repr=False)
    name_cipher: str = field(default="", repr=False)
    phone_cipher: str = field(default="", repr=False)
    address_cipher: str = field(default="", repr=False)

    @property
    def encrypted(self) -> bool:
        return bool(self.oaid or self.name_cipher or self.phone_cipher or self.address_cipher)

    def cipher(self) -> dict[str, str] | None:
        """The ciphertexts as `orders.receiver_cipher` stores them, None when there are none."""
        held = {"name": self.name_cipher, "phone": self.phone_cipher,
                "address": self.address_cipher}
        return {k: v for k, v in held.items() if v} or None


@dataclass(frozen=True, slots=True)
class LineDraft:
    sku: str
    qty: int
    price_fen: int


@dataclass(frozen=True, slots=True)
class PresaleDraft:
    campaign: str
    deposit_paid_at: datetime | None
    balance_paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrderDraft:
    channel: str
    shop: str
    channel_order_no: str
    buyer: str
    receiver: Receiver
    lines: tuple[LineDraft, ...]
    amount_fen: int
    discount_fen: int
    paid_at: datetime | None
    vip_level: int
    remark: str
    promised_ship_by: datetime | None
    presale: PresaleDraft | None
    source_line: int = 0
    # The platform's key for orders that may ship together (合单 key); "" when none is given.
    merge_key: str = field(default="", repr=False)

    @property
    def goods_fen(self) -> int:
        return sum(line.price_fen * line.qty for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True, slots=True)
class RowError:
    """A refused row: `reason` in English for the log and the command line; `code` and
    `params` word it in the reader's language (app/ui/messages.py)."""

    line: int
    reason: str
    channel_order_no: str | None = None
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(slots=True)
class ParseResult:
    drafts: list[OrderDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Orders given again later in the file with the same content (each repeat once).
    duplicates: list[OrderDraft] = field(default_factory=list)


_TEXT_CODES = {
    "control": "intake.text_control", "surrogate": "intake.text_surrogate",
    "private": "intake.text_private", "bidi": "intake.text_bidi",
    "unassigned": "intake.text_unassigned", "unprintable": "intake.text_unprintable",
}
# Order files repeat most values (provinces, cities, shops, SKUs, the rows of one order):
# each distinct value is cleaned once. Refusals are not cached (they are raised).
_clean_line = functools.lru_cache(maxsize=1 << 16)(clean_line)


class RowInvalid(CodedError):
    """One row cannot be read; the message is what the person fixing the file needs, the code
    and params word it in their language."""

    def at(self, line: int, channel_order_no: str | None = None) -> RowError:
        return RowError(line, str(self), channel_order_no, self.code, self.params)


def _shown(value: object) -> str:
    """A value as a refusal quotes it: repr (escapes every control), cut short."""
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def _text(value: object, name: str, *, required: bool = True, limit: int = 500) -> str:
    if value is None:
        if required:
            raise RowInvalid(f"{name} is missing", "intake.field_missing", field=name)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowInvalid(f"{name} must be text, got {type(value).__name__}",
                         "intake.field_not_text", field=name, kind=type(value).__name__)
    try:
        text = _clean_line(value if isinstance(value, str) else str(value), name)
    except TextRefused as exc:
        raise RowInvalid(str(exc), _TEXT_CODES[exc.why], field=name, char=describe(exc.char),
                         position=exc.position) from None
    if required and not text:
        raise RowInvalid(f"{name} is empty", "intake.field_empty", field=name)
    if len(text) > limit:
        raise RowInvalid(f"{name} is longer than {limit} characters", "intake.field_too_long",
                         field=name, limit=limit)
    return text


def opaque(value: object, name: str, limit: int) -> str:
    """A ciphertext, OAID or merge key: printable ASCII without spaces (the ends trimmed),
    at most `limit` characters, "" when absent. A refusal names the field and where, never
    the value: it is the platform's secret, and refusals reach logs and screens."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowInvalid(f"{name} must be text, got {type(value).__name__}",
                         "intake.field_not_text", field=name, kind=type(value).__name__)
    text = str(value).strip(" \t")
    if len(text) > limit:
        raise RowInvalid(f"{name} is longer than {limit} characters", "intake.field_too_long",
                         field=name, limit=limit)
    for position, char in enumerate(text, 1):
        if not "!" <= char <= "~":
            raise RowInvalid(
                f"{name} holds a character that is not printable ASCII at character "
                f"{position} (a platform ciphertext or id is letters, digits and signs)",
                "intake.opaque_not_ascii", field=name, position=position)
    return text


_CSV_OPAQUE_NAMES = ("receiver_oaid", "receiver_name_cipher", "receiver_phone_cipher",
                     "address_cipher")


def encrypted_receiver(plain: Mapping[str, str], values: tuple[object, object, object, object],
                       names: tuple[str, str, str, str]) -> Receiver:
    """A receiver from its six cleaned fields and the platform's (OAID, name, phone, address
    ciphertext), named `names` in refusals; each may be None or empty: a receiver without
    any is a plaintext one."""
    oaid, name, phone, address = values
    return Receiver(
        **plain,
        oaid=opaque(oaid, names[0], OAID_LIMIT),
        name_cipher=opaque(name, names[1], CIPHER_LIMIT),
        phone_cipher=opaque(phone, names[2], CIPHER_LIMIT),
        address_cipher=opaque(address, names[3], CIPHER_LIMIT),
    )


def json_receiver(raw: object, prefix: str = "receiver") -> Receiver:
    """The receiver object of a JSON order (or of an address change): the six fields, and
    for an encrypted receiver `oaid` and `cipher` {name, phone, address}."""
    if not isinstance(raw, Mapping):
        raise RowInvalid(f"{prefix} is missing", "intake.field_missing", field=prefix)
    plain = {key: _text(raw.get(key), f"{prefix}.{key}", limit=RECEIVER_LIMITS[key])
             for key in RECEIVER_FIELDS}
    cipher = raw.get("cipher")
    if cipher is None:
        cipher = {}
    if not isinstance(cipher, Mapping):
        raise RowInvalid(f"{prefix}.cipher must be an object", "intake.bad_cipher",
                         field=f"{prefix}.cipher")
    return encrypted_receiver(
        plain, (raw.get("oaid"), cipher.get("name"), cipher.get("phone"), cipher.get("address")),
        (f"{prefix}.oaid", f"{prefix}.cipher.name", f"{prefix}.cipher.phone",
         f"{prefix}.cipher.address"))


def parse_qty(value: object, name: str = "qty") -> int:
    if isinstance(value, bool):
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}", "intake.bad_qty",
                         field=name, value=_shown(value))
    if isinstance(value, int):
        qty = value
    elif isinstance(value, str) and value.strip().isdecimal():
        qty = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        qty = int(value)
    else:
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}", "intake.bad_qty",
                         field=name, value=_shown(value))
    if qty <= 0:
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}", "intake.bad_qty",
                         field=name, value=_shown(value))
    if qty > 100_000:
        raise RowInvalid(f"{name} {qty} is out of range", "intake.qty_out_of_range", field=name,
                         value=qty)
    return qty


def _money(value: object, name: str, *, default: int | None = None) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise RowInvalid(f"{name} is missing", "intake.field_missing", field=name)
        return default
    try:
        return parse_yuan(value, field=name)
    except ValueError as exc:
        raise RowInvalid(str(exc), "intake.bad_amount", field=name, value=_shown(value)) from None


def parse_time(value: object, name: str) -> datetime | None:
    """ISO 8601; a time without an offset is China time, as the platforms write it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowInvalid(f"{name} must be an ISO 8601 time, got {value!r}", "intake.bad_time",
                         field=name, value=_shown(value))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowInvalid(f"{name} {value!r} is not an ISO 8601 time", "intake.bad_time",
                         field=name, value=_shown(value)) from None
    if moment.tzinfo is None:
        moment = written_in_china(moment)  # a time written without a zone is China time
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise RowInvalid(f"{name} {value!r} is out of range", "intake.time_out_of_range",
                         field=name, value=_shown(value)) from None


def _vip(value: object) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}",
                         "intake.bad_vip", value=_shown(value))
    try:
        level = int(str(value).strip())
    except ValueError:
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}",
                         "intake.bad_vip", value=_shown(value)) from None
    if not 0 <= level <= 10:
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}",
                         "intake.bad_vip", value=_shown(value))
    return level


def _presale(value: object) -> PresaleDraft | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise RowInvalid("presale must be an object or null", "intake.bad_presale")
    return PresaleDraft(
        campaign=_text(value.get("campaign"), "presale.campaign", limit=64),
        deposit_paid_at=parse_time(value.get("deposit_paid_at"), "presale.deposit_paid_at"),
        balance_paid_at=parse_time(value.get("balance_paid_at"), "presale.balance_paid_at"),
    )


def build_draft(record: Mapping[str, object], lines: list[LineDraft], receiver: Receiver,
                presale: PresaleDraft | None, source_line: int) -> OrderDraft:
    """The order-level fields shared by both file forms."""
    if not lines:
        raise RowInvalid("the order has no lines", "intake.no_lines")
    channel = _text(record.get("channel"), "channel", limit=32).lower()
    goods = sum(line.price_fen * line.qty for line in lines)
    discount = _money(record.get("discount"), "discount", default=0)
    amount = _money(record.get("amount"), "amount", default=max(goods - discount, 0))
    paid_at = parse_time(record.get("paid_at"), "paid_at")
    promised = parse_time(record.get("promised_ship_by"), "promised_ship_by")
    if promised is None and paid_at is not None:
        try:
            promised = paid_at + DEFAULT_SHIP_WITHIN
        except OverflowError:
            raise RowInvalid("paid_at is out of range", "intake.time_out_of_range",
                             field="paid_at", value=_shown(record.get("paid_at"))) from None
    return OrderDraft(
        channel=channel,
        shop=_text(record.get("shop"), "shop", required=False, limit=100) or channel,
        channel_order_no=_text(record.get("channel_order_no"), "channel_order_no", limit=64),
        buyer=_text(record.get("buyer"), "buyer", required=False, limit=100),
        receiver=receiver,
        lines=tuple(lines),
        amount_fen=amount,
        discount_fen=discount,
        paid_at=paid_at,
        vip_level=_vip(record.get("vip_level")),
        remark=_text(record.get("remark"), "remark", required=False, limit=1000),
        promised_ship_by=promised,
        presale=presale,
        source_line=source_line,
        merge_key=opaque(record.get("merge_key"), "merge_key", MERGE_KEY_LIMIT),
    )


def _json_order(record: object, line_no: int) -> OrderDraft:
    if not isinstance(record, Mapping):
        raise RowInvalid("expected a JSON object", "intake.not_an_object")
    receiver = json_receiver(record.get("receiver"))
    raw_lines = record.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise RowInvalid("the order has no lines", "intake.no_lines")
    lines = []
    for i, raw in enumerate(raw_lines, 1):
        if not isinstance(raw, Mapping):
            raise RowInvalid(f"lines[{i}] must be an object", "intake.line_not_an_object",
                             field=f"lines[{i}]")
        lines.append(LineDraft(
            sku=_text(raw.get("sku"), f"lines[{i}].sku", limit=64),
            qty=parse_qty(raw.get("qty"), f"lines[{i}].qty"),
            price_fen=_money(raw.get("price"), f"lines[{i}].price"),
        ))
    return build_draft(record, lines, receiver, _presale(record.get("presale")), line_no)


# --------------------------------------------------------------------------- lines of a file

MAX_LINE_BYTES = 1 << 20
# A CSV field broken over more physical lines than this is not looked for as one record.
MAX_FIELD_LINES = 20


@dataclass(frozen=True, slots=True)
class BadLine:
    """A physical line that cannot be read as text; `text` is what could be read of it (with
    U+FFFD for the bad bytes), so that its order number can still be named."""

    problem: RowInvalid
    text: str = ""


Line = str | BadLine
Key = tuple[str, str]


class NotText(ValueError):
    """No line of the file is text in UTF-8 or GB18030."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"neither UTF-8 nor GB18030 text (line {line}: byte 0x{byte:02X})")
        self.line = line
        self.byte = byte


def split_lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """The physical lines of `stream`, split at LF only (a CR before it belongs to the break);
    None for a line longer than MAX_LINE_BYTES, which is skipped without being held."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(MAX_LINE_BYTES)
            yield None
            continue
        yield raw.removesuffix(b"\n").removesuffix(b"\r")


def split_cr_lines(stream: BinaryIO, chunk: int = 1 << 16) -> Iterator[bytes | None]:
    """The physical lines of a file whose lines end in CR alone (what "CSV (Macintosh)" and
    other old Mac exports write), as `split_lines` gives them."""
    pending = b""
    too_long = False
    while block := stream.read(chunk):
        *lines, pending = (pending + block).split(b"\r")
        for line in lines:
            yield None if too_long or len(line) > MAX_LINE_BYTES else line
            too_long = False
        if len(pending) > MAX_LINE_BYTES:
            too_long, pending = True, b""
    if pending or too_long:
        yield None if too_long else pending


def cr_line_ends(stream: BinaryIO, probe: int = 1 << 16) -> bool:
    """True when the file's start has CR line ends and no LF at all."""
    head = stream.read(probe)
    return b"\r" in head.rstrip(b"\r") and b"\n" not in head


def text_lines(text: str) -> Iterator[str]:
    """The physical lines of `text`, as `split_lines` splits bytes."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:].removesuffix("\r")
            return
        yield text[start:end].removesuffix("\r")
        start = end + 1


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def choose_encoding(lines: Iterable[bytes | None]) -> str:
    """'utf-8' unless most non-ASCII lines are not UTF-8 and GB18030 reads more lines; raises
    NotText when no line with anything on it is text in either."""
    utf8_good = utf8_bad = gb_bad = texts = 0
    first_bad: tuple[int, int] | None = None
    for n, raw in enumerate(lines, 1):
        if raw is None:
            continue
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw.isascii():
            texts += bool(raw.strip())
            continue
        utf8 = _decodes(raw, "utf-8")
        gb = _decodes(raw, "gb18030")
        utf8_good += utf8
        utf8_bad += not utf8
        gb_bad += not gb
        texts += utf8 or gb
        if not (utf8 or gb) and first_bad is None:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                first_bad = (n, raw[exc.start])
    if texts == 0 and first_bad is not None:
        raise NotText(*first_bad)
    if utf8_bad == 0 or utf8_good > utf8_bad or utf8_bad <= gb_bad:
        return "utf-8"
    return "gb18030"


def decode_lines(lines: Iterable[bytes | None], encoding: str) -> Iterator[Line]:
    """Each physical line as text, or a BadLine naming its first byte that is not text."""
    label = "UTF-8" if encoding == "utf-8" else encoding.upper()
    for n, raw in enumerate(lines, 1):
        if raw is None:
            yield BadLine(RowInvalid(f"the line is longer than {MAX_LINE_BYTES:,} bytes (an order "
                                     f"is far shorter): not read", "intake.line_too_long",
                                     limit=MAX_LINE_BYTES))
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            byte = f"0x{raw[exc.start]:02X}"
            yield BadLine(RowInvalid(f"not {label} text: byte {byte} at byte {exc.start + 1} of "
                                     f"the line", "intake.not_encoded", encoding=label,
                                     byte=byte, position=exc.start + 1),
                          raw.decode(encoding, "replace"))
            continue
        yield text.removeprefix("\ufeff") if n == 1 else text


def parse_file(name: str,
               open_binary: Callable[[], AbstractContextManager[BinaryIO]]) -> ParseResult:
    """A whole order file, read as a stream twice (once to tell its encoding, once to parse):
    JSON Lines, CSV, or a `.json` array of orders (which is read whole; its errors count items).
    `open_binary` opens the file afresh each time it is called."""
    with open_binary() as stream:
        splitter = split_cr_lines if cr_line_ends(stream) else split_lines
    with open_binary() as stream:
        utf8 = all(raw is None or _decodes(raw, "utf-8") for raw in splitter(stream))
    if utf8:
        encoding = "utf-8"
    else:
        with open_binary() as stream:
            encoding = choose_encoding(splitter(stream))
    with open_binary() as stream:
        lines = _Lookahead(decode_lines(splitter(stream), encoding))
        head = ""
        for i in itertools.count(1):
            ahead = lines.peek(i)
            if ahead is None or isinstance(ahead, BadLine) or ahead.strip():
                head = ahead if isinstance(ahead, str) else ""
                break
        fmt = detect_format(name, head)
        if fmt == "csv":
            return parse_csv(lines)
        if not head.lstrip().startswith("["):
            return parse_jsonl(lines)
        stream.seek(0)
        try:
            array = json_array_lines(stream.read().decode(encoding))
        except UnicodeDecodeError:
            array = None
    if array is not None:
        return parse_jsonl(array)
    with open_binary() as stream:
        return parse_jsonl(decode_lines(splitter(stream), encoding))


class _Lookahead(Iterator[Line]):
    """An iterator of lines that can look a few lines ahead."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self._it = iter(lines)
        self._ahead: deque[Line] = deque()

    def __iter__(self) -> _Lookahead:
        return self

    def __next__(self) -> Line:
        if self._ahead:
            return self._ahead.popleft()
        return next(self._it)

    def peek(self, k: int) -> Line | None:
        """The k-th line still to come (1 is the next), or None past the end."""
        while len(self._ahead) < k:
            try:
                self._ahead.append(next(self._it))
            except StopIteration:
                return None
        return self._ahead[k - 1]


# --------------------------------------------------------------------------- one order once


def _folded(value: object, name: str) -> str | None:
    """`value` as a draft holds it (`_text`: numbers as text, then `clean_line`: NFC, every
    space one space, invisible characters gone), or None when the door refuses it. Keys and
    comparisons of rows go through here, so that a row is matched with the draft it would be."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return _clean_line(value if isinstance(value, str) else str(value), name)
    except TextRefused:
        return None


def _ref(value: object) -> str | None:
    """A channel order number as a report may print it: as the draft holds it when the door
    takes it, else as given (never a raw control character)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = _folded(value, "channel_order_no")
    if text is None:
        text = str(value).strip()
    return safe_for_terminal(text[:64]) if text else None


def _key(channel: object, order_no: object) -> Key | None:
    """(channel, channel order number) as `build_draft` makes them, or None when either is
    missing, empty or refused (then no draft can share it)."""
    folded_channel = _folded(channel, "channel")
    folded_no = _folded(order_no, "channel_order_no")
    if not folded_channel or not folded_no:
        return None
    return (folded_channel.lower(), folded_no)


class _Collector:
    """Drafts and refusals in file order, holding each order to appearing once: a repeat with
    the same content is a duplicate; with other content (or where one occurrence is broken)
    every occurrence is refused, since the file does not say which one is right."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self._drafts: list[OrderDraft | None] = []
        self._first: dict[Key, int] = {}  # key → index of its first draft
        self._repeats: dict[Key, list[int]] = {}  # key → indexes of the later drafts
        self._broken: dict[Key, list[int]] = {}  # key → lines of its broken occurrences

    def draft(self, d: OrderDraft) -> None:
        key = (d.channel, d.channel_order_no)
        if key in self._first:
            self._repeats.setdefault(key, []).append(len(self._drafts))
        else:
            self._first[key] = len(self._drafts)
        self._drafts.append(d)

    def broken(self, errors: Iterable[RowError], key: Key | None) -> None:
        errors = list(errors)
        self.errors.extend(errors)
        if key is not None and errors:
            self._broken.setdefault(key, []).append(min(e.line for e in errors))

    def result(self) -> ParseResult:
        out = ParseResult(errors=self.errors)
        for key, first in self._first.items():
            repeats = self._repeats.get(key, [])
            broken = self._broken.get(key, [])
            if not repeats and not broken:
                continue
            indexes = [first, *repeats]
            drafts = [d for d in (self._drafts[i] for i in indexes) if d is not None]
            same = {replace(d, source_line=0) for d in drafts}
            if len(same) == 1 and not broken:
                out.duplicates.extend(drafts[1:])
                for i in repeats:
                    self._drafts[i] = None
                continue
            lines = sorted([d.source_line for d in drafts] + broken)
            where = ", ".join(str(n) for n in lines)
            ref = _ref(key[1])
            if len(same) == 1:
                problem = RowInvalid(
                    f"order {ref} appears {len(lines)} times (lines {where}), one of them "
                    f"broken: it is refused everywhere; keep one", "intake.repeated_broken",
                    order=ref, count=len(lines), lines=where)
            else:
                problem = RowInvalid(
                    f"order {ref} appears {len(lines)} times (lines {where}), with different "
                    f"contents: it is refused everywhere; keep one", "intake.repeated_different",
                    order=ref, count=len(lines), lines=where)
            for i, d in zip(indexes, drafts, strict=True):
                out.errors.append(problem.at(d.source_line, ref))
                self._drafts[i] = None
        out.drafts = [d for d in self._drafts if d is not None]
        out.errors.sort(key=lambda e: e.line)
        return out


# --------------------------------------------------------------------------- JSON Lines


def parse_jsonl(text_lines: Iterable[Line]) -> ParseResult:
    """One order per line; the lines as `split_lines`/`text_lines` give them."""
    found = _Collector()
    for line_no, raw in enumerate(text_lines, 1):
        if isinstance(raw, BadLine):
            found.broken([raw.problem.at(line_no)], None)
            continue
        if not raw.strip():
            continue
        record: object = None
        try:
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise RowInvalid(f"not valid JSON ({exc.msg} at column {exc.colno})",
                                 "intake.not_json", detail=exc.msg, column=exc.colno) from None
            except RecursionError:
                raise RowInvalid("not an order: JSON nested too deeply",
                                 "intake.too_deep") from None
            except ValueError as exc:  # e.g. an integer of more digits than Python converts
                raise RowInvalid(f"not valid JSON ({exc})", "intake.not_json", detail=str(exc),
                                 column="-") from None
            found.draft(_json_order(record, line_no))
        except RowInvalid as exc:
            order_no: str | None = None
            key: Key | None = None
            if isinstance(record, Mapping):
                order_no = _ref(record.get("channel_order_no"))
                key = _key(record.get("channel"), record.get("channel_order_no"))
            found.broken([exc.at(line_no, order_no)], key)
    return found.result()


# --------------------------------------------------------------------------- CSV


class _OpenQuote(Exception):
    def __init__(self, column: int) -> None:
        self.column = column


class _Oversize(Exception):
    pass


def _open_quote_column(line: str) -> int:
    """The 1-based column of the quote that opens a field not closed on `line` (0 if none)."""
    i, n = 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            start, i = i, i + 1
            while True:
                j = line.find('"', i)
                if j < 0:
                    return start + 1
                if line.startswith('""', j):
                    i = j + 2
                    continue
                i = j + 1
                break
        j = line.find(",", i)
        if j < 0:
            return 0
        i = j + 1
    return 0


def _csv_fields(text: str) -> list[str]:
    """One record's fields; a stray quote inside a field is kept as text, as spreadsheets do."""
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            raise _Oversize() from None
        if "unexpected end of data" in message:
            raise _OpenQuote(_open_quote_column(text)) from None
    return next(csv.reader([text]), [])


def _lenient_fields(text: str) -> list[str] | None:
    """What can be made of a broken line's fields, to name its order; None if nothing."""
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return None


@dataclass(slots=True)
class _Row:
    line: int
    fields: list[str] | None
    problem: RowInvalid | None = None
    key: Key | None = None


def _row_key(fields: list[str] | None, header: list[str]) -> Key | None:
    if fields is None:
        return None
    at_channel, at_no = header.index("channel"), header.index("channel_order_no")
    return _key(fields[at_channel] if at_channel < len(fields) else "",
                fields[at_no] if at_no < len(fields) else "")


def _continuation(lines: _Lookahead, first: str, width: int) -> int:
    """How many following lines continue a field that `first` opens, when together they make
    exactly one record of the header's width and no line among them reads as a record of its
    own; 0 when they do not (then `first` alone is broken)."""
    joined = first
    for k in range(1, MAX_FIELD_LINES + 1):
        nxt = lines.peek(k)
        if not isinstance(nxt, str):
            return 0
        alone = _lenient_fields(nxt)
        if alone is not None and len(alone) >= width:
            return 0
        joined += "\n" + nxt
        try:
            record = next(csv.reader([joined], strict=True), [])
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                continue
            return 0
        return k if len(record) == width else 0
    return 0


def _csv_rows(lines: _Lookahead, header: list[str], line_no: int) -> Iterator[_Row]:
    """Each physical line after the header as one record; a broken line is a row with its
    problem (and its order's key when readable), never the end of reading."""
    width = len(header)
    for raw in lines:
        line_no += 1
        if isinstance(raw, BadLine):
            fields = _lenient_fields(raw.text)
            yield _Row(line_no, None, raw.problem, _row_key(fields, header))
            continue
        if not raw.strip():
            continue
        try:
            yield _Row(line_no, _csv_fields(raw))
        except _Oversize:
            limit = csv.field_size_limit()
            yield _Row(line_no, None, RowInvalid(
                f"a field is longer than {limit:,} characters (oversize): not read",
                "intake.field_oversize", limit=limit),
                _row_key(_lenient_fields(raw[:4096]), header))
        except _OpenQuote as exc:
            key = _row_key(_lenient_fields(raw), header)
            more = _continuation(lines, raw, width)
            if more:
                last = line_no + more
                yield _Row(line_no, None, RowInvalid(
                    f"a field holds a line break (this record runs on to line {last}); an "
                    f"order file has one record per line: put the field on one line",
                    "intake.line_break_in_field", last=last), key)
                for k in range(1, more + 1):
                    follow = next(lines)
                    if isinstance(follow, str) and not follow.strip():
                        continue  # a blank line inside the field: no record of its own
                    yield _Row(line_no + k, None, RowInvalid(
                        f"continues the record of line {line_no} (a field broken over lines)",
                        "intake.continues_record", first=line_no), key)
                line_no = last
            else:
                yield _Row(line_no, None, RowInvalid(
                    f"a quote opened at column {exc.column} is not closed on this line (an "
                    f"order file has no line breaks inside fields); reading goes on at the "
                    f"next line", "intake.open_quote", column=exc.column), key)
        except csv.Error as exc:
            yield _Row(line_no, None, RowInvalid(f"cannot be read as CSV ({exc})",
                                                 "intake.not_csv", detail=str(exc)),
                       _row_key(_lenient_fields(raw.replace("\r", " ")), header))


def _csv_groups(rows: Iterable[_Row], header: list[str]) -> Iterator[list[_Row]]:
    """Consecutive rows of the same (channel, channel_order_no): one order each. A row that
    could not be read joins the order its key names, or stands alone."""
    group: list[_Row] = []
    for row in rows:
        if row.key is None and row.fields is not None:
            row.key = _row_key(row.fields, header)
        if group and (row.key is None or row.key != group[-1].key):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def parse_csv(source: str | Iterable[Line]) -> ParseResult:
    """One order line a row, rows of one order consecutive, order fields from its first row."""
    lines = _Lookahead(text_lines(source) if isinstance(source, str) else source)
    found = _Collector()
    line_no = 0
    header: list[str] | None = None
    for raw in lines:
        line_no += 1
        if isinstance(raw, BadLine):
            found.broken([RowInvalid(f"the CSV header: {raw.problem}", "intake.header_unreadable")
                          .at(line_no)], None)
            return found.result()
        if not raw.strip():
            continue
        try:
            header = [name.strip() for name in _csv_fields(raw.removeprefix("\ufeff"))]
        except (_Oversize, _OpenQuote, csv.Error):
            found.broken([RowInvalid("the CSV header cannot be read", "intake.header_unreadable")
                          .at(line_no)], None)
            return found.result()
        break
    if header is None:
        return found.result()
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        columns = ", ".join(missing)
        found.broken([RowInvalid(f"CSV header lacks column(s): {columns}",
                                 "intake.header_lacks", columns=columns).at(line_no)], None)
        return found.result()
    for rows in _csv_groups(_csv_rows(lines, header, line_no), header):
        _csv_order(rows, header, found)
    return found.result()


# The receiver's opaque columns: rows of one order share them too.
_CSV_OPAQUE_COLUMNS = _CSV_OPAQUE_NAMES


def _csv_order(rows: list[_Row], header: list[str], found: _Collector) -> None:
    first = rows[0]
    key = first.key
    order_no = _ref(key[1]) if key else None
    width = len(header)
    lines: list[LineDraft] = []
    broken: list[RowError] = []
    receiver_of_first: tuple[str | None, ...] | None = None
    first_row: dict[str, str] = {}
    for row in rows:
        try:
            if row.problem is not None:
                raise row.problem
            if row.fields is None:
                raise RowInvalid("cannot be read as CSV", "intake.not_csv", detail="-")
            if len(row.fields) > width:
                raise RowInvalid("more fields than the header has", "intake.too_many_fields")
            record = dict(zip(header, row.fields, strict=False))
            if key is None:
                raise RowInvalid("channel_order_no is missing", "intake.field_missing",
                                 field="channel_order_no")
            receiver = (*(_folded(record.get(c) or "", c) for c in CSV_RECEIVER_COLUMNS),
                        *((record.get(c) or "").strip() for c in _CSV_OPAQUE_COLUMNS))
            if receiver_of_first is None:
                receiver_of_first, first_row = receiver, record
            elif receiver != receiver_of_first:
                raise RowInvalid(f"the receiver differs from line {first.line} of the same "
                                 f"order (rows of one order share the receiver)",
                                 "intake.receiver_differs", first=first.line)
            lines.append(LineDraft(
                sku=_text(record.get("sku"), "sku", limit=64),
                qty=parse_qty(record.get("qty")),
                price_fen=_money(record.get("price"), "price"),
            ))
        except RowInvalid as exc:
            broken.append(exc.at(row.line, order_no))
    if not broken:
        try:
            receiver_draft = encrypted_receiver(
                {field_name: _text(first_row.get(column), column,
                                   limit=RECEIVER_LIMITS[field_name])
                 for column, field_name in CSV_RECEIVER_COLUMNS.items()},
                (first_row.get("receiver_oaid"), first_row.get("receiver_name_cipher"),
                 first_row.get("receiver_phone_cipher"), first_row.get("address_cipher")),
                _CSV_OPAQUE_NAMES)
            campaign = (first_row.get("presale_campaign") or "").strip()
            presale = _presale({
                "campaign": campaign,
                "deposit_paid_at": first_row.get("deposit_paid_at"),
                "balance_paid_at": first_row.get("balance_paid_at"),
            }) if campaign else None
            found.draft(build_draft(first_row, lines, receiver_draft, presale, first.line))
            return
        except RowInvalid as exc:
            broken.append(exc.at(first.line, order_no))
    # One bad line spoils its order: shipping part of an order is the engine's decision.
    bad_lines = {e.line for e in broken}
    skipped = [RowError(row.line, f"skipped: order {order_no} has a broken row", order_no,
                        code="intake.skipped", params={"order": order_no or "-"})
               for row in rows if row.line not in bad_lines]
    found.broken(broken + skipped, key)


def json_array_lines(text: str) -> list[str] | None:
    """A `.json` file holding one array of orders, as one line per order (errors then count
    items, not lines); None when the text is not such an array."""
    if not text.lstrip("\ufeff \t\r\n").startswith("["):
        return None
    try:
        items = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(items, list):
        return None
    return [json.dumps(item, ensure_ascii=False) for item in items]


def detect_format(filename: str, head: str) -> str:
    """'jsonl' or 'csv', from the file name, else from the first character."""
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    return "jsonl" if head.lstrip("\ufeff \t\r\n").startswith("{") else "csv"
