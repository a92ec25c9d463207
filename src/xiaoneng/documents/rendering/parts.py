"""Pieces that several documents print alike: the party block, dates written out, the
deadline in words and working days, the notice of the party's remedies."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xiaoneng.documents import wording
from xiaoneng.documents.rendering.pdf import DocumentPdf
from xiaoneng.registry.models import Entity

DASH = "—"


def day(value: dt.date | None) -> str:
    """2026年10月8日: the date as a document writes it (no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def moment(value: dt.datetime | None) -> str:
    """2026年10月08日09时30分, in the bureau's time zone."""
    return timezone.localtime(value).strftime("%Y年%m月%d日%H时%M分") if value else ""


def deadline_words(*, start: dt.date, deadline: dt.date, working_days: int) -> str:
    """于2026年10月8日前（自2026年9月30日起1个工作日内）: the day written out and the working
    days it was set in, so that the party reads both and the count can be checked."""
    return f"于{day(deadline)}前（自{day(start)}起{working_days}个工作日内）"


def party(pdf: DocumentPdf, entity: Entity) -> None:
    """当事人 and who they are: name, code, address, representative."""
    pdf.field("当事人", entity.name)
    pdf.field("统一社会信用代码", entity.uscc)
    pdf.field("住所（经营场所）", entity.address)
    pdf.field("法定代表人（负责人、经营者）", entity.legal_representative)


def addressee(pdf: DocumentPdf, entity: Entity) -> None:
    """The party's name as the salutation of a notice (``某某有限公司：``), then its code."""
    pdf.paragraph(f"{entity.name}：")
    pdf.field("统一社会信用代码", entity.uscc)


def words(pdf: DocumentPdf, kind: str, key: str, **values: str) -> str:
    """Block ``key`` of ``kind``'s wording in force (``wording.text``), filled with ``values``
    and the stamp's (机关, 文书名称, 文号)."""
    stamp = pdf.stamp
    common = {"机关": stamp.bureau, "文书名称": stamp.title, "文号": stamp.number}
    return wording.text(kind, key, {**common, **values})


def say(pdf: DocumentPdf, kind: str, key: str, **values: str) -> None:
    """Block ``key`` printed (``words``), each of its lines a paragraph."""
    for line in words(pdf, kind, key, **values).split("\n"):
        if line.strip():
            pdf.paragraph(line.strip())


def remedies(pdf: DocumentPdf, kind: str) -> None:
    """The party's remedies (《行政复议法》第二十条, 《行政诉讼法》第四十六条): the kind's
    ``remedies`` block."""
    say(pdf, kind, "remedies")


def seal(pdf: DocumentPdf, on: dt.date) -> None:
    """The issuing bureau's seal line and the date, at the right."""
    pdf.ln(4)
    pdf.cell(0, 7, pdf.stamp.bureau + "（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, day(on), align="R", new_x="LMARGIN", new_y="NEXT")
