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
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.core.tabular import Column, write_csv
from xiaoneng.documents.models import DocumentKind, IssuedDocument
from xiaoneng.documents.services import document_bytes, issue_document, latest_document
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.org.models import Officer, Unit

KIND = DocumentKind.RECTIFICATION
MANIFEST = "清单.csv"
CHUNK = 500  # ids per query (SQLite's limit on a statement's parameters)
COMMIT_EVERY = 20  # orders issued per transaction (~1 s holding the counter's lock)
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
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.single(
            "--since", _("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": text}
        ) from None


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
    orders to a transaction: one commit (one disk flush) for 20 notices rather than each, while
    the rectification counter's row (and SQLite's write lock) is held about a second at most —
    someone issuing a notice meanwhile waits that long.
    """
    moment = at or timezone.now()
    orders = list(orders)
    issued = issued_before(orders)
    done: list[tuple[Entry, IssuedDocument | None]] = []
    for start in range(0, len(orders), COMMIT_EVERY):
        with transaction.atomic():
            for order in orders[start : start + COMMIT_EVERY]:
                done.append(_issue_one(order, issued.get(order.pk), actor=actor, at=moment))
    return done


def _issue_one(
    order: Rectification,
    document: IssuedDocument | None,
    *,
    actor: Officer | None,
    at: dt.datetime,
) -> tuple[Entry, IssuedDocument | None]:
    entity = order.entity.name
    result = ALREADY
    if document is None:
        try:
            document = issue_document(kind=KIND, record_id=order.pk, actor=actor, at=at)
            result = ISSUED
        except DomainError as refused:
            # Issued meanwhile by someone else (a Conflict): written as issued before.
            document = latest_document(kind=KIND, record=order)
            if document is None:
                return Entry(order.pk, entity, SKIPPED, reason=_reason(refused)), None
    entry = Entry(order.pk, entity, result, number=document.number.text, sha256=document.sha256)
    return entry, document


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
