"""Documents for a platform's print component: one component document, JSON
`{"documentID": …, "contents": […]}`, which `drivers.printers.component` puts in a print task.

- A platform e-waybill (`Waybill.print_data`, as the platform's waybill service returned it):
  its print data is the first content, as the component expects it (encrypted data, signature,
  the standard template; Packline's own `sort` codes are left out), and Packline's content —
  order number(s), the box's items, box n/m, the presale tag, the promised time — is the second,
  `{"data": {…}, "templateURL": <the printer's custom-area template>}`. Without a custom-area
  template the waybill prints with the platform's content only.
- Any other document (a test page, a pick list…): one content, the document's data in the
  printer's custom-area template.

`documentID` is stable per document: a waybill's tracking number; for other documents a digest
of the document's content (the same document rendered again, for a backup printer say, keeps
it). The component's task ID is the print job's id (`drivers.printers.component`).

Refused (`ComponentRenderError`, with a code for the reader's language): a waybill Packline
draws itself (no platform print data), a platform waybill on another platform's component, a
platform waybill on a printer that is not a component, and a non-waybill document on a printer
with no custom-area template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from app.printing.documents import Document, Waybill
from app.printing.text_fit import DocumentError

# Which component prints which provider's e-waybills (the waybill providers' names).
COMPONENT_PROVIDERS: dict[str, frozenset[str]] = {
    "cainiao": frozenset({"cainiao"}), "pdd": frozenset({"pdd"}),
    "douyin": frozenset({"douyin"}), "kuaishou": frozenset({"kuaishou"}),
}
COMPONENT_LANGUAGES: tuple[str, ...] = tuple(COMPONENT_PROVIDERS)
# Keys of the stored print data that are Packline's, not the component's.
_OURS = frozenset({"sort"})


class ComponentRenderError(DocumentError):
    """A document and a printer that do not go together; `code` and `params` for the words."""

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def is_platform_waybill(doc: object) -> bool:
    return isinstance(doc, Waybill) and bool(doc.print_data)


def check_fits(doc: object, language: str, printer: str = "",
               custom_template: str = "") -> None:
    """Refuse a document its printer cannot print (see the module's docstring)."""
    component = language in COMPONENT_PROVIDERS
    if is_platform_waybill(doc):
        assert isinstance(doc, Waybill)
        if not component:
            raise ComponentRenderError(
                f"a {doc.provider} e-waybill prints only through its platform's print "
                f"component; printer {printer} speaks {language}",
                "print.platform_needs_component", provider=doc.provider, printer=printer)
        if doc.provider not in COMPONENT_PROVIDERS[language]:
            raise ComponentRenderError(
                f"a {doc.provider} e-waybill does not print through the {language} print "
                f"component {printer}", "print.wrong_component", provider=doc.provider,
                printer=printer, language=language)
        return
    if not component:
        return
    if isinstance(doc, Waybill):
        raise ComponentRenderError(
            f"printer {printer} is a print component: it prints platform e-waybills, not "
            "waybills Packline draws", "print.self_managed_on_component", printer=printer)
    if not custom_template:
        raise ComponentRenderError(
            f"printer {printer} needs custom_template = URL to print a "
            f"{type(doc).__name__}", "print.needs_custom_template", printer=printer)


def render_component(doc: Document, language: str, *, custom_template: str = "",
                     printer: str = "") -> bytes:
    """The component document of `doc`, UTF-8 JSON."""
    check_fits(doc, language, printer, custom_template)
    contents: list[dict[str, Any]] = []
    if isinstance(doc, Waybill):
        assert doc.print_data
        contents.append({k: v for k, v in doc.print_data.items() if k not in _OURS})
        if custom_template:
            contents.append({"data": waybill_custom_data(doc), "templateURL": custom_template})
        document_id = doc.tracking_no
    else:
        data = _plain(doc)
        contents.append({"data": {"document": type(doc).__name__, **data},
                         "templateURL": custom_template})
        document_id = f"{type(doc).__name__}-" + hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
    return json.dumps({"documentID": document_id, "contents": contents},
                      ensure_ascii=False, separators=(",", ":")).encode()


def waybill_custom_data(doc: Waybill) -> dict[str, str]:
    """Packline's content in the custom area: what the packer and the buyer read besides the
    platform's part (the variables a shop's custom-area template names)."""
    items = "; ".join(f"{name}×{units}" for name, units in doc.items)
    return {
        "orderNo": ", ".join(doc.order_nos),
        "items": items,
        "box": f"{doc.package_no}/{doc.package_count}",
        "presale": "预售" if doc.presale else "",
        "promisedShipBy": doc.promised_ship_by or "",
        "remark": doc.remark,
    }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
