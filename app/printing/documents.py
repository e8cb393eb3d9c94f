"""The documents Packline prints, as plain frozen data, the paper they go on, and the label
layout (in millimetres) that the ZPL, TSPL and PDF renderers share, so a waybill looks the same
on a Zebra, on a TSPL printer and in the app's preview.

Nothing here knows a printer language. Text fields are validated once, here, by the door's own
rule (`app.domain.text.printable`: no control characters, which would end a ZPL field, a TSPL
string or an ESC/POS line early; no bidi overrides, private-use or unassigned characters), so
whatever the door took in can be printed; barcode values are printable ASCII (Code 128 subset
B). Invalid data raises `DocumentError` (a ValueError).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypeAlias

from app.domain.china_time import written_in_china
from app.domain.text import describe, printable
from app.printing.text_fit import LINE_PITCH, DocumentError, text_cells, wrap

# -- validation helpers ---------------------------------------------------------------------

_CODE = re.compile(r"^[\x21-\x7e]+$")
MAX_CODE_LENGTH = 48  # longer does not fit a 76 mm label as Code 128


def _text(owner: str, name: str, value: object, *, required: bool = False) -> None:
    if not isinstance(value, str):
        raise DocumentError(f"{owner}.{name} must be text, not {type(value).__name__}")
    for position, char in enumerate(value, 1):
        if not printable(char):
            kind = ("a control character" if unicodedata.category(char) == "Cc"
                    else "not a character labels print")
            raise DocumentError(f"{owner}.{name} holds {describe(char)} at character "
                                f"{position}: {kind}")
    if required and not value.strip():
        raise DocumentError(f"{owner}.{name} is empty")


def check_code(owner: str, name: str, value: object) -> None:
    """A value printed as a Code 128 barcode: printable ASCII, no spaces, not too long."""
    if not isinstance(value, str) or not value:
        raise DocumentError(f"{owner}.{name} must be a non-empty code, not {value!r}")
    if not _CODE.match(value):
        raise DocumentError(f"{owner}.{name} must be printable ASCII without spaces "
                            f"(it is printed as a barcode): {value!r}")
    if len(value) > MAX_CODE_LENGTH:
        raise DocumentError(f"{owner}.{name} is longer than {MAX_CODE_LENGTH} characters: "
                            f"{value!r}")


def _datetime(owner: str, name: str, value: object) -> None:
    if not isinstance(value, datetime):
        raise DocumentError(f"{owner}.{name} must be a datetime, not {value!r}")


def _count(owner: str, name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DocumentError(f"{owner}.{name} must be a whole number >= {minimum}, "
                            f"not {value!r}")


def _tuple_of(owner: str, name: str, value: object) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list):
        raise DocumentError(f"{owner}.{name} must be a tuple, not {type(value).__name__}")
    return tuple(value)


# -- phone masking ----------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PRIVACY = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})[-#,，转](\d{3,4})$")
_ABROAD = re.compile(r"^\+(852|853|886)\d{6,10}$")
# Area codes of two and three digits after the 0: Beijing 010 and the 02x cities; the rest
# have four digits (0571 Hangzhou).
_SHORT_AREA = re.compile(r"^0(10|2\d)")


def mask_phone(phone: str) -> str:
    """The phone number as carriers print it on a waybill.

    Mobile: first three and last four digits (13800138000 -> 138****8000; a +86 / 86 prefix is
    dropped). Landline: area code and last four digits (0571-87655678 -> 0571-****5678, also
    without the dash; an extension is kept). A privacy number keeps its extension
    (18877771111-123 -> 188****1111-123); Hong Kong, Macau and Taiwan keep their country code
    (+85291234567 -> +852-****4567). Already masked numbers pass through; anything
    else keeps only its last four characters. Empty stays empty.
    """
    text = phone.strip()
    if not text or "*" in text:
        return text
    compact = re.sub(r"[\s()\-]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if _MOBILE.match(compact):
        return f"{compact[:3]}****{compact[-4:]}"
    # A platform's privacy number: the courier dials the number, then the extension.
    if (privacy := _PRIVACY.match(re.sub(r"[\s()]", "", text))) is not None:
        number, extension = privacy.groups()
        return f"{number[:3]}****{number[-4:]}-{extension}"
    # Hong Kong, Macau, Taiwan (stored as E.164): the country code stays readable.
    if (abroad := _ABROAD.match(compact)) is not None:
        return f"+{abroad.group(1)}-****{compact[-4:]}"
    parts = [p for p in re.split(r"[\s\-]+", text.replace("(", "").replace(")", "-")) if p]
    if len(parts) >= 2 and parts[0].startswith("0") and parts[0].isdigit() \
            and 3 <= len(parts[0]) <= 4 and parts[1].isdigit() and len(parts[1]) >= 7:
        extension = f"-{parts[2]}" if len(parts) > 2 and parts[2].isdigit() else ""
        return f"{parts[0]}-****{parts[1][-4:]}{extension}"
    if compact.isdigit() and compact.startswith("0") and 10 <= len(compact) <= 12:
        area_len = 3 if _SHORT_AREA.match(compact) else 4
        return f"{compact[:area_len]}-****{compact[-4:]}"
    if len(compact) > 4:
        return "****" + compact[-4:]
    return "****"


# -- the documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Sender or receiver of a parcel. `address` is the street part; the full address is
    province + city + district + address, as Chinese addresses are written."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str

    def __post_init__(self) -> None:
        for name in ("name", "address"):
            _text("Party", name, getattr(self, name), required=True)
        for name in ("phone", "province", "city", "district"):
            _text("Party", name, getattr(self, name))

    @property
    def full_address(self) -> str:
        parts: list[str] = []
        for part in (self.province, self.city, self.district, self.address):
            part = part.strip()
            # 上海市上海市: municipalities repeat the province as the city.
            if part and (not parts or part != parts[-1]):
                parts.append(part)
        return "".join(parts)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


@dataclass(frozen=True, kw_only=True)
class Waybill:
    """A carrier's waybill (面单) for one parcel of an order (or of merged orders)."""

    carrier_code: str
    carrier_name: str
    tracking_no: str
    sender: Party
    receiver: Party
    order_nos: tuple[str, ...]
    package_no: int = 1
    package_count: int = 1
    weight_g: int | None = None
    presale: bool = False
    promised_ship_by: str | None = None
    route_code: str = ""  # the sort / route code area (大头笔), e.g. "杭州 西湖 A12"
    remark: str = ""
    printed_at: datetime
    # A platform e-waybill: the provider that issued it ("cainiao", "pdd", "douyin") and the
    # print data it returned (encrypted data, signature, template, sort codes). Such a waybill
    # prints only through that platform's print component; Packline's own content (order
    # number, `items`, box n/m, presale tag) goes into the template's custom area. Empty for a
    # self-managed waybill, which Packline draws itself.
    provider: str = ""
    print_data: Mapping[str, Any] | None = None
    items: tuple[tuple[str, int], ...] = ()  # (name, units) in this box, for the custom area

    def __post_init__(self) -> None:
        _text("Waybill", "carrier_code", self.carrier_code, required=True)
        _text("Waybill", "carrier_name", self.carrier_name, required=True)
        check_code("Waybill", "tracking_no", self.tracking_no)
        for name in ("sender", "receiver"):
            if not isinstance(getattr(self, name), Party):
                raise DocumentError(f"Waybill.{name} must be a Party")
        orders = _tuple_of("Waybill", "order_nos", self.order_nos)
        for order_no in orders:
            check_code("Waybill", "order_nos[]", order_no)
        object.__setattr__(self, "order_nos", orders)
        _count("Waybill", "package_count", self.package_count, 1)
        _count("Waybill", "package_no", self.package_no, 1)
        if self.package_no > self.package_count:
            raise DocumentError(f"Waybill.package_no {self.package_no} is beyond "
                                f"package_count {self.package_count}")
        if self.weight_g is not None:
            _count("Waybill", "weight_g", self.weight_g, 0)
        if self.promised_ship_by is not None:
            _text("Waybill", "promised_ship_by", self.promised_ship_by)
        _text("Waybill", "route_code", self.route_code)
        _text("Waybill", "remark", self.remark)
        _datetime("Waybill", "printed_at", self.printed_at)


class SlipLine(NamedTuple):
    sku: str
    name: str
    qty: int


@dataclass(frozen=True, kw_only=True)
class PackingSlip:
    """The slip (装箱单) that goes into the box: what the buyer should find in it."""

    order_no: str
    channel_order_no: str
    shop: str
    receiver_name: str
    lines: tuple[SlipLine, ...]
    remark: str = ""
    printed_at: datetime

    def __post_init__(self) -> None:
        check_code("PackingSlip", "order_no", self.order_no)
        _text("PackingSlip", "channel_order_no", self.channel_order_no)
        _text("PackingSlip", "shop", self.shop)
        _text("PackingSlip", "receiver_name", self.receiver_name, required=True)
        _text("PackingSlip", "remark", self.remark)
        lines = tuple(SlipLine(*line) for line in _tuple_of("PackingSlip", "lines", self.lines)
                      if isinstance(line, tuple | list))
        if len(lines) != len(self.lines) or not lines:
            raise DocumentError("PackingSlip.lines must be one or more (sku, name, qty)")
        for line in lines:
            _text("SlipLine", "sku", line.sku, required=True)
            _text("SlipLine", "name", line.name)
            _count("SlipLine", "qty", line.qty, 1)
        object.__setattr__(self, "lines", lines)
        _datetime("PackingSlip", "printed_at", self.printed_at)


class PickTask(NamedTuple):
    seq: int
    bin: str
    sku: str
    barcode: str  # the SKU's own barcode (EAN-13 mostly); may be empty
    name: str
    qty: int
    tote_cell: str  # where the picked units go: tote and cell, e.g. "T03-2"


@dataclass(frozen=True, kw_only=True)
class PickList:
    """A wave's pick list (拣货单): tasks in walking order."""

    wave_no: str
    warehouse: str
    strategy: str
    picker: str
    tasks: tuple[PickTask, ...]
    printed_at: datetime

    def __post_init__(self) -> None:
        check_code("PickList", "wave_no", self.wave_no)
        for name in ("warehouse", "strategy", "picker"):
            _text("PickList", name, getattr(self, name))
        raw = _tuple_of("PickList", "tasks", self.tasks)
        tasks = tuple(PickTask(*t) for t in raw if isinstance(t, tuple | list))
        if len(tasks) != len(raw) or not tasks:
            raise DocumentError("PickList.tasks must be one or more PickTask")
        for task in tasks:
            _count("PickTask", "seq", task.seq, 0)
            _text("PickTask", "bin", task.bin, required=True)
            _text("PickTask", "sku", task.sku, required=True)
            _text("PickTask", "name", task.name)
            _text("PickTask", "tote_cell", task.tote_cell)
            if task.barcode:
                check_code("PickTask", "barcode", task.barcode)
            _count("PickTask", "qty", task.qty, 1)
        object.__setattr__(self, "tasks", tasks)
        _datetime("PickList", "printed_at", self.printed_at)


@dataclass(frozen=True)
class BinLabel:
    """A shelf label: the bin's code as a barcode and a title (e.g. "A区 03排 12列 2层")."""

    code: str
    title: str = ""

    def __post_init__(self) -> None:
        check_code("BinLabel", "code", self.code)
        _text("BinLabel", "title", self.title)


@dataclass(frozen=True)
class ToteLabel:
    code: str

    def __post_init__(self) -> None:
        check_code("ToteLabel", "code", self.code)


class CommandCard(NamedTuple):
    code: str
    label: str


DEFAULT_COMMAND_CARDS: tuple[CommandCard, ...] = (
    CommandCard("CMD-CONFIRM", "确认"),
    CommandCard("CMD-CANCEL", "取消"),
    CommandCard("CMD-NEWBOX", "新箱"),
    CommandCard("CMD-PAUSE", "暂停"),
    CommandCard("CMD-REPRINT", "重打"),
)


@dataclass(frozen=True)
class CommandCards:
    """The laminated cards a packer scans instead of touching the keyboard."""

    cards: tuple[CommandCard, ...] = DEFAULT_COMMAND_CARDS

    def __post_init__(self) -> None:
        raw = _tuple_of("CommandCards", "cards", self.cards)
        cards = tuple(CommandCard(*c) for c in raw if isinstance(c, tuple | list))
        if len(cards) != len(raw) or not cards:
            raise DocumentError("CommandCards.cards must be one or more (code, label)")
        for card in cards:
            check_code("CommandCard", "code", card.code)
            _text("CommandCard", "label", card.label)
        object.__setattr__(self, "cards", cards)


class ManifestParcel(NamedTuple):
    tracking_no: str
    order_no: str
    weight_g: int | None


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """The handover list (交接清单) the carrier's driver signs for a batch of parcels."""

    carrier: str
    batch_no: str
    warehouse: str
    parcels: tuple[ManifestParcel, ...]
    handed_over_by: str
    printed_at: datetime

    def __post_init__(self) -> None:
        _text("Manifest", "carrier", self.carrier, required=True)
        check_code("Manifest", "batch_no", self.batch_no)
        _text("Manifest", "warehouse", self.warehouse)
        _text("Manifest", "handed_over_by", self.handed_over_by)
        raw = _tuple_of("Manifest", "parcels", self.parcels)
        parcels = tuple(ManifestParcel(*p) for p in raw if isinstance(p, tuple | list))
        if len(parcels) != len(raw):
            raise DocumentError("Manifest.parcels must be (tracking_no, order_no, weight_g)")
        for parcel in parcels:
            check_code("ManifestParcel", "tracking_no", parcel.tracking_no)
            _text("ManifestParcel", "order_no", parcel.order_no)
            if parcel.weight_g is not None:
                _count("ManifestParcel", "weight_g", parcel.weight_g, 0)
        object.__setattr__(self, "parcels", parcels)
        _datetime("Manifest", "printed_at", self.printed_at)


Document: TypeAlias = (Waybill | PackingSlip | PickList | BinLabel | ToteLabel | CommandCards
                       | Manifest)


# -- paper ----------------------------------------------------------------------------------


class Paper(StrEnum):
    """The paper a printer holds: three label sizes, the 80 mm thermal roll, A4."""

    L100X150 = "100x150"
    L76X130 = "76x130"
    L100X180 = "100x180"
    ROLL80 = "80mm"
    A4 = "a4"

    @classmethod
    def parse(cls, value: Paper | str) -> Paper:
        if isinstance(value, Paper):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise DocumentError(f"unknown paper {value!r}: use one of "
                                + ", ".join(p.value for p in cls)) from None

    @property
    def is_label(self) -> bool:
        return self in (Paper.L100X150, Paper.L76X130, Paper.L100X180)

    @property
    def width_mm(self) -> float:
        return _PAPER_MM[self][0]

    @property
    def height_mm(self) -> float | None:
        """None for the roll: its page grows with the content."""
        return _PAPER_MM[self][1]

    @property
    def printable_width_mm(self) -> float:
        return 72.0 if self is Paper.ROLL80 else self.width_mm


_PAPER_MM: dict[Paper, tuple[float, float | None]] = {
    Paper.L100X150: (100.0, 150.0),
    Paper.L76X130: (76.0, 130.0),
    Paper.L100X180: (100.0, 180.0),
    Paper.ROLL80: (80.0, None),
    Paper.A4: (210.0, 297.0),
}

LABEL_DPIS = (203, 300)


def dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def format_weight(weight_g: int | None) -> str:
    return "" if weight_g is None else f"{weight_g / 1000:.2f}kg"


def format_time(moment: datetime) -> str:
    """When a document was printed, as the warehouse's clock says it: China time (a time
    without a zone is taken as already written in China wall-clock time)."""
    return written_in_china(moment).strftime("%Y-%m-%d %H:%M")


# -- label layout ---------------------------------------------------------------------------
# Positions in millimetres from the label's top-left corner. `size` of a text is its em size;
# lines of a text box are LINE_PITCH ems apart.

# The smallest em size a text that does not fit its box is shrunk to: 16 dots at 203 dpi,
# the size of the smallest Chinese bitmap fonts, still read at arm's length.
MIN_TEXT_MM = 2.0


@dataclass(frozen=True, slots=True)
class TextBox:
    """A text in a box `max_lines` lines of `size` high. Without `min_size` a text longer
    than that is cut with an ellipsis (order numbers, carrier names). With it, the text is
    shrunk (down to `min_size`) until all of it fits the box's height on more, smaller lines;
    when it cannot, a box that may `shorten` shows what fits at `min_size` ended with an
    ellipsis (the remark, the name on the 180 mm label's stub), any other makes the renderer
    refuse with a DocumentError naming `field`. The waybill's layout gives a receiver's name
    and address the lines they need, so they are always printed whole."""

    x: float
    y: float
    width: float
    size: float
    text: str
    max_lines: int = 1
    align: str = "left"  # or "center" / "right"
    min_size: float = 0.0
    field: str = ""
    shorten: bool = False

    @property
    def height(self) -> float:
        return self.max_lines * self.size * LINE_PITCH


def fit_text(box: TextBox, width: float, sizes: Iterable[float],
             measure_at: Callable[[float], Callable[[str], float]]
             ) -> tuple[float, list[str]]:
    """`fit_lines` for a layout's box (sizes in the renderer's unit, the box's own first)."""
    return fit_lines(box.text, box.max_lines, bool(box.min_size), box.field, width, sizes,
                     measure_at, shorten=box.shorten)


def fit_lines(text: str, max_lines: int, shrink: bool, field: str, width: float,
              sizes: Iterable[float], measure_at: Callable[[float], Callable[[str], float]],
              *, shorten: bool = False) -> tuple[float, list[str]]:
    """The largest of `sizes` (descending, in the renderer's unit, the first being the box's
    own) at which all of `text`, wrapped to `width` (same unit), fits the height of
    `max_lines` lines of the first size, and the lines. Without `shrink`, the first size and
    the text cut with an ellipsis after `max_lines`. DocumentError naming `field` when
    nothing fits, or with `shorten` the smallest size and the text cut with an ellipsis after
    as many of its lines as the height holds."""
    candidates = iter(sizes)
    first = next(candidates)
    if not shrink:
        return first, wrap(text, width, measure_at(first), max_lines)
    lines = wrap(text, width, measure_at(first))
    if len(lines) <= max_lines:
        return first, lines
    room = max_lines * first * LINE_PITCH * 1.0001
    # Lines of text scale with the square of the size: start near the answer.
    guess = first * (max_lines / len(lines)) ** 0.5 * 1.1
    smallest = first
    for size in candidates:
        smallest = size
        if size > guess:
            continue
        lines = wrap(text, width, measure_at(size))
        if len(lines) * size * LINE_PITCH <= room:
            return size, lines
    if shorten:
        fitting = max(1, int(room / (smallest * LINE_PITCH)))
        return smallest, wrap(text, width, measure_at(smallest), fitting)
    raise DocumentError(
        f"{field or 'a text'} ({len(text)} characters) does not fit its space on the "
        f"label even at the smallest legible size ({MIN_TEXT_MM:g} mm)")


def mm_sizes(size: float, min_size: float, step: float = 0.1) -> Iterator[float]:
    """`size`, then sizes below it in `step`s down to `min_size` (millimetres)."""
    yield size
    n = 1
    while size - n * step >= min_size - 1e-9:
        yield round(size - n * step, 4)
        n += 1


def dot_sizes(size_dots: int, min_dots: int) -> Iterator[float]:
    """`size_dots`, then every whole dot size below it down to `min_dots`."""
    yield float(size_dots)
    yield from (float(d) for d in range(size_dots - 1, max(1, min_dots) - 1, -1))


@dataclass(frozen=True, slots=True)
class BarcodeBox:
    """A Code 128 barcode centred in (x, width), `height` of bars, the human-readable text
    printed below by the printer (about 3 mm more)."""

    x: float
    y: float
    width: float
    height: float
    data: str
    human_readable: bool = True


@dataclass(frozen=True, slots=True)
class QrBox:
    x: float
    y: float
    size: float
    data: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A filled rectangle: separator lines."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Frame:
    """A rectangle outline, e.g. around the 预售 tag."""

    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.5


Element: TypeAlias = TextBox | BarcodeBox | QrBox | Rule | Frame


@dataclass(frozen=True)
class LabelLayout:
    width_mm: float
    height_mm: float
    elements: tuple[Element, ...] = field(default=())


MARGIN = 2.5


def label_pages(doc: Document, paper: Paper) -> tuple[LabelLayout, ...]:
    """The label(s) a label document prints on `paper`: one per waybill, bin or tote, one per
    command card."""
    if not paper.is_label:
        raise DocumentError(f"{paper.value} is not label paper")
    width, height = paper.width_mm, paper.height_mm
    assert height is not None
    if isinstance(doc, Waybill):
        return (_waybill(doc, width, height),)
    if isinstance(doc, BinLabel):
        return (_big_code(doc.code, doc.title, width, height),)
    if isinstance(doc, ToteLabel):
        return (_big_code(doc.code, "周转箱", width, height),)
    if isinstance(doc, CommandCards):
        return tuple(_big_code(card.code, card.label, width, height) for card in doc.cards)
    raise DocumentError(f"a {type(doc).__name__} is not printed on labels")


def _est_width(text: str, size: float) -> float:
    return text_cells(text) * size * 0.5


def _layout_measure(size: float) -> Callable[[str], float]:
    """A text's width at `size` as wide as any printer language sets it, with room for the
    rounding of whole dots (`fonts.layout_measure`)."""
    from app.printing import fonts  # fonts builds on this module

    measure = fonts.layout_measure(size)
    return lambda text: measure(text) * 1.08


def _waybill(w: Waybill, width: float, height: float) -> LabelLayout:
    """The waybill's layout. Whatever the door accepts fits: a label whose receiver takes
    more room than usual is drawn again with a shorter barcode, route code and header
    (`squeeze`), and the remark takes what room is left (shortened with an ellipsis)."""
    for squeeze in range(len(_SQUEEZES)):
        layout = _waybill_at(w, width, height, squeeze)
        if layout is not None:
            return layout
    # Longer than the door lets in: name what grew.
    scratch: list[Element] = []
    for mark, party, owner in (("收", w.receiver, "Waybill.receiver"),
                               ("寄", w.sender, "Waybill.sender")):
        _party(scratch, mark, party, MARGIN, 0.0, width - 2 * MARGIN, 5.0, 4.0, 3, owner)
    grown = [el.field for el in scratch if isinstance(el, TextBox)
             and el.size == MIN_TEXT_MM and el.max_lines > 1]
    what = " and ".join(grown) if grown else "the waybill's text"
    raise DocumentError(f"{what} does not fit a {width:g}x{height:g} mm label even at the "
                        f"smallest legible size ({MIN_TEXT_MM:g} mm); shorten it or use a "
                        "longer label")


# (carrier name size, route code size, barcode height on a label < 150 mm, on a longer one,
# smallest QR code, size of the facts beside it): each a little smaller than the one before.
_SQUEEZES = ((6.0, 9.0, 14.0, 18.0, 16.0, 3.0), (5.0, 6.0, 11.0, 13.0, 15.0, 3.0),
             (4.0, 4.5, 9.0, 10.0, 14.0, 2.5), (4.0, 4.5, 9.0, 10.0, 14.0, MIN_TEXT_MM))


def _waybill_at(w: Waybill, width: float, height: float, squeeze: int) -> LabelLayout | None:
    carrier_size, route_size, short_bar, long_bar, min_qr, size = _SQUEEZES[squeeze]
    m = MARGIN
    inner = width - 2 * m
    els: list[Element] = []
    y = m
    # Header: carrier, package n/m, presale tag.
    right = width - m
    if w.presale:
        els += [Frame(right - 16, y - 0.5, 16, 7.5, 0.6),
                TextBox(right - 16, y + 0.8, 16, 5.0, "预售", align="center")]
        right -= 18
    if w.package_count > 1:
        text = f"{w.package_no}/{w.package_count}"
        els.append(TextBox(right - 16, y, 16, 6.0, text, align="right"))
        right -= 18
    els.append(TextBox(m, y, right - m, carrier_size, w.carrier_name))
    y += 7.5 if (w.presale or w.package_count > 1) else carrier_size + 1.5
    els.append(Rule(m, y, inner, 0.4))
    y += 1.5
    if w.route_code:
        els.append(TextBox(m, y, inner, route_size, w.route_code, align="center"))
        y += route_size + 2.0
        els.append(Rule(m, y, inner, 0.4))
        y += 1.5
    bar_height = long_bar if height >= 150 else short_bar
    els.append(BarcodeBox(m, y + 0.5, inner, bar_height, w.tracking_no))
    y += bar_height + 5.5
    els.append(Rule(m, y, inner, 0.4))
    y += 1.5
    # Receiver: name and masked phone large, full address below.
    y = _party(els, "收", w.receiver, m, y, inner, 5.0, 4.0, 3, "Waybill.receiver")
    els.append(Rule(m, y, inner, 0.4))
    y += 1.5
    y = _party(els, "寄", w.sender, m, y, inner, 3.2, 3.0, 2, "Waybill.sender")
    els.append(Rule(m, y, inner, 0.4))
    y += 2.0
    # Bottom: QR of the tracking number, orders, weight, times, remark.
    stub = 34.0 if height >= 170 else 0.0
    room = height - stub - y - m
    qr = min(24.0, max(min_qr, room))
    x = m + qr + 2.5
    info = width - m - x
    pitch = size * LINE_PITCH + 0.6
    label_w = size * 8 / 3
    value_w = info - label_w - 1
    orders = ", ".join(w.order_nos)
    rows: list[tuple[str, str, int]] = [
        ("订单", orders, 1 if _layout_measure(size)(orders) <= value_w else 2)]
    facts = "  ".join(t for t in (f"{w.package_no}/{w.package_count}",
                                   format_weight(w.weight_g)) if t)
    rows.append(("件数", facts, 1))
    if w.promised_ship_by:
        rows.append(("承诺", w.promised_ship_by, 1))
    rows.append(("打印", format_time(w.printed_at), 1))
    used = pitch * sum(lines for _, _, lines in rows)
    if w.remark:
        # The remark takes the room left, at least a line: shrunk, then shortened with an
        # ellipsis (the whole remark is on the packing slip and in the order).
        free = max(1, int((room - used + 0.01) // (size * LINE_PITCH)))
        rows.append(("备注", w.remark, free))
        used += size * LINE_PITCH * free
    if max(qr, used) > room + 0.01:
        return None
    els.append(QrBox(m, y, qr, w.tracking_no))
    for label, value, lines in rows:
        els.append(TextBox(x, y, label_w, size, label))
        if value:
            remark = label == "备注"
            els.append(TextBox(x + label_w + 1, y, value_w, size, value,
                               max_lines=lines, min_size=MIN_TEXT_MM if remark else 0.0,
                               field="Waybill.remark" if remark else "", shorten=remark))
        y += pitch * lines
    if stub:
        # The receiver's stub (客户联) of a 180 mm label, below the tear line. Its name is
        # shrunk to fit one line and, when it still does not, shortened with an ellipsis:
        # the whole name is on the label's main part above.
        y = height - stub
        for i in range(int(inner // 3)):
            els.append(Rule(m + i * 3, y, 1.8, 0.3))
        y += 2.0
        els.append(BarcodeBox(m, y, inner * 0.62, 10.0, w.tracking_no))
        els.append(QrBox(width - m - 16, y, 16, w.tracking_no))
        y += 15.0
        name = f"{w.receiver.name}"
        phone_x = m + min(_est_width(name, 3.5) + 3, inner / 2)
        els.append(TextBox(m, y, phone_x - m - 1, 3.5, name, min_size=MIN_TEXT_MM,
                           field="Waybill.receiver.name", shorten=True))
        els.append(TextBox(phone_x, y, inner / 2, 3.5, w.receiver.masked_phone,
                           min_size=MIN_TEXT_MM, field="Waybill.receiver.phone",
                           shorten=True))
        y += 5.0
        els.append(TextBox(m, y, inner - 18, 3.0, ", ".join(w.order_nos)))
    return LabelLayout(width, height, tuple(els))


def _party(els: list[Element], mark: str, party: Party, m: float, y: float, inner: float,
           name_size: float, address_size: float, address_lines: int, owner: str) -> float:
    """A party's block: the mark (收/寄) in a frame, the name and masked phone, the address.
    A name or an address that does not fit its usual line(s) even shrunk gets as many lines
    of the smallest size as it needs, counted with the widest measure of any printer
    (`_layout_measure`); the label's lower part moves down (`_waybill` squeezes the rest)."""
    box = name_size + 2.5
    els += [Frame(m, y, box, box, 0.5),
            TextBox(m, y + (box - name_size) / 2 - 0.2, box, name_size, mark, align="center")]
    x = m + box + 2.0
    width = inner - box - 2.0
    smallest = _layout_measure(MIN_TEXT_MM)
    phone = party.masked_phone
    phone_w = min(_layout_measure(name_size)(phone) + 1, width * 0.4) if phone else 0.0
    name_room = width - phone_w - 2 if phone else width
    # Two lines of the smallest size fit the height of one line of the name's size.
    per_line = max(1, int(name_size // MIN_TEXT_MM))
    name_lines = [party.name] if smallest(party.name) <= name_room \
        else wrap(party.name, name_room, smallest)
    top = y + 0.5
    if len(name_lines) <= per_line:
        # Room for the name in any printer's font: TSPL's built-in font may set it 20 %
        # larger.
        name_width = min(max(_est_width(party.name, name_size) * 1.2 + 1,
                             smallest(party.name) + 1), name_room)
        els.append(TextBox(x, top, name_width, name_size, party.name,
                           min_size=MIN_TEXT_MM, field=f"{owner}.name"))
        if phone:
            els.append(TextBox(x + name_width + 2, top, width - name_width - 2, name_size,
                               phone, min_size=MIN_TEXT_MM, field=f"{owner}.phone",
                               shorten=True))
        y += name_size * LINE_PITCH + 1.2
    else:
        # A long name: lines of the smallest size across the block, the phone beside its
        # first line.
        els.append(TextBox(x, top, name_room, MIN_TEXT_MM, party.name,
                           max_lines=len(name_lines), min_size=MIN_TEXT_MM,
                           field=f"{owner}.name"))
        if phone:
            els.append(TextBox(x + name_room + 2, top, phone_w, name_size, phone,
                               min_size=MIN_TEXT_MM, field=f"{owner}.phone", shorten=True))
        y += max(len(name_lines) * MIN_TEXT_MM * LINE_PITCH, name_size * LINE_PITCH) + 1.2
    address = party.full_address
    size, lines = address_size, address_lines
    # An address longer than its lines is shrunk by the renderer; one that would not fit even
    # at the smallest size gets as many lines of that size as it needs here, below the mark's
    # frame and across the whole block.
    # Wrapping wastes less than half of a line (bar pathological words): only an address
    # longer than that needs its lines counted.
    if smallest(address) > width * (lines * size / MIN_TEXT_MM - 1) / 2 \
            and len(wrap(address, width, smallest)) * MIN_TEXT_MM > lines * size:
        y = max(y, _frame_bottom(els) + 0.3)
        x, width = m, inner
        size, lines = MIN_TEXT_MM, len(wrap(address, inner, smallest))
    els.append(TextBox(x, y, width, size, address, max_lines=lines,
                       min_size=MIN_TEXT_MM, field=f"{owner}.address"))
    return y + size * LINE_PITCH * lines + 0.8


def _frame_bottom(els: list[Element]) -> float:
    frame = next(el for el in reversed(els) if isinstance(el, Frame))
    return frame.y + frame.height


def _big_code(code: str, title: str, width: float, height: float) -> LabelLayout:
    """Bin, tote and command-card labels: a title and the code as a big barcode, readable from
    across the aisle."""
    m = MARGIN
    inner = width - 2 * m
    els: list[Element] = []
    y = m + 2
    if title:
        size = min(14.0, height * 0.09)
        els.append(TextBox(m, y, inner, size, title, align="center"))
        y += size * LINE_PITCH + 3
    bar = min(45.0, height * 0.3)
    els.append(BarcodeBox(m, y, inner, bar, code, human_readable=False))
    y += bar + 3
    els.append(TextBox(m, y, inner, 7.0, code, align="center"))
    y += 7.0 * LINE_PITCH + 3
    qr = min(30.0, height - y - m)
    if qr >= 12:
        els.append(QrBox((width - qr) / 2, y, qr, code))
    return LabelLayout(width, height, tuple(els))
