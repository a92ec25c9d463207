"""Many 责令改正通知书 at once: issue each order's notice not yet issued, write one ZIP.

A unit's orders (from a day on) are taken one by one through the same service as a single
notice (``services.issue_document``: the same permission check, the order's own number adopted,
the PDF stored with its SHA-256). An order whose notice was issued before is not issued again:
its stored PDF (checked against its digest) goes into the archive, so a second run gives the
same archive's numbers and spends none. An order that cannot be issued — the actor may not
issue for it, its number is refused — is skipped and listed with its reason; the rest go on.

The archive holds each PDF named by its number (``伊市监责改〔2026〕0001号.pdf``) and a manifest,
``清单.csv`` (UTF-8 with a BOM for spreadsheets): the number, the order's id, the party, the
SHA-256 and the file, or why the order was skipped. It is written to a temporary file beside
the target and moved into place at the end: a refusal writes nothing (issue 15).

Speed (issue 15: 1,000 notices ≤ 60 s on two cores): a notice carries its order's number, so
its PDF needs nothing from the number's counter and is rendered ahead, outside the issue's
transaction (``services.draft_documents``): with ``PARALLEL_FROM`` notices or more to issue, in
worker processes forked for the batch, which render from the records loaded here and read no
database, while this process issues each notice with its PDF (``issue_document(rendered=…)``,
which keeps it only if the order, its stamp and the wording are still those it was rendered
from, and else renders it again itself). Fewer notices, one core, no ``fork``, or a caller's
transaction (tests) — the notices are issued one by one as a single one is, the PDFs rendered
inside; the archive, numbers and manifest are the same either way.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import secrets
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.core.pages import parse_day
from xiaoneng.core.tabular import Column, write_csv
from xiaoneng.documents.models import DocumentKind, IssuedDocument
from xiaoneng.documents.rendering.pdf import shared_font
from xiaoneng.documents.services import (
    Draft,
    Rendered,
    document_bytes,
    draft_documents,
    issue_document,
    latest_document,
)
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.org.models import Officer, Unit

KIND = DocumentKind.RECTIFICATION
MANIFEST = "清单.csv"
CHUNK = 500  # ids per query (SQLite's limit on a statement's parameters)
COMMIT_EVERY = 20  # orders issued per transaction (holding the counter's lock till its commit)
PARALLEL_FROM = 20  # notices to issue from which they are rendered in worker processes
MAX_WORKERS = 4
ISSUED = "issued"
ALREADY = "already"
SKIPPED = "skipped"
RESULTS = {ISSUED: gettext_lazy("已出具"), ALREADY: gettext_lazy("此前已出具")}


@dataclass(frozen=True)
class Entry:
    """One order of the batch: its notice (issued now or before), or why it was skipped."""

    order_id: int
    entity: str
    result: str  # ISSUED, ALREADY or SKIPPED
    number: str = ""
    sha256: str = ""
    reason: str = ""

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf" if self.result != SKIPPED else ""

    def manifest_row(self) -> tuple[str, int, str, str, str, str]:
        if self.result in RESULTS:
            result = str(RESULTS[self.result])
        else:
            result = _("未出具：%(reason)s") % {"reason": self.reason}
        return (self.number, self.order_id, self.entity, self.sha256, self.filename, result)


@dataclass
class BatchReport:
    """What a batch did, order by order, and the archive it wrote."""

    entries: list[Entry] = field(default_factory=list)
    target: Path | None = None
    size: int = 0

    def count(self, result: str) -> int:
        return sum(1 for entry in self.entries if entry.result == result)

    @property
    def issued(self) -> int:
        return self.count(ISSUED)

    @property
    def already(self) -> int:
        return self.count(ALREADY)

    @property
    def skipped(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.result == SKIPPED]


def manifest_columns() -> tuple[Column, ...]:
    return (
        Column("number", _("文号")),
        Column("order", _("责令整改ID")),
        Column("entity", _("当事人")),
        Column("sha256", "SHA-256"),
        Column("file", _("文件")),
        Column("result", _("结果")),
    )


def find_unit(code: str) -> Unit:
    """The unit with ``code`` (the command's ``--unit``); an unknown code is refused."""
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise InvalidInput.single("--unit", _("未知的单位代码：%(code)s") % {"code": code})
    return unit


def parse_since(text: str | None) -> dt.date | None:
    """``--since YYYY-MM-DD``, or None when not given."""
    if text is None:
        return None
    day = parse_day(text)
    if day is None:
        raise InvalidInput.single(
            "--since", _("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": text}
        )
    return day


def check_target(target: Path) -> Path:
    """The archive's path: a ``.zip`` in an existing folder."""
    if target.suffix.lower() != ".zip":
        raise InvalidInput.single(
            "-o", _("批量出具写入一个 .zip 文件：%(path)s") % {"path": target}
        )
    if not target.parent.is_dir():
        raise InvalidInput.single("-o", _("目录不存在：%(path)s") % {"path": target.parent})
    return target


def orders_of(unit: Unit, since: dt.date | None = None) -> QuerySet[Rectification]:
    """The orders of ``unit``'s subtree, issued on ``since`` or later, oldest first."""
    orders = Rectification.objects.filter(Unit.objects.subtree_q(unit, "unit"))
    if since is not None:
        orders = orders.filter(issued_on__gte=since)
    return orders.select_related("entity").order_by("issued_on", "id")


def issue_notices(
    orders: Iterable[Rectification], *, actor: Officer | None, at: dt.datetime | None = None
) -> list[tuple[Entry, IssuedDocument | None]]:
    """Issue the notice of each order not yet issued; an order refused is skipped with its
    reason and the others go on.

    Each order is issued in a savepoint of its own (``issue_document``'s), ``COMMIT_EVERY``
    orders to a transaction: one commit (one disk flush) for 20 notices rather than each. With
    their PDFs rendered ahead (module docstring) the rectification counter's row (and SQLite's
    write lock) is held some 0.2–0.3 s a transaction; rendered inside, about a second.
    """
    moment = at or timezone.now()
    orders = list(orders)
    issued = issued_before(orders)
    done: list[tuple[Entry, IssuedDocument | None]] = []
    new = [order.pk for order in orders if order.pk not in issued]
    with rendered_ahead(new, actor=actor, at=moment) as ahead:
        for start in range(0, len(orders), COMMIT_EVERY):
            with transaction.atomic():
                for order in orders[start : start + COMMIT_EVERY]:
                    document = issued.get(order.pk)
                    rendered = ahead(order.pk) if document is None else None
                    done.append(
                        _issue_one(order, document, actor=actor, at=moment, rendered=rendered)
                    )
    return done


def _issue_one(
    order: Rectification,
    document: IssuedDocument | None,
    *,
    actor: Officer | None,
    at: dt.datetime,
    rendered: Rendered | None = None,
) -> tuple[Entry, IssuedDocument | None]:
    entity = order.entity.name
    result = ALREADY
    if document is None:
        try:
            document = issue_document(
                kind=KIND, record_id=order.pk, actor=actor, at=at, rendered=rendered
            )
            result = ISSUED
        except DomainError as refused:
            # Issued meanwhile by someone else (a Conflict): written as issued before.
            document = latest_document(kind=KIND, record=order)
            if document is None:
                return Entry(order.pk, entity, SKIPPED, reason=_reason(refused)), None
    entry = Entry(order.pk, entity, result, number=document.number.text, sha256=document.sha256)
    return entry, document


# Rendering ahead, in worker processes ------------------------------------------------------


def workers_for(count: int) -> int:
    """How many worker processes render ``count`` notices ahead: none (rendered at the issue)
    for fewer than ``PARALLEL_FROM``, on one core, without ``fork``, or inside a transaction —
    a caller's (a test's), whose connection cannot be closed before forking."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (
        count < PARALLEL_FROM
        or (cores or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or any(c.in_atomic_block for c in connections.all(initialized_only=True))
    ):
        return 0
    return min(cores or 1, MAX_WORKERS)


@contextmanager
def rendered_ahead(
    order_ids: list[int], *, actor: Officer | None, at: dt.datetime
) -> Iterator[Callable[[int], Rendered | None]]:
    """``ahead(order_id)``: the order's notice rendered ahead by a worker process, or None (it
    is rendered at its issue). Drafts are loaded here and sent to the workers as they are made;
    ``ahead`` waits for the order's PDF."""
    workers = workers_for(len(order_ids))
    if not workers:
        yield lambda _order_id: None
        return
    shared_font()  # parsed once here: the workers inherit it
    # A forked worker must not share this process's connections: closed, reopened on next use.
    connections.close_all()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_without_database,
    )
    try:
        pool.submit(int)  # forks every worker now, while no connection is open
        pending: dict[int, tuple[Draft, Future[bytes | None]]] = {}
        for start in range(0, len(order_ids), CHUNK):
            orders = loaded(order_ids[start : start + CHUNK])
            drafts = draft_documents(kind=KIND, records=orders, actor=actor, at=at)
            # What the render reads besides: a worker reads no database.
            prefetch_related_objects(orders, "inspection")
            for draft in drafts:
                if draft is not None:
                    pending[draft.record.pk] = (draft, pool.submit(_render, draft))

        def ahead(order_id: int) -> Rendered | None:
            found = pending.pop(order_id, None)
            if found is None:
                return None
            draft, future = found
            try:
                data = future.result()
            except BrokenProcessPool:  # a worker died: the issue renders the notice itself
                return None
            return draft.rendered(data) if data is not None else None

        yield ahead
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def loaded(order_ids: list[int]) -> list[Rectification]:
    """The orders as ``rendering.rectification.load`` loads one — the same related rows, or
    their drafts would not match them at the issue — in one query and its prefetch."""
    orders = (
        Rectification.objects.select_related("entity", "unit", "issued_by", "reinspection_task")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("item").order_by("item__position", "id"),
            )
        )
        .in_bulk(order_ids)
    )
    return [orders[order_id] for order_id in order_ids if order_id in orders]


def _render(draft: Draft) -> bytes | None:
    """A worker's render; None if it fails (a row not loaded ahead): rendered at the issue."""
    try:
        return draft.render()
    except Exception:
        return None


def _refuse_database(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise RuntimeError("a render worker reads no database")


def _without_database() -> None:
    """A worker's start: any query raises (it renders from what it is sent)."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    for name in ("cursor", "chunked_cursor", "ensure_connection"):
        setattr(BaseDatabaseWrapper, name, _refuse_database)


def issued_before(orders: list[Rectification]) -> dict[int, IssuedDocument]:
    """The latest notice issued of each order that has one, read in a few queries."""
    content_type = ContentType.objects.get_for_model(Rectification, for_concrete_model=False)
    latest: dict[int, IssuedDocument] = {}
    ids = [order.pk for order in orders]
    for start in range(0, len(ids), CHUNK):
        documents = (
            IssuedDocument.objects.select_related("number")
            .filter(kind=KIND, content_type=content_type, object_id__in=ids[start : start + CHUNK])
            .order_by("object_id", "version")
        )
        latest.update((document.object_id, document) for document in documents)
    return latest


def _reason(error: DomainError) -> str:
    return "；".join(e.message for e in error.errors) if error.errors else error.message


def write_notices(
    orders: Iterable[Rectification],
    target: Path,
    *,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> BatchReport:
    """Issue the orders' notices and write them, with the manifest, as one ZIP at ``target``.

    Refused, writing nothing, when ``target`` is not a ``.zip`` in an existing folder, when
    there is no order, and when no order's notice could be issued (the reasons named).
    """
    target = check_target(Path(target))
    orders = list(orders)
    if not orders:
        raise InvalidInput.single("orders", _("没有可出具的责令改正通知书：所选范围内没有责令整改"))
    done = issue_notices(orders, actor=actor, at=at)
    report = BatchReport(entries=[entry for entry, _document in done], target=target)
    if not any(document is not None for _entry, document in done):
        raise InvalidInput.single(
            "orders",
            _("没有可出具的责令改正通知书：%(count)d 份责令整改均未能出具（%(reason)s）")
            % {"count": len(done), "reason": report.entries[0].reason},
        )
    # Beside the target (same file system, so the move is atomic), made as a plain file is.
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with temporary.open("xb") as stream, zipfile.ZipFile(stream, "w") as archive:
            for entry, document in done:
                if document is not None:
                    # PDFs are compressed already: stored as they are.
                    archive.writestr(entry.filename, document_bytes(document), zipfile.ZIP_STORED)
            manifest = io.StringIO()
            write_csv(manifest, manifest_columns(), (e.manifest_row() for e in report.entries))
            archive.writestr(MANIFEST, manifest.getvalue().encode(), zipfile.ZIP_DEFLATED)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    report.size = target.stat().st_size
    return report
