"""The records the generic scoping test requests: the county of ``tests/conftest.py`` and one
record of every kind that belongs to its east station (``World.east``), a few that belong to no
station (``World.shared``), and the texts only someone who sees the east station may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from tests.cases.factories import make_case, make_collection, make_goods, make_target
from tests.conftest import County, make_county
from tests.inspections.factories import (
    make_attachment,
    make_checklist,
    make_flag,
    make_inspection,
    make_party_signature,
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
from tests.scoping import (
    ad_governance,
    ads,
    assessment,
    keywords,
    ledger,
    online,
    risk,
    training,
)
from tests.scoping.timeliness import accountability, callbacks, clocks, complaints, permits
from xiaoneng.cases.models import Case, TargetMetric
from xiaoneng.documents.delivery import record_delivery
from xiaoneng.documents.services import issue_document
from xiaoneng.inspections.followup.consequences import after_signing
from xiaoneng.inspections.followup.exits import report_exit_operating
from xiaoneng.inspections.followup.services import issue_rectification
from xiaoneng.inspections.followup.unlicensed import record_unlicensed
from xiaoneng.inspections.models import Inspection, SampleFollowUp
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.planning.policy.models import Policy
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import Entity

# Every name the east station's records carry starts so: a page that shows it to the west
# station shows another unit's record.
EAST = "城东专属"
DAY = dt.date(2026, 3, 2)


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
    for timeliness in (clocks, permits, complaints, callbacks, accountability):
        east |= timeliness.records(county, east)
    east |= online.records(county, east)
    east |= training.records(county)
    shared: dict[str, Any] = {
        "policy": Policy.objects.order_by("version").first(),
        "checklist": east["inspection"].checklist,
        "rule": ResponsibilityRuleFactory(department__bureau=county.bureau),
    }
    shared |= keywords.records(county)
    shared |= risk.records(county)
    ad_east, ad_shared = ad_governance.records(county, east)
    east |= ad_east
    east |= ads.records(county, east)
    shared |= ad_shared
    ledger_east, ledger_shared = ledger.records(county, east)
    east |= ledger_east
    shared |= ledger_shared
    assessment_east, assessment_shared = assessment.records(county)
    east |= assessment_east
    shared |= assessment_shared
    # The east inspection's 现场检查笔录: its verification page is public (no station's own).
    shared["issued_document"] = issue_document(
        kind="inspection", record_id=east["inspection"].pk, actor=county.east_officer
    )
    # ... delivered by hand the day it was issued, so that its delivery can be read.
    record_delivery(
        document=shared["issued_document"],
        values={
            "method": "hand",
            "delivered_on": timezone.localtime(shared["issued_document"].issued_at).date(),
            "recipient": "王五",
        },
        actor=county.east_officer,
    )
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
    after_signing(inspection=signed, actor=officer)
    make_party_signature(signed)
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
    # Its teams from the east station and the division: a draw that sent a west officer out
    # would rightly show to the west station (docs/access.md, 双随机抽查).
    draw = make_draw(
        county,
        name=f"{EAST}双随机抽查",
        unit=county.east,
        pool_units=[county.east, county.division],
    )
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
