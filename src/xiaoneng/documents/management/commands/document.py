"""xiaoneng document KIND ID -o FILE.pdf [--reissue --reason TEXT]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.documents.models import IssuedDocument
from xiaoneng.documents.rendering import RENDERERS, renderer_for
from xiaoneng.documents.services import (
    document_bytes,
    issue_document,
    latest_document,
    reissue_document,
)


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
        "number, new code and digest, linked to the old one). A draft record, an unknown record "
        "or kind, and other refusals exit with status 2."
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
            help="the record's id (inspection, rectification order, case or delivery)",
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE.pdf", help="where to write the PDF"
        )
        parser.add_argument(
            "--reissue",
            action="store_true",
            help="issue a new version of an issued document (needs --reason)",
        )
        parser.add_argument("--reason", default="", help="why the document is re-issued")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, record_id = options["kind"], options["id"]
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
