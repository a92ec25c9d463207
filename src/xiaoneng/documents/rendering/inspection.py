"""现场检查笔录 (kind "inspection") from a signed inspection record.

Laid out after 文书 9 "现场笔录" of SAMR's 《市场监督管理行政处罚文书格式范本（2021年修订版）》
(国市监法发〔2021〕42号): the party block, the time and place of the check, the officers with
their certificate numbers, what was found on site, and the signature lines — with the record's
checklist items, findings and summary as 现场情况 (docs/documents.md).
"""

from __future__ import annotations

import io

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.rendering import parts
from xiaoneng.documents.rendering.pdf import DocumentPdf, Stamp
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.records.models import (
    Inspection,
    InspectionOfficer,
    ItemResult,
    PartySignature,
)
from xiaoneng.inspections.records.party import party_signature_of
from xiaoneng.inspections.records.services import may_edit
from xiaoneng.org.models import Officer

TITLE = "现场检查笔录"
KIND = DocumentKind.INSPECTION
DASH = parts.DASH

# The records this module's documents are read from.
MODEL = Inspection


def load(record_id: int) -> Inspection:
    """The inspection with what its document prints, in a handful of queries."""
    inspection = (
        Inspection.objects.select_related(
            "entity", "unit", "lead_officer", "checklist", "party_signature"
        )
        .prefetch_related(
            Prefetch(
                "team",
                queryset=InspectionOfficer.objects.select_related("officer").order_by("id"),
            ),
            Prefetch(
                "results",
                queryset=ItemResult.objects.select_related("item").order_by("item__position"),
            ),
        )
        .filter(pk=record_id)
        .first()
    )
    if inspection is None:
        raise Missing(_("没有编号为 %(id)s 的检查记录") % {"id": record_id})
    return inspection


def may_issue(officer: Officer, inspection: Inspection) -> bool:
    """Those who fill the record issue its 笔录: the team and the unit's director."""
    return may_edit(officer, inspection)


def page(inspection: Inspection) -> str:
    return reverse("inspections:inspection_detail", args=[inspection.pk])


def refuse_unless_issuable(inspection: Inspection) -> None:
    """Only a signed record is evidence: a draft can still change, so it issues no document."""
    if inspection.status != Inspection.Status.SIGNED:
        raise InvalidInput.single(
            "status",
            _(
                "检查记录 #%(id)s 尚未签名（%(status)s），不能出具现场检查笔录；"
                "全体检查人员签名后再出具。"
            )
            % {"id": inspection.pk, "status": inspection.get_status_display()},
        )


def _period(inspection: Inspection) -> str:
    start, end = inspection.started_at, inspection.finished_at
    if start and end:
        return f"{parts.moment(start)}至{timezone.localtime(end):%H时%M分}"
    return f"{inspection.visited_on:%Y年%m月%d日}"


def render(inspection: Inspection, stamp: Stamp) -> bytes:
    """The PDF of ``inspection``'s 现场检查笔录."""
    entity = inspection.entity
    team = list(inspection.team.all())
    pdf = DocumentPdf(stamp)
    parts.party(pdf, entity)
    pdf.field("检查时间", _period(inspection))
    place = entity.address or DASH
    if inspection.checkin_longitude is not None and inspection.checkin_latitude is not None:
        place += (
            f"（现场签到 {parts.moment(inspection.checkin_at)}，"
            f"经度 {inspection.checkin_longitude:.6f}，纬度 {inspection.checkin_latitude:.6f}）"
        )
    pdf.field("检查地点", place)
    pdf.fields(
        [
            ("检查方式", inspection.get_kind_display()),
            ("检查来源", inspection.get_origin_display()),
        ]
    )
    for row in team:
        pdf.fields(
            [("执法人员", str(row.officer)), ("执法证号", row.officer.certificate_number or DASH)]
        )
    pdf.field("记录人", str(inspection.lead_officer))
    parts.say(pdf, KIND, "notice", 检查清单=inspection.checklist.title)
    _situation(pdf, inspection)
    _party(pdf, party_signature_of(inspection))
    signed = "、".join(
        f"{row.officer}（{parts.moment(row.signed_at)} 电子签名）" for row in team if row.signed_at
    )
    pdf.signature_line("执法人员签名", signed)
    return pdf.to_bytes()


def _party(pdf: DocumentPdf, signature: PartySignature | None) -> None:
    """当事人意见 and the party's signature: drawn on the phone (the image, with its time and
    SHA-256), refused before a witness, or — none recorded — the lines to sign on paper."""
    pdf.heading("当事人意见")
    pdf.paragraph(signature.statement if signature and signature.statement else "＿" * 40)
    if signature is None:
        pdf.signature_line("当事人签名或者盖章")
        return
    who = signature.signer_name + (f"（{signature.signer_role}）" if signature.signer_role else "")
    if signature.refused:
        witness = signature.witness_name + (
            f"（{signature.witness_role}）" if signature.witness_role else ""
        )
        pdf.field(
            "当事人签名或者盖章",
            f"当事人{who}拒绝签名（{parts.moment(signature.captured_at)}），见证人：{witness}",
        )
        pdf.signature_line("见证人签名")
        return
    pdf.field("当事人签名或者盖章", who)
    with signature.image.open("rb") as drawing:
        # The drawing keeps its proportions, 18 mm high (a signature line's worth of ink).
        pdf.image(io.BytesIO(drawing.read()), h=18)
    pdf.paragraph(
        f"（电子签名，{parts.moment(signature.captured_at)}，SHA-256 {signature.sha256}）"
    )


def _situation(pdf: DocumentPdf, inspection: Inspection) -> None:
    """现场情况: each checklist item with its result and note, the findings, the summary."""
    pdf.heading(f"现场情况（检查清单：{inspection.checklist.title}）")
    if not inspection.entity_operating:
        pdf.paragraph("检查时当事人不在营业。")
    rows = [
        (r.item.number, r.item.title, r.get_result_display(), r.note or "")
        for r in inspection.results.all()
    ]
    pdf.grid(("序号", "检查事项", "结论", "说明"), rows, widths=(12, 88, 18, 47))
    findings = list(
        Finding.objects.filter(inspection=inspection)
        .select_related("item")
        .order_by("item__position")
    )
    if findings:
        pdf.heading("发现的问题")
        for index, finding in enumerate(findings, start=1):
            pdf.paragraph(f"{index}. 第 {finding.item.number} 项：{finding.description}")
    orders = list(
        Rectification.objects.filter(inspection=inspection)
        .order_by("id")
        .values_list("number", flat=True)
    )
    if orders:
        pdf.paragraph("处理措施：已责令改正（" + "、".join(orders) + "）。")
    pdf.heading("检查情况")
    pdf.paragraph(inspection.summary or DASH)
    failed = sum(1 for r in inspection.results.all() if r.result == ItemResult.Result.FAIL)
    pdf.paragraph(f"共检查 {len(rows)} 项，不符合 {failed} 项。")
