"""What the generic scoping test (tests/web/test_scoping_all.py) requests, and with what.

``build_world`` builds the county of ``tests/conftest.py`` and one record of every kind that
belongs to its east station. ``FILLS`` says how to fill each path parameter of a URL pattern or
API operation: with a record of the east station (``east``), with a record no station owns
(``shared``: the policy, a checklist, the bureau's responsibility table) or with a plain value
(``value``). A URL with a parameter no entry fills fails the test, asking for an entry here.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from tests.cases.factories import make_case, make_collection, make_goods, make_target
from tests.conftest import County, make_county
from tests.inspections.factories import (
    make_attachment,
    make_checklist,
    make_flag,
    make_inspection,
)
from tests.oversight.factories import DirectorReviewFactory, SupervisionItemFactory
from tests.planning.draws.factories import make_draw, run
from tests.planning.factories import (
    CampaignFactory,
    EntityMeasureFactory,
    PlanFactory,
    ResponsibilityRuleFactory,
    TaskFactory,
)
from tests.registry.factories import make_entity
from xiaoneng.cases.models import Case, TargetMetric
from xiaoneng.inspections.followup.consequences import after_signing
from xiaoneng.inspections.followup.exits import report_exit_operating
from xiaoneng.inspections.followup.services import issue_rectification
from xiaoneng.inspections.followup.unlicensed import record_unlicensed
from xiaoneng.inspections.models import Inspection, SampleFollowUp
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.org import access
from xiaoneng.planning.draws.models import SNAPSHOTS
from xiaoneng.planning.policy.models import Policy
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import Entity

# Every name the east station's records carry starts so: a page that shows it to the west
# station shows another unit's record.
EAST = "城东专属"
DAY = dt.date(2026, 3, 2)
EXPORT_KINDS = ("entities", "units", "officers", "grids")


@dataclass
class World:
    """The county and one record of each kind: ``east`` of the east station, ``shared`` of
    nobody's station; ``secrets`` are texts only someone who sees the east station may read."""

    county: County
    east: dict[str, models.Model] = field(default_factory=dict)
    shared: dict[str, models.Model] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    def of_model(self, model: type[models.Model]) -> tuple[str, models.Model] | None:
        """The world's record of ``model``: ("east" or "shared", record), or None."""
        for kind, records in (("east", self.east), ("shared", self.shared)):
            for record in records.values():
                if type(record) is model:
                    return kind, record
        return None


def build_world() -> World:
    """The county, one record of every kind owned by its east station, and the texts that
    name them."""
    county = make_county()
    lon, lat = county.east_point()
    entity = make_entity(name=f"{EAST}餐馆", longitude=lon, latitude=lat)
    east: dict[str, Any] = {
        "entity": entity,
        "station": county.east,
        "officer": county.east_officer,
        "grid": county.east_grid,
    }
    east |= _inspection_records(county, entity)
    east |= _follow_up_records(county, east["inspection"])
    east |= _sampling_records(county, entity)
    east |= _planning_records(county, entity)
    east |= _case_records(county, entity)
    east |= _oversight_records(county, east["inspection"])
    shared: dict[str, Any] = {
        "policy": Policy.objects.order_by("version").first(),
        "checklist": east["inspection"].checklist,
        "rule": ResponsibilityRuleFactory(department__bureau=county.bureau),
    }
    outside_lon, outside_lat = county.outside_point()  # in no grid: the bureau's own
    outside = make_entity(name="网格外专属小卖部", longitude=outside_lon, latitude=outside_lat)
    secrets = [outside.name, outside.uscc, county.east.name, county.east_grid.code]
    secrets += [county.east_officer.username, county.east_director.username]
    for record in east.values():
        for attribute in ("name", "title", "firm_name", "number", "uscc"):
            text = str(getattr(record, attribute, ""))
            if text.startswith(EAST) or attribute in ("number", "uscc"):
                secrets.append(text)
    return World(county=county, east=east, shared=shared, secrets=sorted(set(secrets) - {""}))


def _inspection_records(county: County, entity: Entity) -> dict[str, Any]:
    """A signed inspection with a failed item and a trace flag; a draft with an attachment."""
    officer = county.east_officer
    checklist = make_checklist(items=3)
    signed = make_inspection(
        entity=entity,
        officers=[officer, county.east_director],
        checklist=checklist,
        results=["fail", "pass", "pass"],
        visited_on=DAY,
    )
    after_signing(signed, officer)
    draft = make_inspection(
        entity=entity, officers=[officer], checklist=checklist, signed=False, summary=""
    )
    return {
        "inspection": signed,
        "flag": make_flag(signed),
        "draft": draft,
        "attachment": make_attachment(draft),
    }


def _follow_up_records(county: County, inspection: Inspection) -> dict[str, Any]:
    """A finding under a rectification order, an exit check, an unlicensed operator and a
    credit proposal."""
    officer = county.east_officer
    lon, lat = county.east_point()
    finding = inspection.findings.get()
    exited = make_entity(name=f"{EAST}注销店", longitude=lon, latitude=lat, status="deregistered")
    proposal = credit_event(entity=inspection.entity, trigger="finding_critical", source="测试")
    assert proposal is not None
    return {
        "finding": finding,
        "rectification": issue_rectification(
            inspection=inspection,
            findings=[finding],
            actor=officer,
            requirements="立即清理过期食品",
            working_days=10,
            deadline=None,
            today=dt.date(2026, 3, 3),
        ),
        "exited": exited,
        "exit_check": report_exit_operating(
            entity=exited, actor=officer, circumstances="仍在营业", found_on=DAY, today=DAY
        ),
        "unlicensed": record_unlicensed(
            actor=officer,
            name=f"{EAST}无照摊",
            address="城东夜市",
            business="烧烤",
            found_on=DAY,
            longitude=lon,
            latitude=lat,
            today=DAY,
        ),
        "credit_proposal": proposal,
    }


def _sampling_records(county: County, entity: Entity) -> dict[str, Any]:
    """The station's sampling plan, a failed batch of the entity, and its follow-up."""
    staff = county.division_staff
    plan = sampling.create_plan(
        actor=staff,
        year=2026,
        title=f"{EAST}化肥抽查",
        category="化肥",
        region_code="654002",
        unit=county.east,
        planned_batches=5,
        today=DAY,
    )
    sample = sampling.record_sample(
        actor=staff,
        plan=plan,
        firm_name=f"{EAST}农资店",
        product="复合肥料",
        batch_number="20260301",
        sampled_on=DAY,
        entity=entity,
        today=DAY,
    )
    reported = dt.date(2026, 3, 20)
    sampling.record_result(
        sample=sample,
        actor=staff,
        result="fail",
        failed_items="总养分",
        reported_on=reported,
        today=reported,
    )
    follow_up = SampleFollowUp.objects.get(sample=sample)
    return {"sampling_plan": plan, "sample": sample, "follow_up": follow_up}


def _planning_records(county: County, entity: Entity) -> dict[str, Any]:
    """A patrol plan with a task, a campaign, a drawn double-random draw, a size."""
    plan = PlanFactory(unit=county.east, title=f"{EAST}巡查计划", created_by=county.east_director)
    draw = make_draw(county, name=f"{EAST}双随机抽查", unit=county.east)
    return {
        "plan": plan,
        "task": TaskFactory(plan=plan, entity=entity, officer=county.east_officer),
        "campaign": CampaignFactory(
            unit=county.east, title=f"{EAST}专项整治", created_by=county.division_staff
        ),
        "draw": run(draw, county),
        "measure": EntityMeasureFactory(entity=entity),
    }


def _case_records(county: County, entity: Entity) -> dict[str, Any]:
    """A decided case with money collected and goods confiscated; the station's target."""
    case = make_case(
        status=Case.Status.DECIDED,
        entity=entity,
        handler=county.east_officer,
        title=f"{EAST}销售过期食品案",
    )
    make_collection(case, 100)
    make_goods(case)
    target = make_target(county.east, TargetMetric.FINES_COLLECTED, Decimal("50000"))
    return {"case": case, "target": target}


def _oversight_records(county: County, inspection: Inspection) -> dict[str, Any]:
    """A director's spot check of the inspection, and a supervision item (督办)."""
    review = DirectorReviewFactory(inspection=inspection)
    item = SupervisionItemFactory(
        issued_by=county.division_staff,
        unit=county.east,
        entity=inspection.entity,
        title=f"{EAST}督办事项",
    )
    return {"review": review, "review_round": review.round, "supervision": item}


# How to fill a path parameter ------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    """A parameter's value and what it names: a record of the east station (``east``), a
    record of no station (``shared``) or a plain value (``value``)."""

    value: str
    kind: str
    record: models.Model | None = None


Fill = Callable[[World, str], "Filled | list[Filled]"]


def east(name: str, attribute: str = "pk") -> Fill:
    """The east station's record ``name`` (a key of ``World.east``), by ``attribute``."""

    def fill(world: World, route: str) -> Filled:
        record = world.east[name]
        return Filled(str(getattr(record, attribute)), "east", record)

    return fill


def shared(name: str, attribute: str = "pk") -> Fill:
    """A record no station owns (a key of ``World.shared``), by ``attribute``."""

    def fill(world: World, route: str) -> Filled:
        record = world.shared[name]
        return Filled(str(getattr(record, attribute)), "shared", record)

    return fill


def value(*texts: str) -> Fill:
    """A plain value (a choice, an action, a date); several values check the URL with each."""
    return lambda world, route: [Filled(text, "value") for text in texts]


def admin_record(world: World, route: str) -> Filled:
    """The record of the admin page's model: the world's own, else the first one stored, else
    none at all (the admin site refuses everyone but staff before it looks the record up)."""
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    found = world.of_model(model)
    if found is not None:
        return Filled(str(found[1].pk), found[0], found[1])
    first = model._default_manager.order_by("pk").first()
    return Filled(str(first.pk) if first else "0", "shared", first)


# (pattern, fill): the first pattern matching "<label>.<parameter>" fills the parameter. A
# label is a URL name ("inspections:inspection_detail") or an API path ("/api/v1/cases/{case_id}").
FILLS: list[tuple[str, Fill]] = [
    # the register
    ("*.uscc", east("entity", "uscc")),
    ("registry:credit_decide.pk", east("credit_proposal")),
    ("/api/v1/credit-proposals/*.proposal_id", east("credit_proposal")),
    ("/api/v1/checklists/for-entity/*.entity_id", east("entity")),
    ("registry:export.kind", value(*EXPORT_KINDS)),
    ("*/export/*.kind", value(*EXPORT_KINDS)),
    ("*/import/*.kind", value(*EXPORT_KINDS)),
    # the organisation
    ("org:unit_detail.code", east("station", "code")),
    ("org:grid_detail.code", east("grid", "code")),
    ("/api/v1/units/*.code", east("station", "code")),
    ("/api/v1/grids/*.code", east("grid", "code")),
    ("planning:station_calendar.code", east("station", "code")),
    ("*calendar/station/*.code", east("station", "code")),
    ("*.username", east("officer", "username")),
    # planning
    ("planning:policy_version.version", shared("policy", "version")),
    ("/api/v1/policy/*.version", shared("policy", "version")),
    ("planning:rule_*.pk", shared("rule")),
    ("*.rule_id", shared("rule")),
    ("planning:plan_detail.pk", east("plan")),
    ("/api/v1/plans/*.plan_id", east("plan")),
    ("planning:task_*.pk", east("task")),
    ("*.task_pk", east("task")),
    ("*.task_id", east("task")),
    ("planning:campaign_*.pk", east("campaign")),
    ("*.campaign_id", east("campaign")),
    ("planning:draw_*.pk", east("draw")),
    ("*.draw_id", east("draw")),
    ("planning:draw_snapshot.part", value(*SNAPSHOTS)),
    ("*snapshots*.part", value(*SNAPSHOTS)),
    # inspections
    ("inspections:checklist_*.pk", shared("checklist")),
    ("inspections:checklist_history.code", shared("checklist", "code")),
    ("*.checklist_id", shared("checklist")),
    ("inspections:inspection_edit.pk", east("draft")),
    ("inspections:inspection_sign.pk", east("draft")),
    ("inspections:inspection_attachment*.pk", east("draft")),
    ("inspections:inspection_*.pk", east("inspection")),
    ("*.attachment_pk", east("attachment")),
    ("/api/v1/inspections/{inspection_id}/attachments*.inspection_id", east("draft")),
    ("PUT /api/v1/inspections/{inspection_id}.inspection_id", east("draft")),
    ("/api/v1/inspections/{inspection_id}/sign.inspection_id", east("draft")),
    ("*.inspection_id", east("inspection")),
    ("*.attachment_id", east("attachment")),
    ("inspections:trace_flag_detail.pk", east("flag")),
    ("*.flag_id", east("flag")),
    ("*.finding_id", east("finding")),
    ("inspections:rectification_*.pk", east("rectification")),
    ("*.rectification_id", east("rectification")),
    ("inspections:exit_*.pk", east("exit_check")),
    ("*.check_id", east("exit_check")),
    ("inspections:unlicensed_*.pk", east("unlicensed")),
    ("*.record_id", east("unlicensed")),
    ("inspections:sampling_plan_detail.pk", east("sampling_plan")),
    ("/api/v1/sampling/plans/*.plan_id", east("sampling_plan")),
    ("inspections:sampling_sample_result.pk", east("sample")),
    ("*.sample_id", east("sample")),
    ("inspections:sampling_follow_up*.pk", east("follow_up")),
    ("*.follow_up_id", east("follow_up")),
    # cases
    ("cases:*.pk", east("case")),
    ("cases:case_action.action", value("execute")),
    ("*.case_id", east("case")),
    # oversight
    ("oversight:review_round.pk", east("review_round")),
    ("*.round_id", east("review_round")),
    ("oversight:review_detail.pk", east("review")),
    ("*.review_id", east("review")),
    ("oversight:supervision_*.pk", east("supervision")),
    ("/api/v1/supervision-items/*.item_id", east("supervision")),
    # the admin site: the record of the page's model
    ("admin:view_on_site.*", value("1")),
    ("admin:auth_user_password_change.id", east("officer")),
    ("admin:*.object_id", admin_record),
    ("admin/*.object_id", admin_record),
    ("admin:app_list.app_label", value("registry")),
    ("admin/*.url", value("no-such-page/")),
]


def fill_for(label: str, parameter: str) -> Fill | None:
    """The registered fill of ``parameter`` in the URL or operation ``label``."""
    key = f"{label}.{parameter}"
    for pattern, fill in FILLS:
        if fnmatch.fnmatchcase(key, pattern):
            return fill
    return None


# Lists ----------------------------------------------------------------------------------------

# The main lists: a user whose scope covers the east station finds its record here (the text
# of ``World.east[name]``'s ``attribute``); the west station never does.
MAIN_LISTS: dict[str, tuple[str, str]] = {
    "registry:entity_list": ("entity", "name"),
    "GET /api/v1/entities": ("entity", "uscc"),
    "inspections:inspection_list": ("entity", "name"),
    "GET /api/v1/inspections": ("entity", "name"),
    "inspections:rectification_list": ("rectification", "number"),
    "GET /api/v1/rectifications": ("rectification", "number"),
    "inspections:unlicensed_list": ("unlicensed", "name"),
    "GET /api/v1/unlicensed-operators": ("unlicensed", "name"),
    "cases:case_list": ("case", "number"),
    "GET /api/v1/cases": ("case", "number"),
    "planning:plan_list": ("plan", "title"),
    "GET /api/v1/plans": ("plan", "title"),
    "oversight:supervision_list": ("supervision", "title"),
    "GET /api/v1/supervision-items": ("supervision", "title"),
    "inspections:sampling_plans": ("sampling_plan", "title"),
    "GET /api/v1/sampling/plans": ("sampling_plan", "title"),
    "registry:entity_points": ("entity", "uscc"),
}

# Query parameters: what a page or operation needs to answer at all, or the record it is
# about when the record is named in the query (the order of which inspection?).
QUERIES: dict[str, dict[str, Fill]] = {
    "inspections:rectification_create": {"inspection": east("inspection")},
    "GET /api/v1/reports/period": {"from": value("2026-01-01"), "to": value("2026-12-31")},
}

# Records a role whose scope covers them may still be refused (403) by the page: for want of
# the capability it names (xiaoneng.org.access), or, with TEAM, to all but the record's team.
TEAM = "team"
REFUSED: dict[str, str] = {
    "inspections:inspection_edit": TEAM,  # a draft is edited by its own team only
    "cases:collection_create": access.HANDLE_CASES,
    "cases:goods_create": access.HANDLE_CASES,
    "cases:case_action": access.HANDLE_CASES,
    "inspections:rectification_create": access.INSPECT,
}

# Pages that answer 404 to everyone, and why.
NOT_FOUND = {"api:api-root": "django-ninja's root only names the API's base path"}

# Request bodies of API operations whose minimal body (built from the schema) the API refuses
# before it looks the record up.
API_BODIES: dict[str, dict[str, Any]] = {}
