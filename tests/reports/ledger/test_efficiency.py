"""The ratios of the worked example, by hand: per entry, per unit and the total row from the
sums (never a mean of ratios), "no data" over a zero denominator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import County
from tests.reports.ledger.factories import DAY, TODAY, dataset, record
from xiaoneng.reports.ledger import queries
from xiaoneng.reports.ledger.efficiency import Inputs, ratio, ratios
from xiaoneng.reports.ledger.outputs import Outputs

pytestmark = pytest.mark.django_db
D = Decimal


def filters(county: County) -> queries.Filters:
    return queries.Filters(DAY.replace(month=1, day=1), TODAY)


def test_no_data_when_the_denominator_is_zero() -> None:
    assert ratio(5, 0) is None
    assert ratio(D("0"), D("0.0")) is None
    assert ratio(1, 8) == D("0.13")  # 0.125, half up
    found = ratios(Inputs(person_hours=D("4")), Outputs())
    assert (found.fines_per_yuan, found.cost_per_inspection, found.cost_per_finding) == (
        None,
        None,
        None,
    )
    assert found.inspections_per_hour == D("0.00")


def test_each_entrys_ratios(county: County) -> None:
    data = dataset(county)
    table = queries.ledger_table(county.admin, filters(county))
    by_pk = {line.entry.pk: line.ratios for line in table.lines if line.entry}
    patrol = by_pk[data.patrol.pk]
    assert (patrol.inspections_per_hour, patrol.findings_per_hour) == (D("0.25"), D("0.13"))
    assert (patrol.fines_per_yuan, patrol.cost_per_inspection) == (D("40.00"), D("25.00"))
    east = by_pk[data.campaign_east.pk]
    assert (east.inspections_per_hour, east.cost_per_inspection) == (D("0.02"), D("1200.00"))
    assert east.findings_per_hour == D("0.00") and east.cost_per_finding is None


def test_the_total_row_cross_foots_and_takes_its_ratio_from_the_sums(county: County) -> None:
    dataset(county)
    table = queries.ledger_table(county.admin, filters(county))
    total = table.total
    assert len(table.lines) == 3
    assert (total.inputs.entries, total.inputs.officers, total.inputs.vehicles) == (3, 15, 3)
    assert (total.inputs.person_hours, total.inputs.kilometres) == (D("100"), D("140"))
    assert total.inputs.money == D("2050")
    assert sum(line.inputs.money for line in table.lines) == total.inputs.money
    assert sum(line.outputs.inspections for line in table.lines) == total.outputs.inspections == 4
    assert total.outputs == Outputs(4, 1, 1, 1, D("2000.00"), 1)
    r = total.ratios
    assert (r.inspections_per_hour, r.findings_per_hour) == (D("0.04"), D("0.01"))
    assert (r.fines_per_yuan, r.cost_per_inspection) == (D("0.98"), D("512.50"))


def test_a_units_ratio_is_from_its_sums_not_the_mean_of_ratios(county: County) -> None:
    dataset(county)
    result = queries.efficiency(county.admin, filters(county), "unit")
    lines = {line.key: line for line in result.lines}
    east = lines["S-E"]
    assert (east.inputs.person_hours, east.inputs.money, east.outputs.inspections) == (
        D("68"),
        D("1250"),
        3,
    )
    assert east.ratios.inspections_per_hour == D("0.04")  # 3 / 68; the mean of ratios is 0.13
    assert east.ratios.cost_per_inspection == D("416.67")
    assert lines["D1"].ratios.inspections_per_hour == D("0.03")  # 1 / 32
    assert result.total.outputs.inspections == 4


def test_efficiency_by_campaign_and_by_kind(county: County) -> None:
    data = dataset(county)
    by_campaign = queries.efficiency(county.admin, filters(county), "campaign")
    assert [
        (line.key, line.inputs.money, line.outputs.inspections) for line in by_campaign.lines
    ] == [(str(data.campaign.pk), D("2000"), 2)]
    assert by_campaign.lines[0].ratios.cost_per_inspection == D("1000.00")
    by_kind = {
        line.key: line for line in queries.efficiency(county.admin, filters(county), "kind").lines
    }
    assert by_kind["patrol_day"].outputs.inspections == 2
    assert by_kind["campaign"].ratios.inspections_per_hour == D("0.02")  # 2 / 92


def test_an_entry_of_nothing_spent_and_nothing_found_shows_no_data(county: County) -> None:
    entry = record(
        county,
        kind="other",
        officer=None,
        title="宣传咨询",
        money=D("0"),
        vehicles=0,
        kilometres=D("0"),
    )
    table = queries.ledger_table(county.admin, filters(county))
    line = next(row for row in table.lines if row.entry and row.entry.pk == entry.pk)
    assert line.ratios.fines_per_yuan is None
    assert line.ratios.cost_per_inspection is None
    assert line.ratios.inspections_per_hour == D("0.00")
