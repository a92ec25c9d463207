"""The three notices of a rectification order (责令整改), read from the same record:

- 责令改正通知书 (kind "rectification"): what was found, the provisions it breaks, what must be
  put right and by when — the order's deadline in words and working days. It carries the
  order's own number (伊市监责改〔2026〕0001号, given when the order was made), so the notice
  and the order are one;
- 整改复查意见书 (kind "reinspection"): the outcome of the re-inspection, item by item, or of
  the documentary check (书式) that closed the order;
- 警示通知书 (kind "warning"): the order went past its deadline unrectified and was warned.

Laid out after the corresponding templates of SAMR's 《市场监督管理行政执法文书格式范本》
(docs/documents.md). Who may issue them: whoever may record the order's outcome — an officer
with the inspecting capability whose scope holds the order's unit.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.rendering import parts
from xiaoneng.documents.rendering.pdf import DocumentPdf, Stamp
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.records.models import Inspection, ItemResult
from xiaoneng.org import access
from xiaoneng.org.models import Officer

NOTICE = "责令改正通知书"
REVIEW = "整改复查意见书"
WARNING = "警示通知书"

# The records this module's documents are read from.
MODEL = Rectification


def load(record_id: int) -> Rectification:
    """The order with its party, unit, issuer and findings (with their items)."""
    order = (
        Rectification.objects.select_related("entity", "unit", "issued_by", "reinspection_task")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("item").order_by("item__position", "id"),
            )
        )
        .filter(pk=record_id)
        .first()
    )
    if order is None:
        raise Missing(_("没有编号为 %(id)s 的责令整改") % {"id": record_id})
    return order


def may_issue(officer: Officer, order: Rectification) -> bool:
    """Those who may record the order's outcome issue its notices."""
    return (
        getattr(officer, "is_authenticated", False)
        and access.can(officer, access.INSPECT)
        and access.in_scope(officer, order.unit_id)
    )


def page(order: Rectification) -> str:
    return reverse("inspections:rectification_detail", args=[order.pk])


def own_number(order: Rectification) -> str:
    """The notice is the order: it carries the number the order was given when made."""
    return order.number


def _findings(pdf: DocumentPdf, order: Rectification) -> list[str]:
    """The findings as numbered paragraphs; returns the provisions they break, in order."""
    provisions: list[str] = []
    for index, finding in enumerate(order.findings.all(), start=1):
        title, description = finding.item.title, finding.description.strip()
        # A description that already opens with its item (or is only the item) is printed once.
        text = description if description.startswith(title) else f"{title}：{description}"
        pdf.paragraph(f"{index}. {text}")
        basis = finding.item.legal_basis.strip()
        if basis and basis not in provisions:
            provisions.append(basis)
    return provisions


def _source(order: Rectification) -> str:
    if order.inspection_id is not None:
        inspection = order.inspection
        assert inspection is not None
        return f"本局于{parts.day(inspection.visited_on)}对你（单位）进行检查"
    return f"本局经{order.source or '核查'}"


# 责令改正通知书 --------------------------------------------------------------------------------


def refuse_notice(order: Rectification) -> None:
    """Every order has its notice: the order is made when it is issued (nothing to refuse)."""


def render_notice(order: Rectification, stamp: Stamp) -> bytes:
    entity = order.entity
    pdf = DocumentPdf(stamp)
    parts.addressee(pdf, entity)
    pdf.paragraph(f"{_source(order)}，发现你（单位）存在下列问题：")
    provisions = _findings(pdf, order)
    if provisions:
        pdf.paragraph("上述问题违反了" + "；".join(provisions) + "的规定。")
    within = parts.deadline_words(
        start=order.issued_on, deadline=order.deadline, working_days=order.working_days
    )
    pdf.paragraph("依据上述规定，现责令你（单位）" + within + "按下列要求改正：")
    pdf.paragraph(order.requirements)
    parts.say(pdf, DocumentKind.RECTIFICATION, "closing", 改正期限=within)
    parts.remedies(pdf, DocumentKind.RECTIFICATION)
    parts.seal(pdf, order.issued_on)
    pdf.signature_line("当事人签收")
    pdf.signature_line("执法人员", f"{order.issued_by}（执法证号 {_certificate(order.issued_by)}）")
    return pdf.to_bytes()


def _certificate(officer: Officer) -> str:
    return officer.certificate_number or parts.DASH


# 整改复查意见书 --------------------------------------------------------------------------------


def reinspection_of(order: Rectification) -> Inspection | None:
    """The latest signed re-inspection of the order (on its re-inspection task), if any."""
    if order.reinspection_task_id is None:
        return None
    return (
        Inspection.objects.filter(
            task_id=order.reinspection_task_id,
            origin=Inspection.Origin.REINSPECTION,
            status=Inspection.Status.SIGNED,
        )
        .select_related("lead_officer")
        .order_by("-visited_on", "-id")
        .first()
    )


def refuse_review(order: Rectification) -> None:
    """A review needs a review: a signed re-inspection, or the order closed as rectified."""
    if order.status == Rectification.Status.RECTIFIED or reinspection_of(order) is not None:
        return
    raise InvalidInput.single(
        "status",
        _(
            "%(number)s 尚未复查（%(status)s），不能出具整改复查意见书；"
            "复查签名或登记整改结果后再出具。"
        )
        % {"number": order.number, "status": order.get_status_display()},
    )


def render_review(order: Rectification, stamp: Stamp) -> bytes:
    entity = order.entity
    inspection = reinspection_of(order)
    pdf = DocumentPdf(stamp)
    parts.addressee(pdf, entity)
    pdf.paragraph(
        f"本局于{parts.day(order.issued_on)}向你（单位）下达《责令改正通知书》（{order.number}），"
        f"责令你（单位）于{parts.day(order.deadline)}前改正下列问题："
    )
    _findings(pdf, order)
    if inspection is None:
        # Closed on documentary proof (书式检查): the outcome recorded is the review.
        pdf.paragraph(
            f"本局对你（单位）提交的整改材料进行了书面审查（{parts.day(order.closed_on)}）。"
        )
        pdf.heading("复查意见")
        rectified = parts.words(pdf, DocumentKind.REINSPECTION, "rectified")
        pdf.paragraph(f"{order.outcome}。{rectified}")
    else:
        pdf.paragraph(
            f"本局于{parts.day(inspection.visited_on)}对你（单位）的整改情况进行了现场复查"
            f"（检查记录 #{inspection.pk}），复查结果如下："
        )
        results = list(
            ItemResult.objects.filter(inspection=inspection)
            .select_related("item")
            .order_by("item__position")
        )
        rows = [
            (r.item.number, r.item.title, r.get_result_display(), r.note or "") for r in results
        ]
        pdf.grid(("序号", "复查事项", "结论", "说明"), rows, widths=(12, 88, 18, 47))
        failed = [r for r in results if r.result == ItemResult.Result.FAIL]
        pdf.heading("复查意见")
        if failed:
            parts.say(pdf, DocumentKind.REINSPECTION, "not_rectified", 不符合项数=str(len(failed)))
        else:
            parts.say(pdf, DocumentKind.REINSPECTION, "rectified")
    parts.seal(pdf, order.closed_on or (inspection.visited_on if inspection else order.issued_on))
    pdf.signature_line("当事人签收")
    return pdf.to_bytes()


# 警示通知书 ------------------------------------------------------------------------------------


def refuse_warning(order: Rectification) -> None:
    """Only a warned order (past its deadline unrectified) has a warning to issue."""
    if order.warned_on is None:
        raise InvalidInput.single(
            "status",
            _("%(number)s 未被警示（%(status)s），不能出具警示通知书；逾期未整改的才予警示。")
            % {"number": order.number, "status": order.get_status_display()},
        )


def render_warning(order: Rectification, stamp: Stamp) -> bytes:
    entity = order.entity
    pdf = DocumentPdf(stamp)
    parts.addressee(pdf, entity)
    pdf.paragraph(
        f"本局于{parts.day(order.issued_on)}向你（单位）下达《责令改正通知书》（{order.number}），"
        "责令你（单位）"
        + parts.deadline_words(
            start=order.issued_on, deadline=order.deadline, working_days=order.working_days
        )
        + "改正下列问题："
    )
    _findings(pdf, order)
    parts.say(pdf, DocumentKind.WARNING, "overdue", 警示日期=parts.day(order.warned_on))
    parts.say(pdf, DocumentKind.WARNING, "measures", 责令改正文号=order.number)
    parts.seal(pdf, order.warned_on or order.issued_on)
    pdf.signature_line("当事人签收")
    return pdf.to_bytes()
