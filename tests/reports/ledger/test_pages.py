"""The ledger pages: the list's total row, the detail's records, the form's bad input on the
page (nothing written), the quotas page and who may set them, the efficiency page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import County, client_for
from tests.reports.ledger.factories import dataset
from xiaoneng.reports.ledger.models import LedgerEntry, Quota

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


def test_the_list_shows_inputs_outputs_and_the_total_row(county: County) -> None:
    dataset(county)
    answer = client_for(county.division_staff).get(reverse("ledger:entry_list"), PERIOD)
    assert answer.status_code == 200
    total = answer.context["total"]
    assert (total.inputs.money, total.outputs.inspections) == (Decimal("2050"), 4)
    text = answer.content.decode()
    assert 'data-testid="ledger-total"' in text and "512.50" in text


def test_a_station_sees_only_its_entries(county: County) -> None:
    data = dataset(county)
    answer = client_for(county.west_director).get(reverse("ledger:entry_list"), PERIOD)
    assert answer.context["total"].inputs.entries == 0
    detail = reverse("ledger:entry_detail", args=[data.patrol.pk])
    assert client_for(county.west_director).get(detail).status_code == 404
    assert client_for(county.east_officer).get(detail).status_code == 200


def test_bad_filters_are_named_on_the_page(county: County) -> None:
    answer = client_for(county.admin).get(
        reverse("ledger:entry_list"), {"from": "2026-05-01", "to": "2026-04-01", "kind": "x"}
    )
    assert answer.context["errors"] == {
        "to": "结束日期 2026-04-01 早于开始日期 2026-05-01",
        "kind": "未知的工作类型：x",
    }


def test_the_detail_links_the_records_behind_the_outputs(county: County) -> None:
    data = dataset(county)
    answer = client_for(county.east_director).get(
        reverse("ledger:entry_detail", args=[data.patrol.pk])
    )
    text = answer.content.decode()
    for inspection in data.inspections[:2]:
        assert reverse("inspections:inspection_detail", args=[inspection.pk]) in text
    assert reverse("cases:case_detail", args=[data.case.pk]) in text


def form(county: County, **values: str) -> dict[str, str]:
    data = {
        "unit": county.east.code,
        "kind": "patrol_day",
        "officer": str(county.east_officer.pk),
        "started_on": "2026-03-02",
        "ended_on": "2026-03-02",
        "officers": "1",
        "person_hours": "8",
        "vehicles": "1",
        "kilometres": "30",
        "money": "20",
    }
    data.update(values)
    return data


def test_an_entry_is_recorded_from_the_form(county: County) -> None:
    answer = client_for(county.east_director).post(reverse("ledger:entry_create"), form(county))
    entry = LedgerEntry.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("ledger:entry_detail", args=[entry.pk])


def test_bad_input_on_the_form_is_refused_and_nothing_written(county: County) -> None:
    client = client_for(county.east_director)
    answer = client.post(
        reverse("ledger:entry_create"),
        form(county, person_hours="-2", money="abc", officers="x", kilometres="5", vehicles="0"),
    )
    assert answer.status_code == 422
    assert answer.context["errors"] == {
        "money": "经费支出应为数字：abc",
        "officers": "应为整数：x",
    }
    answer = client.post(
        reverse("ledger:entry_create"),
        form(county, person_hours="-2", kilometres="5", vehicles="0"),
    )
    assert answer.context["errors"] == {
        "person_hours": "投入工时不能为负数：-2",
        "kilometres": "有行驶里程须登记至少 1 台执法车辆",
    }
    answer = client.post(reverse("ledger:entry_create"), form(county, unit="S-W"))
    assert answer.context["errors"] == {"unit": "未知的单位代码：S-W"}
    assert LedgerEntry.objects.count() == 0


def test_a_grid_officer_may_not_record(county: County) -> None:
    answer = client_for(county.east_officer).post(reverse("ledger:entry_create"), form(county))
    assert answer.status_code == 403
    assert LedgerEntry.objects.count() == 0


def test_a_correction_from_the_form_needs_its_reason(county: County) -> None:
    data = dataset(county)
    url = reverse("ledger:entry_edit", args=[data.patrol.pk])
    client = client_for(county.east_director)
    assert client.get(url).status_code == 200
    answer = client.post(url, form(county, person_hours="7"))
    assert answer.context["errors"] == {"reason": "请填写更正理由"}
    answer = client.post(url, form(county, person_hours="7", reason="少登记 1 小时"))
    assert answer.status_code == 302
    data.patrol.refresh_from_db()
    assert data.patrol.person_hours == Decimal("7")


def test_quotas_are_read_by_all_and_set_by_division_or_admin(county: County) -> None:
    url = reverse("ledger:quota_list")
    assert client_for(county.east_officer).get(url).status_code == 200
    body = {"year": "2026", "kind": "campaign", "money_per_inspection": "300"}
    assert client_for(county.east_director).post(url, body).status_code == 403
    answer = client_for(county.division_staff).post(url, {**body, "money_per_inspection": "-3"})
    assert answer.context["errors"] == {"money_per_inspection": "定额应大于 0：-3"}
    assert Quota.objects.count() == 0
    assert client_for(county.division_staff).post(url, body).status_code == 302
    assert Quota.objects.get().money_per_inspection == Decimal("300")


def test_the_efficiency_page_lists_by_unit_and_refuses_a_bad_grouping(county: County) -> None:
    dataset(county)
    url = reverse("ledger:efficiency")
    answer = client_for(county.leader).get(url, {**PERIOD, "by": "unit"})
    assert [line.key for line in answer.context["result"].lines] == ["D1", "S-E"]
    answer = client_for(county.leader).get(url, {**PERIOD, "by": "grid"})
    assert answer.context["errors"] == {"by": "未知的分组方式：grid"}


def test_the_efficiency_page_shows_overspends_with_how_much(county: County) -> None:
    data = dataset(county)
    Quota.objects.create(
        year=2026,
        kind="campaign",
        money_per_inspection=Decimal("500"),
        set_at=data.patrol.recorded_at,
    )
    answer = client_for(county.leader).get(reverse("ledger:efficiency"), PERIOD)
    text = answer.content.decode()
    assert [f.over_percent for f in answer.context["result"].overspends] == [60, 140]
    assert "140%" in text and "每户次经费" in text
    assert reverse("ledger:entry_detail", args=[data.campaign_east.pk]) in text
