"""The documents of a case, each from the case as it stands at its stage:

- 案件来源登记表 (kind "case-source"): the lead as registered — its source, the party, the facts;
- 立案/不予立案审批表 (kind "case-filing"): the handler's proposal to file or not to file, once
  the case is filed (or ended as 不予立案), with the approval lines;
- 行政处罚告知书 (kind "case-notice"): once the party has been notified — the facts, the penalty
  proposed (the amount in figures and in capitals), and the party's rights with their deadline
  in words and working days (5 working days, 程序规定 第五十七条);
- 行政处罚决定书 (kind "case-decision"): once decided — the decision's own number (the 文号 the
  handler entered when deciding, adopted into the register), the penalty, where and by when to
  pay (within 15 days of service, 行政处罚法 第六十七条), the surcharge for late payment, and
  the remedies.

Laid out after the documents of the same names in SAMR's 《市场监督管理行政处罚文书格式范本
（2021年修订版）》 (docs/documents.md). Who may issue them: whoever may move the case — an
officer who handles cases and whose scope holds the case's unit.
"""

from __future__ import annotations

from decimal import Decimal

import cn2an
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.cases import limits, sources
from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.rendering import parts
from xiaoneng.documents.rendering.pdf import DocumentPdf, Stamp
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.org import access
from xiaoneng.org.models import Officer

S = Case.Status
SOURCE = "案件来源登记表"
FILING = "立案/不予立案审批表"
NOTICE = "行政处罚告知书"
DECISION = "行政处罚决定书"
# 程序规定 第二十条 (立案) and 第二十一条 (不予立案), 2022 修正: in the wording's blocks
# (wording.BLOCKS, case-filing).
DECIDED_STATES = (S.DECIDED, S.EXECUTING, S.CLOSED)

# The records this module's documents are read from.
MODEL = Case


def load(record_id: int) -> Case:
    case = (
        Case.objects.select_related("entity", "unit", "handler", "co_handler")
        .filter(pk=record_id)
        .first()
    )
    if case is None:
        raise Missing(_("没有编号为 %(id)s 的案件") % {"id": record_id})
    return case


def may_issue(officer: Officer, case: Case) -> bool:
    """Those who may move the case issue its documents."""
    return (
        getattr(officer, "is_authenticated", False)
        and access.can(officer, access.HANDLE_CASES)
        and access.in_scope(officer, case.unit_id)
    )


def page(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def yuan(amount: Decimal) -> str:
    """人民币伍仟元整（￥5,000.00）: the amount in capitals, then in figures, as on a decision."""
    return f"人民币{cn2an.an2cn(str(amount), 'rmb')}（￥{amount:,.2f}）"


def _party(pdf: DocumentPdf, case: Case) -> None:
    if case.entity is not None:
        parts.party(pdf, case.entity)
    else:
        pdf.field("当事人", case.party)


def _officers(case: Case) -> str:
    people = [case.handler, *([case.co_handler] if case.co_handler else [])]
    return "、".join(
        f"{officer}（执法证号 {officer.certificate_number or parts.DASH}）" for officer in people
    )


def _matter(case: Case) -> str:
    """The case by its 案由, as a sentence names it: 某某销售假冒种子案 (一案 added when the 案由
    does not end in 案)."""
    title = case.title.strip()
    return title if title.endswith("案") else f"{title}一案"


def _found(facts: str) -> str:
    """The facts as found, opened with 经查 once (the facts often open with it already)."""
    facts = facts.strip() or parts.DASH
    return facts if facts.startswith("经查") else f"经查：{facts}"


def _source(case: Case) -> str:
    """Where the lead came from: its source record, and the note the registrar wrote."""
    found = sources.source_of(case)
    pieces = []
    if found is not None:
        record = found[1]
        pieces.append(f"{record._meta.verbose_name}：{record}")
    if case.source_note:
        pieces.append(case.source_note)
    return "；".join(pieces) or parts.DASH


def _provisions(case: Case) -> list[str]:
    """The provisions the findings behind the case break (its source finding, or the findings
    of its source order or inspection), each once."""
    findings = Finding.objects.none()
    if case.finding_id is not None:
        findings = Finding.objects.filter(pk=case.finding_id)
    elif case.rectification_id is not None:
        findings = Finding.objects.filter(rectification_id=case.rectification_id)
    elif case.inspection_id is not None:
        findings = Finding.objects.filter(inspection_id=case.inspection_id)
    found: list[str] = []
    for basis in findings.order_by("item__position").values_list("item__legal_basis", flat=True):
        if basis and basis.strip() not in found:
            found.append(basis.strip())
    return found


# 案件来源登记表 --------------------------------------------------------------------------------


def refuse_source(case: Case) -> None:
    """Every case began as a registered lead: its registration form can always be issued."""


def render_source(case: Case, stamp: Stamp) -> bytes:
    pdf = DocumentPdf(stamp)
    pdf.field("案件来源", _source(case))
    pdf.field("登记时间", parts.day(case.received_on))
    pdf.field("案由", case.title)
    _party(pdf, case)
    pdf.heading("基本情况")
    pdf.paragraph(case.facts or parts.DASH)
    pdf.field("登记人", str(case.handler))
    pdf.heading("处理意见")
    if case.status == S.NOT_FILED:
        pdf.paragraph(f"经核查，建议不予立案。理由：{case.ended_reason}")
    elif case.filed_on is not None:
        pdf.paragraph(f"经核查，建议立案调查（{parts.day(case.filed_on)}立案）。")
    else:
        parts.say(pdf, DocumentKind.CASE_SOURCE, "pending")
    pdf.signature_line("承办机构负责人意见")
    return pdf.to_bytes()


# 立案/不予立案审批表 ----------------------------------------------------------------------------


def refuse_filing(case: Case) -> None:
    """The approval form records a decision to file or not: a lead still being checked has none."""
    if case.filed_on is not None or case.status == S.NOT_FILED:
        return
    raise InvalidInput.single(
        "status",
        _("案件 %(number)s 尚未决定是否立案（%(status)s），不能出具立案/不予立案审批表。")
        % {"number": case.number, "status": case.get_status_display()},
    )


def render_filing(case: Case, stamp: Stamp) -> bytes:
    pdf = DocumentPdf(stamp)
    pdf.field("案由", case.title)
    pdf.field("案件来源", _source(case))
    _party(pdf, case)
    pdf.heading("简要案情")
    pdf.paragraph(case.facts or parts.DASH)
    pdf.heading("承办人意见")
    if case.status == S.NOT_FILED:
        parts.say(
            pdf,
            DocumentKind.CASE_FILING,
            "not_file",
            不予立案理由=case.ended_reason or parts.DASH,
        )
    else:
        provisions = _provisions(case)
        broken = f"涉嫌违反{'；'.join(provisions)}的规定" if provisions else "涉嫌违法"
        parts.say(
            pdf,
            DocumentKind.CASE_FILING,
            "file",
            违法情形=broken,
            案由=_matter(case),
            承办单位=case.unit.name,
            立案日期=parts.day(case.filed_on),
        )
    pdf.signature_line("承办人", _officers(case))
    pdf.signature_line("承办机构负责人意见")
    pdf.signature_line("机关负责人意见")
    return pdf.to_bytes()


# 行政处罚告知书 --------------------------------------------------------------------------------


def refuse_notice(case: Case) -> None:
    if case.notified_on is None:
        raise InvalidInput.single(
            "status",
            _("案件 %(number)s 尚未告知（%(status)s），不能出具行政处罚告知书。")
            % {"number": case.number, "status": case.get_status_display()},
        )


def _penalty(case: Case, *, fine: Decimal, confiscation: Decimal = Decimal("0")) -> str:
    pieces = []
    if fine > 0:
        pieces.append(f"罚款{yuan(fine)}")
    if confiscation > 0:
        pieces.append(f"没收违法所得{yuan(confiscation)}")
    return "；".join(pieces) or "警告"


def render_notice(case: Case, stamp: Stamp) -> bytes:
    notified_on = case.notified_on
    assert notified_on is not None  # refused above
    calendar = WorkingCalendar.load()
    pdf = DocumentPdf(stamp)
    if case.entity is not None:
        parts.addressee(pdf, case.entity)
    else:
        pdf.paragraph(f"{case.party}：")
    pdf.paragraph(
        f"本局于{parts.day(case.filed_on)}对{_matter(case)}立案调查。{_found(case.facts)}"
    )
    provisions = _provisions(case)
    if provisions:
        pdf.paragraph("你（单位）的上述行为违反了" + "；".join(provisions) + "的规定。")
    pdf.paragraph(
        f"本局拟对你（单位）作出如下行政处罚：{_penalty(case, fine=case.proposed_fine)}。"
    )
    within = parts.deadline_words(
        start=notified_on,
        deadline=limits.statement_period_end(notified_on, calendar),
        working_days=limits.STATEMENT_WORKING_DAYS,
    )
    parts.say(pdf, DocumentKind.CASE_NOTICE, "rights", 陈述申辩期限=within)
    parts.seal(pdf, notified_on)
    pdf.signature_line("当事人签收")
    pdf.signature_line("执法人员", _officers(case))
    return pdf.to_bytes()


# 行政处罚决定书 --------------------------------------------------------------------------------


def refuse_decision(case: Case) -> None:
    if case.status not in DECIDED_STATES or case.decided_on is None or not case.decision_number:
        raise InvalidInput.single(
            "status",
            _("案件 %(number)s 尚未作出处罚决定（%(status)s），不能出具行政处罚决定书。")
            % {"number": case.number, "status": case.get_status_display()},
        )


def own_decision_number(case: Case) -> str:
    """The decision carries the 文号 the handler entered when deciding."""
    return case.decision_number


def render_decision(case: Case, stamp: Stamp) -> bytes:
    decided_on = case.decided_on
    assert decided_on is not None  # refused above
    pdf = DocumentPdf(stamp)
    _party(pdf, case)
    pdf.paragraph(
        f"本局于{parts.day(case.filed_on)}对{_matter(case)}立案调查，"
        f"于{parts.day(case.notified_on)}告知拟作出的行政处罚及你（单位）依法享有的权利。"
    )
    pdf.heading("经查明")
    pdf.paragraph(case.facts.strip() or parts.DASH)
    provisions = _provisions(case)
    if provisions:
        pdf.paragraph("上述行为违反了" + "；".join(provisions) + "的规定。")
    penalty = _penalty(case, fine=case.fine_decided, confiscation=case.confiscation_decided)
    pdf.paragraph(f"依据上述规定，本局决定：{penalty}。")
    pay = case.fine_decided + case.confiscation_decided
    if pay > 0:
        # The 15 days run from service (送达), which the paper cannot know when printed.
        parts.say(pdf, DocumentKind.CASE_DECISION, "payment", 罚没款金额=yuan(pay))
    parts.remedies(pdf, DocumentKind.CASE_DECISION)
    parts.seal(pdf, decided_on)
    pdf.signature_line("当事人签收")
    return pdf.to_bytes()
