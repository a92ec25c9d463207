"""The ledger's small hand-computed dataset (docs/ledger.md's worked example) and helpers.

In the county of ``tests.conftest``: on 2 March 2026 the east officer's patrol day (8 h, one
car, 40 km, 50 yuan) covers two signed inspections he led — one failed an item: a finding, its
order rectified, a case filed on it with 2,000 yuan collected and one line of goods — while a
third of his that day was a campaign visit, one the next day and a draft are not his patrol
day's. The credit division's campaign has a task in each station: the east station's entry
(10 people, 60 h, 1,200 yuan) gets the east visit; the west visit, in no entry's subtree, goes
to the organising division's entry (4 people, 32 h, 800 yuan).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from tests.cases.factories import make_case, make_collection, make_goods
from tests.conftest import County
from tests.inspections.factories import make_checklist, make_inspection
from tests.planning.factories import CampaignFactory, TaskFactory
from tests.reports.helpers import east_entity, rectification, west_entity
from xiaoneng.cases.models import Case
from xiaoneng.inspections.models import Finding, Inspection, Rectification
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.reports.ledger import services
from xiaoneng.reports.ledger.models import LedgerEntry
from xiaoneng.reports.ledger.services import EntryInput

DAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 6, 30)


def entry_input(county: County, **values: Any) -> EntryInput:
    """A valid patrol day of the east officer on DAY, changed by ``values``."""
    data: dict[str, Any] = {
        "unit": county.east,
        "kind": "patrol_day",
        "officer": county.east_officer,
        "started_on": DAY,
        "ended_on": DAY,
        "officers": 1,
        "person_hours": Decimal("8"),
        "vehicles": 1,
        "kilometres": Decimal("40"),
        "money": Decimal("50"),
    }
    data.update(values)
    return EntryInput(**data)


def record(county: County, actor: Any = None, **values: Any) -> LedgerEntry:
    return services.record_entry(
        data=entry_input(county, **values), actor=actor or county.east_director, today=TODAY
    )


@dataclass
class Dataset:
    patrol: LedgerEntry
    campaign_east: LedgerEntry
    campaign_division: LedgerEntry
    campaign: Campaign
    case: Case
    inspections: list[Inspection]


def dataset(county: County) -> Dataset:
    """The worked example above, recorded through the services."""
    checklist = make_checklist()
    item = checklist.items.order_by("position").first()
    assert item is not None
    east, west = east_entity(county), west_entity(county)
    officer = county.east_officer
    failed = make_inspection(
        entity=east, officers=[officer], checklist=checklist, results=["fail", "pass", "pass"]
    )
    plain = make_inspection(entity=east, officers=[officer], checklist=checklist)
    make_inspection(
        entity=east, officers=[officer], checklist=checklist, visited_on=DAY.replace(day=3)
    )
    make_inspection(entity=east, officers=[officer], checklist=checklist, signed=False)
    finding = Finding.objects.create(
        inspection=failed,
        item=item,
        entity=east,
        unit=failed.unit,
        severity="major",
        description="进货查验记录不全",
        found_on=DAY,
    )
    order = rectification(
        failed, deadline=dt.date(2026, 3, 16), status=Rectification.Status.RECTIFIED
    )
    Finding.objects.filter(pk=finding.pk).update(rectification=order)
    case = make_case(status=Case.Status.DECIDED, entity=east, inspection=failed, handler=officer)
    make_collection(case, 2000)
    make_goods(case)
    campaign = cast(
        Campaign, CampaignFactory(unit=county.division, created_by=county.division_staff)
    )
    visits = []
    for entity, who in ((east, officer), (west, county.west_officer)):
        task = TaskFactory(plan=campaign.plan, entity=entity, officer=who)
        visits.append(
            make_inspection(
                entity=entity,
                officers=[who],
                checklist=checklist,
                task=task,
                origin=Inspection.Origin.CAMPAIGN,
            )
        )
    patrol = record(county)
    common = {
        "kind": "campaign",
        "officer": None,
        "campaign": campaign,
        "ended_on": dt.date(2026, 3, 6),
    }
    campaign_east = record(
        county,
        **common,
        unit=county.east,
        officers=10,
        person_hours=Decimal("60"),
        vehicles=2,
        kilometres=Decimal("100"),
        money=Decimal("1200"),
    )
    campaign_division = record(
        county,
        actor=county.division_staff,
        **common,
        unit=county.division,
        officers=4,
        person_hours=Decimal("32"),
        vehicles=0,
        kilometres=Decimal("0"),
        money=Decimal("800"),
    )
    return Dataset(
        patrol, campaign_east, campaign_division, campaign, case, [failed, plain, *visits]
    )
