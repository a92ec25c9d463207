"""The statutory clocks of complaints and reports (docs/timeliness/complaints.md), each with the
article that sets it, opened and stopped on the shared clock table."""

from __future__ import annotations

import datetime as dt

from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.complaints.queries import open_clock_of

# Working days of each clock and the article that sets it.
ACCEPT_DAYS = 7
MEDIATION_DAYS = 45
NOTICE_DAYS = 7
FILING_DAYS = 15
EXTENSION_DAYS = 15
REPLY_DAYS = 5
BASIS: dict[str, str] = {
    ClockKind.COMPLAINT_ACCEPT: "《市场监督管理投诉举报处理暂行办法》第十四条",
    ClockKind.COMPLAINT_MEDIATION: "《市场监督管理投诉举报处理暂行办法》第二十一条",
    ClockKind.COMPLAINT_NOTICE: "《市场监督管理投诉举报处理暂行办法》第二十一条",
    ClockKind.REPORT_FILING: "《市场监督管理行政处罚程序规定》第十八条",
    ClockKind.REPORT_REPLY: "《市场监督管理投诉举报处理暂行办法》第三十一条",
}
LIMITS: dict[str, int] = {
    ClockKind.COMPLAINT_ACCEPT: ACCEPT_DAYS,
    ClockKind.COMPLAINT_MEDIATION: MEDIATION_DAYS,
    ClockKind.COMPLAINT_NOTICE: NOTICE_DAYS,
    ClockKind.REPORT_FILING: FILING_DAYS,
    ClockKind.REPORT_REPLY: REPLY_DAYS,
}


def open_clock(complaint: Complaint, kind: str, on: dt.date, actor: Officer) -> Clock:
    """Start the complaint's clock of ``kind`` on ``on``, its limit and basis from the tables."""
    days = LIMITS[kind]
    return clocks.open_clock(
        kind=kind,
        subject_type=SubjectType.COMPLAINT,
        subject_id=complaint.pk,
        subject=f"{complaint.number} {complaint.respondent}",
        unit=complaint.unit,
        officer=complaint.handler,
        region_code=complaint.region_code,
        started_on=on,
        limit_days=days,
        statutory_days=days,
        basis=BASIS[kind],
        actor=actor,
    )


def stop_clock(complaint: Complaint, kind: str, on: dt.date, actor: Officer) -> None:
    """Stop the complaint's running clock of ``kind`` on ``on`` (not before it started)."""
    clock = open_clock_of(complaint, kind)
    if clock is not None:
        clocks.stop(clock=clock, on=max(on, clock.started_on), actor=actor)
