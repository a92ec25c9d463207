"""API of timeliness.complaints: /complaints, scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Day, OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import Clock, SubjectType
from xiaoneng.timeliness.complaints import filing, queries, services
from xiaoneng.timeliness.complaints.figures import Figures, complaint_figures
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic
from xiaoneng.timeliness.complaints.views import complaints_for

router = Router(tags=["timeliness"])


class ComplaintClockOut(Schema):
    kind: str
    basis: str
    started_on: dt.date
    limit_days: int
    extended_days: int
    due_on: dt.date
    due_provisional: bool
    stopped_on: dt.date | None
    level: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Clock) -> bool:
        return obj.stopped_on is None and obj.due_on < timezone.localdate()


class ComplaintOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    topic: str
    status: str
    received_on: dt.date
    entity: str | None = Field(description="USCC")
    respondent: str
    unit: str
    first_officer: str
    handler: str
    accepted_on: dt.date | None
    ended_on: dt.date | None
    notified_on: dt.date | None
    extended: bool
    founded: str
    case: str | None = Field(description="case number")
    amount_recovered: Decimal | None

    @staticmethod
    def resolve_entity(obj: Complaint) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_unit(obj: Complaint) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_first_officer(obj: Complaint) -> str:
        return obj.first_officer.get_username()

    @staticmethod
    def resolve_handler(obj: Complaint) -> str:
        return obj.handler.get_username()

    @staticmethod
    def resolve_case(obj: Complaint) -> str | None:
        return obj.case.number if obj.case else None


class ComplaintStepOut(Schema):
    day: dt.date
    action: str
    text: str


class ComplaintDetail(ComplaintOut):
    person: str
    phone: str
    real_name: bool
    content: str
    outcome: str
    clocks: list[ComplaintClockOut]
    timeline: list[ComplaintStepOut]

    @staticmethod
    def resolve_clocks(obj: Complaint) -> list[Clock]:
        return clocks.clocks_of(SubjectType.COMPLAINT, obj.pk)

    @staticmethod
    def resolve_timeline(obj: Complaint) -> list[queries.Step]:
        return queries.timeline(obj)


class ComplaintPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ComplaintOut]


class ComplaintFilter(Paging):
    kind: Annotated[str, OneOf(Complaint.Kind.values)] = ""
    channel: Annotated[str, OneOf(Channel.values)] = ""
    topic: Annotated[str, OneOf(Topic.values)] = ""
    status: Annotated[str, OneOf([*Complaint.Status.values, "pending"])] = ""
    unit: str = Field("", description="unit code")
    overdue: bool = False


@router.get("/complaints", response=ComplaintPage, summary="Complaints and reports (投诉举报)")
def list_complaints(request: OfficerRequest, filters: Query[ComplaintFilter]) -> dict[str, Any]:
    rows = complaints_for(request.user)
    for name in ("kind", "channel", "topic"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.unit:
        rows = rows.filter(unit__code=filters.unit)
    if filters.status == "pending":
        rows = queries.unfinished(rows)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.overdue:
        rows = queries.overdue(rows)
    return paged(rows.order_by("-received_on", "-id"), filters)


class ComplaintIn(Schema):
    kind: str = Field(description="complaint (投诉) or report (举报)")
    channel: str
    topic: str
    received_on: dt.date | None = None
    content: str
    person: str = ""
    phone: str = ""
    real_name: bool = True
    entity: str | None = Field(None, description="USCC of the entity complained of")
    respondent: str = ""


@router.post(
    "/complaints", response={201: ComplaintDetail}, summary="Register a complaint or a report"
)
def register(request: OfficerRequest, payload: ComplaintIn) -> Status[Complaint]:
    entity = None
    if payload.entity:
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=payload.entity).first()
        if entity is None:
            raise InvalidInput.single(
                "entity", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": payload.entity}
            )
    complaint = services.register_complaint(
        actor=request.user,
        kind=payload.kind,
        channel=payload.channel,
        topic=payload.topic,
        received_on=payload.received_on,
        content=payload.content,
        person=payload.person,
        phone=payload.phone,
        real_name=payload.real_name,
        entity=entity,
        respondent=payload.respondent,
    )
    return Status(201, complaint)


class ComplaintStatsQuery(Schema):
    start: Day | None = Field(None, alias="from", description="first day (default 1 Jan)")
    end: Day | None = Field(None, alias="to", description="last day (default today)")
    unit: str = Field("", description="unit code (default: the user's whole scope)")


class ComplaintCountOut(Schema):
    key: str
    label: str
    count: int


class ComplaintStatsOut(Schema):
    start: dt.date
    end: dt.date
    total: int
    complaints: int
    reports: int
    by_kind: list[ComplaintCountOut]
    by_channel: list[ComplaintCountOut]
    by_topic: list[ComplaintCountOut]
    by_unit: list[ComplaintCountOut]
    top_entities: list[ComplaintCountOut]
    decided: int
    decided_in_time: int
    in_time_rate: Decimal | None = Field(description="percent")
    refused: int
    agreed: int
    terminated: int
    mediation_rate: Decimal | None = Field(description="percent: agreed / (agreed + terminated)")
    amount_recovered: Decimal
    founded: int
    reports_decided: int
    reports_filed: int


@router.get(
    "/complaints/stats",
    response=ComplaintStatsOut,
    summary="Counts of complaints and reports received in a period",
)
def stats(request: OfficerRequest, query: Query[ComplaintStatsQuery]) -> Figures:
    today = timezone.localdate()
    start, end = query.start or dt.date(today.year, 1, 1), query.end or today
    if start > end:
        raise InvalidInput.single("to", _("截止日期不能早于起始日期：%(v)s") % {"v": end})
    rows = complaints_for(request.user)
    if query.unit:
        unit = get_scoped(Unit.objects.all(), request.user, code=query.unit)
        rows = rows.filter(unit__path__startswith=unit.path)
    return complaint_figures(rows, start, end)


@router.get(
    "/complaints/{int:complaint_id}",
    response=ComplaintDetail,
    summary="One complaint or report with its clocks and timeline",
)
def get_complaint(request: OfficerRequest, complaint_id: int) -> Complaint:
    return get_scoped(complaints_for(request.user), request.user, pk=complaint_id)


def _one(request: OfficerRequest, complaint_id: int) -> Complaint:
    return get_scoped(complaints_for(request.user), request.user, pk=complaint_id)


class ComplaintHandOnIn(Schema):
    officer: str = Field(description="username of the officer who takes it over")
    note: str = ""


@router.post(
    "/complaints/{int:complaint_id}/hand-on",
    response=ComplaintDetail,
    summary="Hand the matter on (首问负责制: the first officer stays recorded)",
)
def hand_on(request: OfficerRequest, complaint_id: int, payload: ComplaintHandOnIn) -> Complaint:
    complaint = _one(request, complaint_id)
    officer = (
        scoped(Officer.objects.filter(is_active=True), request.user)
        .filter(username=payload.officer)
        .first()
    )
    if officer is None:
        raise InvalidInput.single("officer", _("未找到该执法人员：%(v)s") % {"v": payload.officer})
    return services.hand_on(
        complaint=complaint, officer=officer, actor=request.user, note=payload.note
    )


class ComplaintAcceptIn(Schema):
    on: dt.date | None = None


@router.post(
    "/complaints/{int:complaint_id}/accept",
    response=ComplaintDetail,
    summary="Accept a complaint (第十四条): mediation's clock starts",
)
def accept(request: OfficerRequest, complaint_id: int, payload: ComplaintAcceptIn) -> Complaint:
    return services.accept(complaint=_one(request, complaint_id), actor=request.user, on=payload.on)


class ComplaintRefuseIn(Schema):
    on: dt.date | None = None
    reason: str = ""


@router.post(
    "/complaints/{int:complaint_id}/refuse",
    response=ComplaintDetail,
    summary="Refuse a complaint, with the reason",
)
def refuse(request: OfficerRequest, complaint_id: int, payload: ComplaintRefuseIn) -> Complaint:
    return services.refuse(
        complaint=_one(request, complaint_id),
        actor=request.user,
        on=payload.on,
        reason=payload.reason,
    )


class ComplaintMediationIn(Schema):
    agreed: bool
    on: dt.date | None = None
    outcome: str = ""
    amount_recovered: str | None = Field(None, description="yuan, up to 2 places")
    founded: str = Field("", description="founded, partly, unfounded or empty")


@router.post(
    "/complaints/{int:complaint_id}/end-mediation",
    response=ComplaintDetail,
    summary="End mediation: agreed, or terminated (both parties told within 7 working days)",
)
def end_mediation(
    request: OfficerRequest, complaint_id: int, payload: ComplaintMediationIn
) -> Complaint:
    return services.end_mediation(
        complaint=_one(request, complaint_id),
        actor=request.user,
        agreed=payload.agreed,
        on=payload.on,
        outcome=payload.outcome,
        amount_recovered=payload.amount_recovered,
        founded=payload.founded,
    )


class ComplaintNoticeIn(Schema):
    on: dt.date | None = None
    note: str = ""


@router.post(
    "/complaints/{int:complaint_id}/notify",
    response=ComplaintDetail,
    summary="The complainant (and respondent) or the real-name reporter has been told",
)
def notify(request: OfficerRequest, complaint_id: int, payload: ComplaintNoticeIn) -> Complaint:
    return services.notify(
        complaint=_one(request, complaint_id), actor=request.user, on=payload.on, note=payload.note
    )


class ReportExtendIn(Schema):
    note: str = Field(description="the approval")


@router.post(
    "/complaints/{int:complaint_id}/extend",
    response=ComplaintDetail,
    summary="Extend a report's verification once by 15 working days (director or division)",
)
def extend(request: OfficerRequest, complaint_id: int, payload: ReportExtendIn) -> Complaint:
    return filing.extend_verification(
        complaint=_one(request, complaint_id), actor=request.user, note=payload.note
    )


class ReportFilingIn(Schema):
    file: bool
    on: dt.date | None = None
    founded: str = Field("", description="founded, partly or unfounded")
    outcome: str = ""
    title: str = Field("", description="the case's title (filed only)")


@router.post(
    "/complaints/{int:complaint_id}/decide-filing",
    response=ComplaintDetail,
    summary="Decide whether a report is filed as a case (程序规定 第十八条)",
)
def decide_filing(request: OfficerRequest, complaint_id: int, payload: ReportFilingIn) -> Complaint:
    return filing.decide_filing(
        complaint=_one(request, complaint_id),
        actor=request.user,
        file=payload.file,
        on=payload.on,
        founded=payload.founded,
        outcome=payload.outcome,
        title=payload.title,
    )
