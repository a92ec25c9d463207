"""xiaoneng document KIND ID -o FILE.pdf [--reissue --reason TEXT]
xiaoneng document rectification --batch --unit CODE [--since YYYY-MM-DD] [--user USERNAME]
    -o FILE.zip
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.documents import batch
from xiaoneng.documents.models import IssuedDocument
from xiaoneng.documents.rendering import RENDERERS, renderer_for
from xiaoneng.documents.services import (
    document_bytes,
    issue_document,
    latest_document,
    reissue_document,
)
from xiaoneng.org.models import Officer


class Command(BaseCommand):
    help = (
        "执法文书。Write an enforcement document of a record as PDF: `document inspection ID -o "
        "FILE.pdf` writes the 现场检查笔录 of signed inspection ID; `rectification ID` the "
        "责令改正通知书 of rectification order ID, `reinspection ID` its 整改复查意见书 (once "
        "re-inspected or rectified), `warning ID` its 警示通知书 (once warned); "
        "`case-source`, `case-filing`, `case-notice`, "
        "`case-decision` ID the 案件来源登记表, 立案/不予立案审批表, 行政处罚告知书 and "
        "行政处罚决定书 of case ID, each once the case has reached its stage; `service ID` the "
        "送达回证 of recorded delivery ID. The first time, "
        "the document is issued: it gets the next number of its kind and year (e.g. "
        "伊市监检录〔2026〕12号; a 责令改正通知书 carries its order's number, a 行政处罚决定书 "
        "its decision's), "
        "a verification code and QR code, and its PDF is kept with its SHA-256; later runs write "
        "the same stored PDF again. --reissue --reason TEXT issues the next version (same "
        "number, new code and digest, linked to the old one). `rectification --batch --unit CODE "
        "[--since YYYY-MM-DD] -o FILE.zip` issues the 责令改正通知书 of every order of unit CODE "
        "(and the units below it) issued on or after the day, if not issued yet, and writes them "
        "all as one ZIP: each PDF named by its number, and 清单.csv (number, order id, party, "
        "SHA-256, or why an order was skipped); orders issued before are written again, not "
        "re-issued; with --user USERNAME, an order that user may not issue for is skipped. A draft "
        "record, an unknown record, kind or unit, a bad date, a batch not written to .zip, "
        "nothing to issue, and other refusals write nothing and exit with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=sorted(RENDERERS),
            help="kind of document: "
            + ", ".join(f"{kind} ({r.title})" for kind, r in sorted(RENDERERS.items())),
        )
        parser.add_argument(
            "id",
            type=int,
            nargs="?",
            help="the record's id (inspection, rectification order, case or delivery); "
            "none with --batch",
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE.pdf",
            help="where to write the PDF (with --batch: the FILE.zip)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="rectification only: the 责令改正通知书 of every order of --unit, as one ZIP",
        )
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="with --batch: the unit's code; its orders and those of the units below it",
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="with --batch: only the orders issued on or after this day",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="with --batch: act as this user (their login name) — orders they may not "
            "issue for are skipped "
            "(default: the operator, who may issue every order)",
        )
        parser.add_argument(
            "--reissue",
            action="store_true",
            help="issue a new version of an issued document (needs --reason)",
        )
        parser.add_argument("--reason", default="", help="why the document is re-issued")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, record_id = options["kind"], options["id"]
        if options["batch"]:
            self._batch(kind, options)
            return
        for flag in ("unit", "since", "user"):
            if options[flag] is not None:
                raise CommandError(f"--{flag}: 仅用于批量出具（--batch）", returncode=2)
        if record_id is None:
            raise CommandError("id: 请指定记录编号（或以 --batch 批量出具）", returncode=2)
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"-o: 目录不存在 no such folder: {target.parent}", returncode=2)
        try:
            with acting_as(None):
                document, issued = self._document(kind, record_id, options)
                data = document_bytes(document)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        target.write_bytes(data)
        verb = "已出具 issued" if issued else "已出具过 already issued"
        self.stdout.write(
            f"{verb}: {document.number.text} 第 {document.version} 版 "
            f"核验码 {document.verification_code}\n"
            f"  SHA-256 {document.sha256}\n  {target} ({len(data):,} 字节 bytes)"
        )

    def _document(
        self, kind: str, record_id: int, options: dict[str, Any]
    ) -> tuple[IssuedDocument, bool]:
        renderer = renderer_for(kind)
        record = renderer.load(record_id)
        current = latest_document(kind=kind, record=record)
        if options["reissue"]:
            if current is None:
                raise CommandError("--reissue: 该记录尚未出具文书 not issued yet", returncode=2)
            return reissue_document(document=current, reason=options["reason"], actor=None), True
        if current is not None:
            return current, False
        return issue_document(kind=kind, record_id=record_id, actor=None), True

    def _batch(self, kind: str, options: dict[str, Any]) -> None:
        """``rectification --batch``: every order's notice of a unit, as one ZIP."""
        try:
            if kind != batch.KIND:
                raise InvalidInput.single("--batch", "仅责令改正通知书（rectification）可批量出具")
            if options["id"] is not None:
                raise InvalidInput.single("id", "批量出具不指定记录编号，以 --unit 选定责令整改")
            if options["reissue"]:
                raise InvalidInput.single("--reissue", "批量出具不能重新出具，请逐份重新出具")
            if not options["unit"]:
                raise InvalidInput.single("--unit", "请指定单位代码")
            target = batch.check_target(Path(options["output"]))
            unit = batch.find_unit(options["unit"])
            since = batch.parse_since(options["since"])
            actor = _user(options["user"])
            orders = batch.orders_of(unit, since)
            if not orders.exists():
                raise InvalidInput.single(
                    "--unit",
                    f"没有可出具的责令改正通知书：{unit.name}（{unit.code}）"
                    + (f"自 {since.isoformat()} 起" if since else "")
                    + "没有责令整改",
                )
            with acting_as(actor):
                report = batch.write_notices(orders, target, actor=actor)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(
            f"已出具 issued {report.issued} 份，此前已出具 already issued {report.already} 份，"
            f"未出具 skipped {len(report.skipped)} 份\n"
            f"  {target} ({report.size:,} 字节 bytes)"
        )
        for entry in report.skipped:
            self.stdout.write(f"  未出具 skipped: 责令整改 {entry.order_id} {entry.reason}")


def _user(name: str | None) -> Officer | None:
    if name is None:
        return None
    officer = Officer.objects.filter(username=name).first()
    if officer is None:
        raise InvalidInput.single("--user", f"未知的用户：{name}")
    return officer
