"""The accountability pages: who sees which actions, the form (prefilled from a source, its
bad input shown on the fields with nothing written), the detail with its sources, revocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import County, client_for
from tests.timeliness.accountability.factories import (
    DAY,
    decide,
    make_callback,
    make_confirmed_flag,
    make_warning,
)
from xiaoneng.timeliness.accountability.models import AccountabilityAction

pytestmark = pytest.mark.django_db

LIST = reverse("timeliness:accountability_list")
NEW = reverse("timeliness:accountability_create")


def listed(county: County, who: str, **query: str) -> list[AccountabilityAction]:
    response = client_for(getattr(county, who)).get(LIST, query)
    assert response.status_code == 200
    return list(response.context["page"])


def test_an_officer_sees_his_own_actions_and_no_colleagues(county: County) -> None:
    own = decide(county)
    colleague = decide(county, officer=county.east_director)
    assert listed(county, "east_officer") == [own]
    detail = reverse("timeliness:accountability_detail", args=[colleague.pk])
    assert client_for(county.east_officer).get(detail).status_code == 404
    own_page = client_for(county.east_officer).get(
        reverse("timeliness:accountability_detail", args=[own.pk])
    )
    assert own_page.status_code == 200
    assert "办件超期未办结" in own_page.content.decode()
    assert 'data-testid="revoke-form"' not in own_page.content.decode()


def test_the_station_director_sees_his_station_and_not_the_other(county: County) -> None:
    east = decide(county)
    decide(county, officer=county.west_officer)
    assert listed(county, "east_director") == [east]
    assert len(listed(county, "division_staff")) == 2
    assert len(listed(county, "admin")) == 2


def test_the_list_filters_by_kind_unit_and_year(county: County) -> None:
    admonition = decide(county)
    criticism = decide(county, kind="criticism", officer=county.west_officer)
    assert listed(county, "leader", kind="criticism") == [criticism]
    assert listed(county, "leader", unit="S-E") == [admonition]
    assert listed(county, "leader", year="2026") == [criticism, admonition]
    assert listed(county, "leader", year="2025") == []


def test_the_detail_links_its_sources(county: County) -> None:
    flag = make_confirmed_flag(county)
    action = decide(county, trace_flag=flag, deduction="500")
    page = client_for(county.leader).get(
        reverse("timeliness:accountability_detail", args=[action.pk])
    )
    text = page.content.decode()
    assert reverse("inspections:trace_flag_detail", args=[flag.pk]) in text
    assert "500.00" in text
    assert 'data-testid="revoke-form"' in text


def test_the_form_is_prefilled_from_a_warning(county: County) -> None:
    warning = make_warning(county)
    response = client_for(county.division_staff).get(NEW, {"warning": warning.pk})
    assert response.context["form"]["warning"] == str(warning.pk)
    assert response.context["form"]["officer"] == "east_officer"


def test_the_form_decides_an_action(county: County) -> None:
    callback = make_callback(county)
    response = client_for(county.division_staff).post(
        NEW,
        {
            "officer": "east_officer",
            "kind": "criticism",
            "facts": "回访中群众反映服务态度生硬。",
            "rule": "《行政问责办法》第六条",
            "deduction": "200.00",
            "decided_on": str(DAY),
            "callback": f"#{callback.pk}",
        },
    )
    action = AccountabilityAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("timeliness:accountability_detail", args=[action.pk])
    assert action.callback == callback and action.deduction == Decimal("200.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deduction", "-5", "扣发补助不能为负数：-5"),
        ("deduction", "1.001", "扣发补助最多两位小数（元）：1.001"),
        ("kind", "fine", "之一：fine"),
        ("decided_on", "2026-02-30", "请填写决定日期（YYYY-MM-DD）：2026-02-30"),
        ("officer", "nobody", "未找到该执法人员：nobody"),
        ("warning", "999999", "未找到该预警：999999"),
        ("facts", "", "请填写问责事实"),
    ],
)
def test_the_form_shows_bad_input_on_its_field(
    county: County, field: str, value: str, message: str
) -> None:
    data = {
        "officer": "east_officer",
        "kind": "admonition",
        "facts": "事实",
        "rule": "依据",
        "decided_on": str(DAY),
    } | {field: value}
    response = client_for(county.division_staff).post(NEW, data)
    assert response.status_code == 200
    assert message in response.context["errors"][field]
    assert message in response.content.decode()
    assert not AccountabilityAction.objects.exists()


def test_the_form_refuses_an_officer_of_another_station_to_a_station_director(
    county: County,
) -> None:
    assert client_for(county.east_director).get(NEW).status_code == 403


def test_revoke_from_the_page(county: County) -> None:
    action = decide(county)
    url = reverse("timeliness:accountability_revoke", args=[action.pk])
    assert client_for(county.leader).post(url, {"reason": ""}).status_code == 422
    response = client_for(county.leader).post(url, {"reason": "复核后撤销"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.revoked_reason == "复核后撤销"
    assert client_for(county.east_officer).post(url, {"reason": "x"}).status_code == 403
