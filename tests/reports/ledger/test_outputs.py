"""Outputs are computed from the records, never typed in: the worked example of factories.py,
counted by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.cases.factories import make_collection
from tests.conftest import County
from tests.reports.ledger.factories import dataset, record
from xiaoneng.reports.ledger.outputs import Outputs, attribute, outputs

pytestmark = pytest.mark.django_db


def test_a_patrol_day_yields_the_officers_signed_inspections_of_that_day(county: County) -> None:
    data = dataset(county)
    found = outputs([data.patrol])
    assert found[data.patrol.pk] == Outputs(
        inspections=2, findings=1, rectified=1, cases=1, fines=Decimal("2000.00"), goods=1
    )
    assert sorted(attribute([data.patrol]).inspections[data.patrol.pk]) == sorted(
        i.pk for i in data.inspections[:2]
    )


def test_a_campaigns_visits_go_to_the_deepest_entry_else_the_organiser(county: County) -> None:
    data = dataset(county)
    found = outputs([data.campaign_east, data.campaign_division])
    east_visit, west_visit = data.inspections[2:]
    shares = attribute([data.campaign_east, data.campaign_division]).inspections
    assert shares[data.campaign_east.pk] == [east_visit.pk]
    assert shares[data.campaign_division.pk] == [west_visit.pk]
    assert found[data.campaign_east.pk] == Outputs(inspections=1)
    assert found[data.campaign_division.pk] == Outputs(inspections=1)


def test_a_filtered_list_shares_the_visits_as_the_whole_ledger_does(county: County) -> None:
    data = dataset(county)
    alone = outputs([data.campaign_division])
    assert alone[data.campaign_division.pk].inspections == 1  # not the east station's visit


def test_a_case_with_its_own_entry_counts_there_and_not_again(county: County) -> None:
    data = dataset(county)
    make_collection(data.case, 500)
    own = record(
        county,
        kind="case",
        officer=None,
        case=data.case,
        started_on=data.case.received_on,
        ended_on=data.case.received_on,
        officers=2,
        person_hours=Decimal("16"),
        vehicles=0,
        kilometres=Decimal("0"),
        money=Decimal("300"),
    )
    found = outputs([data.patrol, own])
    assert found[own.pk] == Outputs(cases=1, fines=Decimal("2500.00"), goods=1)
    assert found[data.patrol.pk] == Outputs(inspections=2, findings=1, rectified=1)


def test_outputs_of_many_entries_take_a_few_queries(
    county: County, django_assert_max_num_queries: object
) -> None:
    data = dataset(county)
    entries = [data.patrol, data.campaign_east, data.campaign_division]
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        outputs(entries)
