"""API of service cases and items (办件 / 事项): /service-cases, /service-items, scoped to the
user's units. The reads and the schemas they answer are here; the writes (receiving a case and
its steps) are in ``write_api``, imported last so its operations join this router (a path's
reads and writes must share one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.api_paging import Day, OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.clocks.models import Clock
from xiaoneng.timeliness.permits import checks, figures, queries
from xiaoneng.timeliness.permits.models import (
    OneTimeNotice,
    ServiceCase,
    ServiceItem,
    ServiceStage,
)

router = Router(tags=["timeliness"])


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    statutory_days: int = Field(description="法定时限, working days")
    committed_days: int = Field(description="承诺时限, working days")
    single_review: bool = Field(description="一审一核: one officer reviews and approves")
    basis: str
    materials: list[str]
    active: bool

    @staticmethod
    def resolve_materials(obj: ServiceItem) -> list[str]:
        return [line for line in obj.materials.splitlines() if line.strip()]


@router.get(
    "/service-items", response=list[ServiceItemOut], summary="Service items (事项) and limits"
)
def list_items(request: OfficerRequest) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.order_by("code")


class ServiceCaseOut(Schema):
    id: int
    number: str
    item: str = Field(description="item code")
    item_name: str
    applicant: str
    entity: str | None = Field(description="USCC")
    unit: str = Field(description="station code")
    status: str
    first_officer: str
    responsible: str
    received_on: dt.date
    accepted_on: dt.date | None
    completed_on: dt.date | None
    outcome: str
    warning: str = Field(description="'', yellow or red")
    due_on: dt.date | None
    due_on_provisional: bool
    suspended: bool
    overdue: bool
    notice_breach: bool = Field(description="a second one-time notice was issued (违反一次性告知)")

    @staticmethod
    def resolve_item(obj: Any) -> str:
        return str(obj.item.code)

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return str(obj.item.name)

    @staticmethod
    def resolve_entity(obj: Any) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.code)

    @staticmethod
    def resolve_first_officer(obj: Any) -> str:
        return str(obj.first_officer.get_username())

    @staticmethod
    def resolve_responsible(obj: Any) -> str:
        return str(obj.responsible.get_username())

    @staticmethod
    def resolve_warning(obj: Any) -> str:
        return str(obj.clock_level or "") if obj.status in queries.IN_PROGRESS else ""

    @staticmethod
    def resolve_due_on(obj: Any) -> dt.date | None:
        return obj.clock_due

    @staticmethod
    def resolve_due_on_provisional(obj: Any) -> bool:
        return bool(obj.clock_provisional)

    @staticmethod
    def resolve_suspended(obj: Any) -> bool:
        return obj.clock_suspended is not None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return queries.is_overdue(obj)

    @staticmethod
    def resolve_notice_breach(obj: Any) -> bool:
        return bool(obj.breached)


class ServiceStageOut(Schema):
    stage: str
    officer: str
    done_on: dt.date
    opinion: str

    @staticmethod
    def resolve_officer(obj: ServiceStage) -> str:
        return obj.officer.get_username()


class OneTimeNoticeOut(Schema):
    sequence: int
    issued_on: dt.date
    officer: str
    materials: list[str]
    breach: bool
    received_on: dt.date | None = Field(description="the day the materials arrived")

    @staticmethod
    def resolve_officer(obj: OneTimeNotice) -> str:
        return obj.officer.get_username()

    @staticmethod
    def resolve_materials(obj: OneTimeNotice) -> list[str]:
        return obj.materials.splitlines()

    @staticmethod
    def resolve_received_on(obj: OneTimeNotice) -> dt.date | None:
        return obj.suspension.ended_on if obj.suspension else None


class ServiceSuspensionOut(Schema):
    reason: str
    note: str
    started_on: dt.date
    ended_on: dt.date | None
    working_days: int


class ServiceClockOut(Schema):
    started_on: dt.date
    limit_days: int
    statutory_days: int
    extended_days: int
    suspended_days: int
    suspended_since: dt.date | None
    due_on: dt.date
    due_provisional: bool
    stopped_on: dt.date | None
    level: str
    suspensions: list[ServiceSuspensionOut]

    @staticmethod
    def resolve_suspensions(obj: Clock) -> list[Any]:
        return list(obj.suspensions.all())


class ServiceCaseDetail(ServiceCaseOut):
    stages: list[ServiceStageOut]
    notices: list[OneTimeNoticeOut]
    clock: ServiceClockOut | None

    @staticmethod
    def resolve_stages(obj: ServiceCase) -> list[Any]:
        return list(obj.stages.select_related("officer"))

    @staticmethod
    def resolve_notices(obj: ServiceCase) -> list[Any]:
        return list(obj.notices.select_related("officer", "suspension"))

    @staticmethod
    def resolve_clock(obj: ServiceCase) -> Clock | None:
        return checks.clock_of(obj)


class ServiceCasePage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ServiceCaseOut]


class ServiceCaseFilter(Paging):
    status: Annotated[str, OneOf([*ServiceCase.Status.values, "open"])] = ""
    item: str = Field("", description="item code")
    unit: str = Field("", description="station code")
    warning: Annotated[str, OneOf(queries.WARNINGS)] = ""
    overdue: bool = False
    breach: bool = Field(False, description="only cases with a second one-time notice")


@router.get("/service-cases", response=ServiceCasePage, summary="Service cases (办件)")
def list_cases(request: OfficerRequest, filters: Query[ServiceCaseFilter]) -> dict[str, Any]:
    params = {
        "status": filters.status,
        "item": filters.item,
        "unit": filters.unit,
        "warning": filters.warning,
        "overdue": "1" if filters.overdue else "",
        "breach": "1" if filters.breach else "",
    }
    cases = queries.filtered(queries.cases_for(request.user), params)
    return paged(cases.order_by("-received_on", "-id"), filters)


class ServiceFiguresQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="first day (default 1 Jan)")
    date_to: Day | None = Field(None, alias="to", description="last day (default today)")
    by: Annotated[str, OneOf(list(figures.GROUPS))] = Field(
        "", description="unit, item or officer (the responsible officer); empty: all"
    )


class ServiceFiguresOut(Schema):
    group: str = Field(description="unit code, item code or user name; '' for all")
    received: int
    accepted: int
    completed: int
    within_committed: int
    within_statutory: int
    late_committed: int
    late_statutory: int
    average_days: Decimal | None = Field(description="mean working days used by the completed")
    committed_rate: Decimal | None = Field(description="% completed within the committed limit")
    breaches: int = Field(description="second and later one-time notices (违反一次性告知)")
    open_overdue: int
    suspensions: dict[str, list[int]] = Field(description="reason → [count, working days]")


def _group_names(by: str) -> dict[Any, str]:
    if by == "unit":
        return dict(Unit.objects.values_list("pk", "code"))
    if by == "item":
        return dict(ServiceItem.objects.values_list("pk", "code"))
    if by == "officer":
        return dict(Officer.objects.values_list("pk", "username"))
    return {}


@router.get(
    "/service-cases/figures",
    response=list[ServiceFiguresOut],
    summary="The period's service-case figures (docs/timeliness/permits.md), by unit, item or "
    "officer",
)
def case_figures(
    request: OfficerRequest, query: Query[ServiceFiguresQuery]
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    start, end = query.date_from or dt.date(today.year, 1, 1), query.date_to or today
    if end < start:
        raise InvalidInput.single("to", _("结束日期不能早于开始日期"))
    cases = scoped(ServiceCase.objects.all(), request.user)
    found = figures.grouped(cases, start, end, by=query.by or None)
    names = _group_names(query.by)
    return [
        {
            "group": names.get(key, "") if query.by else "",
            **{k: v for k, v in vars(value).items()},
            "average_days": value.average_days,
            "committed_rate": value.committed_rate,
        }
        for key, value in sorted(found.items(), key=lambda kv: str(names.get(kv[0], "")))
    ]


def case_of(request: OfficerRequest, case_id: int) -> Any:
    """The case ``case_id`` in the user's scope (404 outside it), for an answer."""
    return get_scoped(queries.cases_for(request.user), request.user, pk=case_id)


@router.get(
    "/service-cases/{int:service_case_id}",
    response=ServiceCaseDetail,
    summary="One case, its stages",
)
def get_case(request: OfficerRequest, service_case_id: int) -> Any:
    return case_of(request, service_case_id)


# The writes join ``router``: imported last, once it and the schemas above exist.
import xiaoneng.timeliness.permits.write_api  # noqa: E402, F401
