"""举报: verification, its one extension (负责人批准) and the decision whether to file
(《市场监督管理行政处罚程序规定》第十八条); filed, a case is opened and filed through
``cases.services``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.cases import services as cases
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import ClockKind
from xiaoneng.timeliness.complaints.checks import (
    check_day,
    check_extend,
    check_move,
    clean_text,
    move,
    require,
)
from xiaoneng.timeliness.complaints.limits import EXTENSION_DAYS, open_clock, stop_clock
from xiaoneng.timeliness.complaints.models import Complaint, Topic
from xiaoneng.timeliness.complaints.queries import open_clock_of
from xiaoneng.timeliness.complaints.repeated import FOUNDED, report_repeated

S = Complaint.Status
K = Complaint.Kind
F = Complaint.Founded

# What a 举报 filed as a case is filed as, by topic.
CASE_KINDS: dict[str, str] = {
    Topic.FOOD: CaseKind.FOOD,
    Topic.QUALITY: CaseKind.PRODUCT_QUALITY,
    Topic.PRICE: CaseKind.PRICE,
    Topic.ADVERTISING: CaseKind.ADVERTISING,
    Topic.UNLICENSED: CaseKind.UNLICENSED,
    Topic.CONTRACT: CaseKind.CONSUMER,
    Topic.ONLINE: CaseKind.CONSUMER,
}


def extend_verification(*, complaint: Complaint, actor: Officer, note: str) -> Complaint:
    """程序规定 第十八条: verification extended once by 15 working days, with the approval."""
    require(actor, complaint)
    check_extend(complaint, actor)
    note = clean_text(note, "note", _("批准延长的意见"))
    clock = open_clock_of(complaint, ClockKind.REPORT_FILING)
    with transaction.atomic(), audit.attributed(actor):
        complaint.extended = True
        audit.set_reason(complaint, note)
        complaint.save(update_fields=["extended"])
        if clock is not None:
            clocks.extend(clock=clock, days=EXTENSION_DAYS, actor=actor)
    return complaint


def decide_filing(
    *,
    complaint: Complaint,
    actor: Officer,
    file: bool,
    on: dt.date | None,
    founded: str,
    outcome: str,
    title: str = "",
    case_kind: str = "",
) -> Complaint:
    """The decision whether to file (程序规定 第十八条): filed, a case is opened and filed through
    ``cases.services`` (linked as ``case``); not filed, with the reason. A real-name reporter
    is then told within 5 working days (第三十一条: a clock starts)."""
    require(actor, complaint)
    to = S.FILED if file else S.NOT_FILED
    check_move(complaint, K.REPORT, to)
    day = check_day(on, "ended_on", _("立案决定日期"), complaint.received_on, _("收到日期"))
    allowed = FOUNDED if file else tuple(F.values)
    if founded not in allowed or (not file and founded == F.UNKNOWN):
        message = (
            _("立案的举报核查结论应为属实或部分属实：%(v)s") if file else _("请选择核查结论：%(v)s")
        )
        raise InvalidInput.single("founded", message % {"v": founded or "—"})
    outcome = clean_text(outcome, "outcome", _("核查情况") if file else _("不予立案的理由"))
    kind = case_kind or CASE_KINDS.get(complaint.topic, CaseKind.OTHER)
    with transaction.atomic(), audit.attributed(actor):
        move(complaint, to)
        case: Case | None = None
        if file:
            case = cases.open_case(
                actor=actor,
                title=(title or "").strip()
                or _("举报%(n)s：%(who)s")
                % {
                    "n": complaint.number,
                    "who": complaint.respondent,
                },
                kind=kind,
                party=complaint.respondent,
                entity=complaint.entity,
                received_on=complaint.received_on,
                facts=complaint.content,
                source_note=_("举报 %(n)s") % {"n": complaint.number},
                handler=complaint.handler,
            )
            cases.file_case(case=case, actor=actor, filed_on=day)
        complaint.ended_on = day
        complaint.founded = founded
        complaint.outcome = outcome
        complaint.case = case
        complaint.save()
        stop_clock(complaint, ClockKind.REPORT_FILING, day, actor)
        if complaint.real_name:
            open_clock(complaint, ClockKind.REPORT_REPLY, day, actor)
        report_repeated(complaint, actor)
    return complaint
