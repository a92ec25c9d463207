"""API of timeliness.accountability (问责, 篇9): /accountability, visible to the officer
concerned and to those who oversee his unit (``queries.visible_actions``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Id, OneOf, Paging, Year, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.accountability import queries
from xiaoneng.timeliness.accountability import services as accountability
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Warning

router = Router(tags=["timeliness"])


class ActionOut(Schema):
    id: int
    officer: str = Field(description="user name of the officer held to account")
    officer_name: str
    unit: str = Field(description="unit code")
    kind: str
    kind_label: str
    facts: str
    rule: str
    deduction: Decimal = Field(description="allowance deducted, yuan")
    decided_on: dt.date
    decided_by: str
    warning_id: int | None
    callback_id: int | None
    callback_problem_id: int | None
    trace_flag_id: int | None
    revoked_at: dt.datetime | None
    revoked_reason: str

    @staticmethod
    def resolve_officer(obj: AccountabilityAction) -> str:
        return obj.officer.get_username()

    @staticmethod
    def resolve_officer_name(obj: AccountabilityAction) -> str:
        return str(obj.officer)

    @staticmethod
    def resolve_unit(obj: AccountabilityAction) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_kind_label(obj: AccountabilityAction) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_decided_by(obj: AccountabilityAction) -> str:
        return obj.decided_by.get_username()


class ActionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ActionOut]


class ActionFilter(Paging):
    kind: Annotated[str, OneOf(ActionKind.values)] = ""
    unit: str = Field("", description="unit code: its subtree")
    year: Year | None = Field(None, description="year decided")


@router.get("/accountability", response=ActionPage, summary="Accountability actions (问责)")
def list_actions(request: OfficerRequest, filters: Query[ActionFilter]) -> dict[str, Any]:
    actions = queries.filtered(
        queries.visible_actions(request.user),
        kind=filters.kind,
        unit=filters.unit,
        year=filters.year,
    )
    return paged(actions.order_by("-decided_on", "-id"), filters)


@router.get(
    "/accountability/{int:action_id}", response=ActionOut, summary="One accountability action"
)
def get_action(request: OfficerRequest, action_id: int) -> AccountabilityAction:
    return queries.get_visible(request.user, action_id)


class ActionIn(Schema):
    officer: str = Field(description="user name of the officer held to account")
    kind: str = Field(description="one of " + ", ".join(ActionKind.values))
    facts: str
    rule: str
    deduction: str | int | float | None = Field(
        None, description="allowance deducted, yuan with at most 2 decimals (e.g. '200.00')"
    )
    decided_on: dt.date | None = Field(None, description="not after today")
    warning: Id | None = Field(None, description="id of the warning it came from")
    callback: Id | None = Field(None, description="id of the callback it came from")
    callback_problem: Id | None = Field(None, description="id of the callback problem")
    trace_flag: Id | None = Field(None, description="id of the confirmed trace flag")


# Body field → (model, message when the id names no record in the user's scope).
SOURCES: dict[str, tuple[Any, str]] = {
    "warning": (Warning, "未找到该预警：%(v)s"),
    "callback": (Callback, "未找到该回访：%(v)s"),
    "callback_problem": (CallbackProblem, "未找到该回访问题：%(v)s"),
    "trace_flag": (TraceFlag, "未找到该痕迹疑点：%(v)s"),
}


def _source(request: OfficerRequest, name: str, pk: int | None) -> Any:
    if pk is None:
        return None
    model, message = SOURCES[name]
    found = scoped(model.objects.all(), request.user).filter(pk=pk).first()
    if found is None:
        raise InvalidInput.single(name, _(message) % {"v": pk})
    return found


def _officer(request: OfficerRequest, username: str) -> Officer | None:
    name = (username or "").strip()
    if not name:
        return None
    found: QuerySet[Officer] = scoped(Officer.objects.all(), request.user)
    officer = found.filter(username=name).first()
    if officer is None:
        raise InvalidInput.single("officer", _("未找到该执法人员：%(v)s") % {"v": name})
    return officer


@router.post(
    "/accountability",
    response={201: ActionOut},
    summary="Record an accountability action against an officer",
)
def decide(request: OfficerRequest, payload: ActionIn) -> Status[AccountabilityAction]:
    access.require(request.user, access.DECIDE_ACCOUNTABILITY)
    action = accountability.decide_action(
        actor=request.user,
        officer=_officer(request, payload.officer),
        kind=payload.kind,
        facts=payload.facts,
        rule=payload.rule,
        deduction=None if payload.deduction is None else str(payload.deduction),
        decided_on=payload.decided_on,
        warning=_source(request, "warning", payload.warning),
        callback=_source(request, "callback", payload.callback),
        callback_problem=_source(request, "callback_problem", payload.callback_problem),
        trace_flag=_source(request, "trace_flag", payload.trace_flag),
    )
    return Status(201, action)
