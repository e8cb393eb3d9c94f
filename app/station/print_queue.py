"""Print jobs: put a document in the station's print queue, reprint with a reason, cancel, list.

A document is rendered for its printer and stored with its bytes before anything is sent (the
spooler sends). Asking twice for the same document (`dedupe_key`, e.g. the waybill of one box)
gives the first job back: a label is never printed twice by accident. Printing it again is a
reprint: a new job that names the first, with who and why, audited through the outbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.domain.china_time import in_china
from app.domain.roles import Permission
from app.printers import PrinterSpec
from app.services import changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound
from app.station import outbox
from app.station.models import PrintJob, new_id
from app.store.db import Database
from app.sync.contract import AuditNote

MIN_REASON = 2
# Jobs that carry a secret (a badge card): printed once, their bytes dropped once sent, never
# reprinted (a new badge is issued instead).
SECRET_KINDS = frozenset({"badge_card"})


# ------------------------------------------------------------------ documents as data


def _document_types() -> dict[str, type]:
    from app.printing import documents

    return {name: obj for name, obj in vars(documents).items()
            if isinstance(obj, type) and dataclasses.is_dataclass(obj)}


def to_json(doc: Any) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return value

    return plain(doc)  # type: ignore[no-any-return]


def from_json(doc_type: str, data: dict[str, Any]) -> Any:
    """The document back from `to_json`, its nested parts and datetimes rebuilt."""
    types = _document_types()

    def build(tp: Any, value: Any) -> Any:
        if value is None:
            return None
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            inner = [a for a in args if a is not type(None)]
            return build(inner[0], value) if len(inner) == 1 else value
        if origin is tuple:
            item = args[0] if args else Any
            if len(args) == 2 and args[1] is Ellipsis or len(args) == 1:
                return tuple(build(item, v) for v in value)
            return tuple(build(a, v) for a, v in zip(args, value, strict=False))
        if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):
            hints = typing.get_type_hints(tp)
            return tp(*(build(hints[name], v) for name, v in zip(tp._fields, value,
                                                                  strict=False)))
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp)
            return tp(**{f.name: build(hints[f.name], value[f.name])
                         for f in dataclasses.fields(tp) if f.name in value})
        if tp is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if tp is dt.date:
            return dt.date.fromisoformat(value)
        return value

    if doc_type not in types:
        raise InvalidInput(f"unknown document type {doc_type!r}", code="print.unknown_document",
                           document=doc_type)
    return build(types[doc_type], data)


def paper_for(doc: Any, spec: PrinterSpec) -> str:
    """The printer's paper when the document goes on it; a folder (PDF/PNG) printer takes each
    document on its own paper (a pick list on A4, a waybill on its label)."""
    from app.printing.render import default_paper, supported_papers

    papers = {p.value for p in supported_papers(type(doc), spec.language)}
    if spec.paper in papers or spec.language not in ("pdf", "png"):
        return spec.paper
    return default_paper(type(doc), spec.language).value


def render_for(doc: Any, spec: PrinterSpec) -> bytes:
    """`doc` rendered for `spec`. A document its printer cannot print at all (a platform's
    e-waybill on a printer that is not that platform's print component, say) is refused in
    words (InvalidInput) before anything is stored."""
    from app.printing.component import ComponentRenderError, check_fits
    from app.printing.render import render

    try:
        check_fits(doc, spec.language, spec.name, spec.custom_area)
    except ComponentRenderError as exc:
        raise InvalidInput(str(exc), code=exc.code, **exc.params) from None
    cjk = spec.cjk if spec.language in ("zpl", "escpos") else None
    return render(doc, spec.language, paper=paper_for(doc, spec), dpi=spec.dpi, cjk=cjk,
                  custom_template=spec.custom_area, printer=spec.name)


def prepare_for(doc: Any, spec: PrinterSpec) -> bool:
    """What `render_for` of `doc` will reuse, done now (`app.printing.render.prepare`)."""
    from app.printing.render import prepare

    if spec.is_component:
        return False  # the component renders; nothing of it is kept here
    cjk = spec.cjk if spec.language in ("zpl", "escpos") else None
    return prepare(doc, spec.language, paper=paper_for(doc, spec), dpi=spec.dpi, cjk=cjk)


def rerender(job: PrintJob, spec: PrinterSpec) -> bytes:
    """The spooler's hook: the same document for a backup printer of another language."""
    if not job.document or not job.doc_type:
        return job.data
    return render_for(from_json(job.doc_type, job.document), spec)


# ------------------------------------------------------------------ the queue


@dataclass(frozen=True, slots=True)
class Queued:
    job_id: str
    printer: str
    status: str
    existing: bool  # the same document was queued before: nothing new will print


@guarded(Permission.VIEW_ORDERS)
def enqueue(store: Database, actor: Actor, spec: PrinterSpec, doc: Any, *, kind: str, ref: str,
            title: str = "", dedupe_key: str | None = None, priority: int = 0) -> Queued:
    """Render `doc` for `spec` and queue it. Rendering errors are refused before anything is
    stored."""
    data = render_for(doc, spec)
    now = datetime.now(UTC)
    job = PrintJob(id=new_id(), created_at=now, updated_at=now, kind=kind, ref=ref[:100],
                   title=title[:200], language=spec.language, paper=paper_for(doc, spec),
                   dpi=spec.dpi,
                   data=data, doc_type=type(doc).__name__, document=to_json(doc),
                   dedupe_key=dedupe_key, requested_by=actor.code,
                   requested_printer=spec.name, printer=spec.name, priority=priority,
                   status="queued", attempts=0, resends=0, last_error="", reason="")
    try:
        with store.unit_of_work() as s:
            changes.note(s, Change.PRINTING)
            s.add(job)
        return Queued(job.id, spec.name, "queued", False)
    except IntegrityError:
        with store.reader() as s:
            first = s.scalars(select(PrintJob).where(PrintJob.dedupe_key == dedupe_key)).one()
            return Queued(first.id, first.printer, first.status, True)


def add_job(s: Any, actor: Actor, spec: PrinterSpec, doc: Any, data: bytes, *, kind: str,
            ref: str, title: str = "", dedupe_key: str | None = None, priority: int = 0) -> str:
    """Queue an already rendered document inside the caller's unit of work (the packing bench
    writes its label, its events and its outbox entry in one transaction). A document asked
    for before (`dedupe_key`) is not queued again: its first job's id is returned."""
    now = datetime.now(UTC)
    job_id = new_id()
    changes.note(s, Change.PRINTING)
    # One plain INSERT that does nothing when the document was queued before (the unique
    # dedupe key): this is on the path of the scan that completes an order.
    jobs = cast(Table, PrintJob.__table__)  # the declarative base types it as any FromClause
    added = s.execute(sqlite_insert(jobs).on_conflict_do_nothing().values(
        id=job_id, created_at=now, updated_at=now, kind=kind, ref=ref[:100], title=title[:200],
        language=spec.language, paper=paper_for(doc, spec), dpi=spec.dpi, data=data,
        doc_type=type(doc).__name__, document=to_json(doc), dedupe_key=dedupe_key,
        requested_by=actor.code, requested_printer=spec.name, printer=spec.name,
        priority=priority, status="queued", attempts=0, resends=0, last_error="", reason=""))
    if added.rowcount == 0 and dedupe_key is not None:
        return str(s.scalar(select(PrintJob.id).where(PrintJob.dedupe_key == dedupe_key)))
    return job_id


@guarded(Permission.VIEW_ORDERS)
def enqueue_pdf(store: Database, actor: Actor, spec: PrinterSpec, data: bytes, *, kind: str,
                ref: str, title: str = "") -> Queued:
    """Queue a PDF made elsewhere (a badge card) for a printer that takes PDF: an office
    printer through `lp`, or the folder printer."""
    if spec.language != "pdf":
        raise InvalidInput(f"printer {spec.name} does not take PDF", code="print.needs_pdf",
                           printer=spec.name)
    now = datetime.now(UTC)
    job = PrintJob(id=new_id(), created_at=now, updated_at=now, kind=kind, ref=ref[:100],
                   title=title[:200], language="pdf", paper=spec.paper, dpi=spec.dpi,
                   data=data, doc_type="", document=None, dedupe_key=None,
                   requested_by=actor.code, requested_printer=spec.name, printer=spec.name,
                   priority=1, status="queued", attempts=0, resends=0, last_error="",
                   reason="")
    with store.unit_of_work() as s:
        changes.note(s, Change.PRINTING)
        s.add(job)
    return Queued(job.id, spec.name, "queued", False)


def test_document(printer: str, station: str, now: datetime | None = None) -> Any:
    from app.printing.documents import BinLabel

    stamp = in_china(now or datetime.now(UTC)).strftime("%m-%d %H:%M:%S")
    return BinLabel(code=f"TEST-{printer}"[:40].upper(),
                    title=f"打印测试 Test page · {station} · {stamp}")


@guarded(Permission.VIEW_ORDERS)
def test_page(store: Database, actor: Actor, spec: PrinterSpec, station: str) -> Queued:
    """A test page for one printer (IT, or anyone checking the printer works)."""
    return enqueue(store, actor, spec, test_document(spec.name, station), kind="test",
                   ref=spec.name, title=f"test {spec.name}")


@guarded(Permission.REPRINT)
def reprint(store: Database, actor: Actor, job_id: str, reason: str,
            spec: PrinterSpec | None = None) -> Queued:
    """Print a job's document again, on `spec` or where the first one went. Needs a reason."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput("a reprint needs a reason (e.g. label torn)", code="print.reprint_reason")
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        changes.note(s, Change.PRINTING)
        first = s.get(PrintJob, job_id)
        if first is None:
            raise NotFound(f"no print job {job_id}", code="print.no_job", job=job_id)
        if first.kind in SECRET_KINDS:
            raise InvalidInput("a badge card prints once: issue a new badge",
                               code="print.badge_card_once")
        if spec is not None and (spec.language, spec.paper, spec.dpi) != (
                first.language, first.paper, first.dpi) and first.document:
            data = render_for(from_json(first.doc_type, first.document), spec)
        else:
            data = first.data
        target = spec.name if spec is not None else first.printer
        job = PrintJob(id=new_id(), created_at=now, updated_at=now, kind=first.kind,
                       ref=first.ref, title=first.title,
                       language=spec.language if spec else first.language,
                       paper=spec.paper if spec else first.paper,
                       dpi=spec.dpi if spec else first.dpi, data=data,
                       doc_type=first.doc_type, document=first.document, dedupe_key=None,
                       reprint_of=first.id, reason=reason[:200], requested_by=actor.code,
                       requested_printer=target, printer=target, priority=first.priority + 1,
                       status="queued", attempts=0, resends=0, last_error="")
        s.add(job)
        outbox.append(s, AuditNote(
            actor.code, "print.reprint", "print_job", first.ref or first.id,
            {"job": job.id, "first_job": first.id, "kind": first.kind, "reason": reason,
             "printer": target}), now)
    return Queued(job.id, target, "queued", False)


@guarded(Permission.REPRINT)
def cancel(store: Database, actor: Actor, job_id: str) -> None:
    """Take a job that has not been sent out of the queue."""
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        changes.note(s, Change.PRINTING)
        job = s.get(PrintJob, job_id)
        if job is None:
            raise NotFound(f"no print job {job_id}", code="print.no_job", job=job_id)
        if job.status != "queued":
            raise InvalidInput(f"only a waiting job can be cancelled; this one is {job.status}",
                               code="print.cancel_not_waiting", job_status=job.status)
        job.status, job.updated_at = "cancelled", now
        if job.kind in SECRET_KINDS:  # a badge card never printed: its bytes go now
            job.data, job.document = b"", None
        outbox.append(s, AuditNote(actor.code, "print.cancel", "print_job", job.ref or job.id,
                                   {"job": job.id, "kind": job.kind}), now)


JOB_COLUMNS = (PrintJob.id, PrintJob.created_at, PrintJob.kind, PrintJob.ref, PrintJob.title,
               PrintJob.language, PrintJob.paper, PrintJob.requested_printer, PrintJob.printer,
               PrintJob.moved_from, PrintJob.status, PrintJob.attempts, PrintJob.resends,
               PrintJob.last_error, PrintJob.sent_at, PrintJob.reprint_of, PrintJob.reason,
               PrintJob.requested_by)


def list_jobs(store: Database, *, status: str | None = None, limit: int = 500) -> list[Any]:
    """Newest first."""
    query = select(*JOB_COLUMNS).order_by(PrintJob.created_at.desc(), PrintJob.id).limit(limit)
    if status:
        query = query.where(PrintJob.status == status)
    with store.reader() as s:
        return list(s.execute(query).all())


def counts(store: Database) -> dict[str, int]:
    with store.reader() as s:
        return dict(s.execute(select(PrintJob.status, func.count())
                              .group_by(PrintJob.status)).all())


def job_document(store: Database, job_id: str) -> tuple[Any, PrintJob]:
    """The document of a job (for the preview) and the job."""
    with store.reader() as s:
        job = s.get(PrintJob, job_id)
        if job is None:
            raise NotFound(f"no print job {job_id}", code="print.no_job", job=job_id)
        s.expunge(job)
    if not job.document:
        raise InvalidInput("this job kept no document to show", code="print.no_document")
    return from_json(job.doc_type, job.document), job


@guarded(Permission.MANAGE_USERS)
def issue_badge_card(db: Database, actor: Actor, store: Database, code: str, name: str,
                     spec: PrinterSpec) -> Queued:
    """A new badge for user `code` (`app.services.auth.issue_badge`), its card queued on
    `spec` (a printer that takes PDF) in the same call, so the badge text never reaches the
    caller. The printer is checked first, so a refusal leaves the old badge working."""
    from app.printing.badge_card import badge_card_pdf
    from app.services import auth

    if spec.language != "pdf":
        enqueue_pdf(store, actor, spec, b"", kind="badge_card", ref=code)  # refuses
    badge = auth.issue_badge(db, actor, code)
    return enqueue_pdf(store, actor, spec, badge_card_pdf(name, code, badge),
                       kind="badge_card", ref=code, title=f"badge {code}")
