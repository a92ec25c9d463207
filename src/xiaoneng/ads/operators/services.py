"""Ad operators and publishers (篇1) and their annual qualification check (年度资格检查).

The check is made in the first quarter of each year; it is an inspection (``inspections``
records) of the operator's entity with the advertising-operator checklist, and ends in one
outcome: 合格, 限期整改 (with a deadline), 注销, or 立案调查, which opens a case through
``cases.services``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.operators.models import AdOperator, Medium, QualificationCheck
from xiaoneng.ads.operators.transitions import CHECK
from xiaoneng.cases import services as cases
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.inspections.checklists.models import Checklist
from xiaoneng.inspections.checklists.services import ChecklistUnknown, current_versions
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

S = QualificationCheck.Status
CHECKLIST_CODE = "advertising"
FIRST_QUARTER_END = (3, 31)
LIVING = (Entity.Status.OPERATING, Entity.Status.SUSPENDED)


# Operators ---------------------------------------------------------------------------------


def register_operator(
    *,
    actor: Officer,
    entity: Entity | None,
    role: str,
    since: dt.date | None,
    medium: str = "",
    outlet: str = "",
    reviewers: str = "",
    note: str = "",
) -> AdOperator:
    """Record an entity of the register as an ad operator, publisher or medium; a medium names
    its kind, its outlet and its ad reviewers (广告审查员)."""
    common.require(actor)
    errors = common.collect(
        lambda: common.choice(role, "role", _("广告主体类型"), AdOperator.Role.values),
        lambda: _medium(role, medium, reviewers),
        lambda: common.text(outlet, "outlet", _("媒体名称"), limit=100, required=False),
        lambda: common.text(reviewers, "reviewers", _("广告审查员"), limit=300, required=False),
        lambda: common.text(note, "note", _("备注"), limit=300, required=False),
    )
    if entity is None:
        errors += common.collect(
            lambda: common.fail("entity", _("请选择市场主体（统一社会信用代码）"))
        )
    else:
        errors += common.collect(lambda: _since(entity, since))
        if entity.status not in LIVING:
            message = _("市场主体已%(s)s，不能登记为广告主体") % {"s": entity.get_status_display()}
            errors += common.collect(lambda: common.fail("entity", message))
    common.refuse(errors)
    assert entity is not None and since is not None
    common.require(actor, entity.unit_id)
    if AdOperator.objects.filter(entity=entity, role=role).exists():
        raise Conflict(
            _("%(name)s 已登记为%(role)s")
            % {"name": entity.name, "role": AdOperator.Role(role).label}
        )
    with transaction.atomic(), audit.attributed(actor):
        return AdOperator.objects.create(
            entity=entity,
            role=role,
            medium=medium if role == AdOperator.Role.MEDIUM else (medium or ""),
            outlet=outlet.strip(),
            reviewers=reviewers.strip(),
            since=since,
            note=note.strip(),
            unit_id=entity.unit_id,
            region_code=entity.region_code,
        )


def _medium(role: str, medium: str, reviewers: str) -> None:
    if medium and medium not in Medium.values:
        raise InvalidInput.single("medium", _("媒介类型无效：%(v)s") % {"v": medium})
    if role == AdOperator.Role.MEDIUM:
        if not medium:
            raise InvalidInput.single("medium", _("媒体须注明媒介类型"))
        if not (reviewers or "").strip():
            raise InvalidInput.single("reviewers", _("媒体须登记广告审查员"))


def _since(entity: Entity, since: dt.date | None) -> None:
    common.day(
        since, "since", _("登记日期"), earliest=entity.registered_on, earliest_what=_("入册日期")
    )


def set_reviewers(*, operator: AdOperator, actor: Officer, reviewers: str) -> AdOperator:
    """Replace the names of a medium's ad reviewers (广告审查员)."""
    common.require(actor, operator.unit_id)
    names = common.text(reviewers, "reviewers", _("广告审查员"), limit=300, required=True)
    with transaction.atomic(), audit.attributed(actor):
        operator.reviewers = names
        operator.save(update_fields=["reviewers"])
    return operator


# The checklist -------------------------------------------------------------------------------


def qualification_checklist(on: dt.date) -> Checklist:
    """The advertising-operator checklist (广告经营者监督检查清单, code ``advertising``, one of the
    starter checklists) in force on ``on``: the annual check is an inspection with it."""
    found = [c for c in current_versions(on=on, kind="onsite") if c.code == CHECKLIST_CODE]
    if not found:
        raise ChecklistUnknown(
            _("%(date)s 没有施行中的广告经营者监督检查清单（advertising）") % {"date": on}
        )
    return found[0]


# The annual check ----------------------------------------------------------------------------


def in_first_quarter(check: QualificationCheck) -> bool:
    """篇1: the annual check is made in the first quarter of its year."""
    return check.checked_on <= dt.date(check.year, *FIRST_QUARTER_END)


def start_check(
    *, operator: AdOperator, actor: Officer, year: int | None, checked_on: dt.date | None
) -> QualificationCheck:
    """Open the year's qualification check: a draft inspection of the operator's entity with
    the qualification checklist, filled and signed by the team through the inspection pages."""
    common.require(actor, operator.unit_id)
    if not operator.active:
        raise Conflict(_("该广告经营单位已注销，不再进行年度资格检查"))
    errors = common.collect(lambda: _year(year, checked_on, operator))
    common.refuse(errors)
    assert year is not None and checked_on is not None
    if QualificationCheck.objects.filter(operator=operator, year=year).exists():
        raise Conflict(
            _("%(name)s 的 %(y)d 年度资格检查已登记") % {"name": operator.entity.name, "y": year}
        )
    with transaction.atomic(), audit.attributed(actor):
        inspection = open_inspection(
            entity=operator.entity,
            officer=actor,
            kind="onsite",
            origin=Inspection.Origin.AD_HOC,
            checklist=qualification_checklist(checked_on),
        )
        # The check's date is the visit's (a check recorded after the day keeps its day).
        inspection.visited_on = checked_on
        inspection.save(update_fields=["visited_on"])
        return QualificationCheck.objects.create(
            operator=operator,
            year=year,
            checked_on=checked_on,
            inspection=inspection,
            officer=actor,
            unit_id=operator.unit_id,
            region_code=operator.region_code,
        )


def _year(year: int | None, checked_on: dt.date | None, operator: AdOperator) -> None:
    day = common.day(
        checked_on,
        "checked_on",
        _("检查日期"),
        earliest=operator.since,
        earliest_what=_("登记为广告主体日期"),
    )
    if year is None:
        raise InvalidInput.single("year", _("请填写年度"))
    if year != day.year:
        raise InvalidInput.single(
            "year", _("年度应为检查日期所在年度 %(y)d：%(v)s") % {"y": day.year, "v": year}
        )


def decide_check(
    *,
    check: QualificationCheck,
    actor: Officer,
    outcome: str,
    on: dt.date | None,
    deadline: dt.date | None = None,
    note: str = "",
) -> QualificationCheck:
    """The outcome of the check: 合格; 限期整改 with a deadline after the decision; 注销 (the
    operator leaves the ad register); 立案调查 (a case opened, filed and linked)."""
    common.require(actor, check.unit_id)
    outcomes = {S.QUALIFIED, S.RECTIFY, S.DEREGISTER, S.INVESTIGATE}
    errors = common.collect(
        lambda: common.choice(outcome, "outcome", _("检查结论"), [str(o) for o in outcomes]),
        lambda: common.day(
            on, "decided_on", _("结论日期"), earliest=check.checked_on, earliest_what=_("检查日期")
        ),
        lambda: common.text(note, "note", _("说明"), limit=500, required=outcome != S.QUALIFIED),
    )
    if outcome == S.RECTIFY:
        errors += common.collect(lambda: _deadline(deadline, on))
    common.refuse(errors)
    CHECK.check(check, outcome)
    with transaction.atomic(), audit.attributed(actor):
        CHECK.move(check, outcome)
        check.decided_on = on
        check.deadline = deadline if outcome == S.RECTIFY else None
        check.note = note.strip()
        if outcome == S.INVESTIGATE:
            check.case = _open_case(check, actor, on)
        if outcome == S.DEREGISTER:
            operator = check.operator
            operator.active = False
            operator.save(update_fields=["active"])
        check.save()
    return check


def _deadline(deadline: dt.date | None, on: dt.date | None) -> None:
    if deadline is None:
        raise InvalidInput.single("deadline", _("限期整改须填写整改期限（YYYY-MM-DD）"))
    if on is not None and deadline <= on:
        raise InvalidInput.single(
            "deadline", _("整改期限应晚于结论日期 %(on)s：%(v)s") % {"on": on, "v": deadline}
        )


def _open_case(check: QualificationCheck, actor: Officer, on: dt.date | None) -> Case:
    entity = check.operator.entity
    case = cases.open_case(
        actor=actor,
        title=_("%(y)d年度广告经营资格检查：%(name)s") % {"y": check.year, "name": entity.name},
        kind=CaseKind.ADVERTISING,
        party=entity.name,
        entity=entity,
        received_on=on,
        facts=check.note,
        source_note=_("广告经营单位年度资格检查"),
    )
    # 立案调查: the lead is filed at once (程序规定 第十九条), as a founded 举报 is.
    return cases.file_case(case=case, actor=actor, filed_on=on)
