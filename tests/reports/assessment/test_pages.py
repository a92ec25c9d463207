"""The pages and API of 效能考核 on made-up indicators: ranking, one result, its records, the
schemes; who may compute and weight; what each role sees."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.reports.assessment.fake import VALUES
from xiaoneng.reports.assessment import services
from xiaoneng.reports.assessment.models import Assessment, Result, Scheme
from xiaoneng.reports.assessment.periods import parse_period
from xiaoneng.reports.assessment.services import Item

pytestmark = pytest.mark.usefixtures("fake_catalogue")
WEIGHTS = [Item("rate", D("0.6"), D(100), D(50)), Item("warnings", D("0.4"), D(0), D(10))]


def assessed(county: County) -> Assessment:
    services.save_scheme(kind="officer", year=2026, name="方案", items=WEIGHTS, actor=None)
    VALUES["rate"].update({county.east_officer.pk: D(90), county.west_officer.pk: D(100)})
    VALUES["warnings"].update({county.east_officer.pk: D(0), county.west_officer.pk: D(5)})
    return services.compute(kind="officer", period=parse_period("2026-11"), actor=None)


def test_the_ranking_shows_the_users_scope_with_bureau_wide_ranks(county: County) -> None:
    assessed(county)
    page = client_for(county.leader).get("/assessment/?kind=officer&period=2026-11")
    text = page.content.decode()
    assert page.status_code == 200
    assert "88.00" in text and "80.00" in text and "无数据" in text
    east = client_for(county.east_director).get("/assessment/?kind=officer&period=2026-11")
    body = east.content.decode()
    assert "east_officer" in body or str(county.east_officer) in body
    assert str(county.west_officer) not in body  # another station's officer is not listed
    assert "按最新记录重新计算" not in body  # a director may not recompute


def test_a_period_not_computed_offers_computing_only_to_who_may(county: County) -> None:
    services.save_scheme(kind="officer", year=2026, name="方案", items=WEIGHTS, actor=None)
    leader = client_for(county.leader).get("/assessment/?period=2026-10").content.decode()
    assert "2026年10月的效能考核尚未计算" in leader and "现在计算" in leader
    officer = client_for(county.east_officer).get("/assessment/?period=2026-10").content.decode()
    assert "现在计算" not in officer and "每月初自动计算上月结果" in officer


def test_a_bad_period_is_refused_with_its_message(county: County) -> None:
    page = client_for(county.leader).get("/assessment/?period=2026-13")
    assert page.status_code == 400
    assert "考核期间应为月（2026-11）、季度（2026Q4）或年（2026）：2026-13" in page.content.decode()


def test_computing_from_the_page(county: County) -> None:
    services.save_scheme(kind="officer", year=2026, name="方案", items=WEIGHTS, actor=None)
    refused = client_for(county.east_director).post(
        "/assessment/compute/", {"kind": "officer", "period": "2026-11"}
    )
    assert refused.status_code == 403 and not Assessment.objects.exists()
    done = client_for(county.division_staff).post(
        "/assessment/compute/", {"kind": "officer", "period": "2026-11"}
    )
    assert done.status_code == 302 and done["Location"].endswith("?kind=officer&period=2026-11")
    assert Assessment.objects.get().computed_by == county.division_staff


def test_a_result_says_why_and_links_each_indicator_to_its_records(county: County) -> None:
    assessment = assessed(county)
    result = assessment.results.get(officer=county.west_officer)
    page = client_for(county.west_officer).get(f"/assessment/results/{result.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "80.00" in text and "warnings 5" in text
    assert f"/assessment/results/{result.pk}/warnings/" in text
    records = client_for(county.west_officer).get(f"/assessment/results/{result.pk}/warnings/")
    assert records.status_code == 200
    assert "某某商店" in records.content.decode() and "计入分子" in records.content.decode()
    # another station's officer's result is not found for the east officer
    other = client_for(county.east_officer).get(f"/assessment/results/{result.pk}/")
    assert other.status_code == 404
    unknown = client_for(county.west_officer).get(f"/assessment/results/{result.pk}/nope/")
    assert unknown.status_code == 404


def test_the_scheme_form_refuses_weights_not_summing_to_one(county: County) -> None:
    client = client_for(county.division_staff)
    form = client.get("/assessment/schemes/new/?kind=officer")
    assert form.status_code == 200 and "完成率" in form.content.decode()
    bad = client.post(
        "/assessment/schemes/new/",
        {
            "kind": "officer",
            "name": "新方案",
            "year": "2026",
            **{"use_rate": "1", "weight_rate": "0.5", "target_rate": "100", "floor_rate": "50"},
        },
    )
    assert bad.status_code == 400
    assert "各指标权重之和应为 1，现为 0.5" in bad.content.decode()
    assert not Scheme.objects.exists()
    good = client.post(
        "/assessment/schemes/new/",
        {
            "kind": "officer",
            "name": "新方案",
            "year": "2026",
            **{"use_rate": "1", "weight_rate": "1", "target_rate": "100", "floor_rate": "50"},
        },
    )
    assert good.status_code == 302 and Scheme.objects.get().name == "新方案"
    assert client_for(county.east_director).get("/assessment/schemes/new/").status_code == 403
    assert "新方案" in client_for(county.east_officer).get("/assessment/schemes/").content.decode()


def test_the_scheme_form_names_a_value_that_is_no_number(county: County) -> None:
    page = client_for(county.leader).post(
        "/assessment/schemes/new/",
        {"kind": "officer", "name": "方案", "year": "2026", "use_rate": "1", "weight_rate": "x"},
    )
    assert page.status_code == 400 and "应为数字：x" in page.content.decode()


# API ----------------------------------------------------------------------------------------


def test_api_results_are_scoped_and_say_no_data(county: County) -> None:
    assessed(county)
    body = client_for(county.east_director).get(
        "/api/v1/assessment/results?period=2026-11&kind=officer"
    )
    assert body.status_code == 200
    data = body.json()
    names = {r["officer"] for r in data["results"]}
    assert names == {"east_officer", "east_director"}
    assert data["ranked"] == 2
    director = next(r for r in data["results"] if r["officer"] == "east_director")
    assert director["total"] is None and director["items"][0]["value"] is None
    result = Result.objects.get(officer=county.west_officer)
    assert (
        client_for(county.east_director).get(f"/api/v1/assessment/results/{result.pk}").status_code
        == 404
    )
    records = client_for(county.leader).get(f"/api/v1/assessment/results/{result.pk}/rate/records")
    assert records.json()[0]["counts"] == "numerator"


def test_api_scheme_and_compute(county: County) -> None:
    client = client_for(county.leader)
    bad = client.post(
        "/api/v1/assessment/schemes",
        json.dumps({"kind": "officer", "year": 2026, "name": "方案", "items": []}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "items", "message": "至少选择一项指标"}]
    made = client.post(
        "/api/v1/assessment/schemes",
        json.dumps(
            {
                "kind": "officer",
                "year": 2026,
                "name": "方案",
                "items": [{"indicator": "rate", "weight": "1", "target": "100", "floor": "50"}],
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    missing = client.get("/api/v1/assessment/results?period=2026-11&kind=officer")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "2026年11月的效能考核尚未计算"
    computed = client.post(
        "/api/v1/assessment/compute",
        json.dumps({"period": "2026-11", "kind": "officer"}),
        content_type="application/json",
    )
    assert computed.status_code == 201 and computed.json()["subjects"] == 4
    refused = client_for(county.east_officer).post(
        "/api/v1/assessment/compute",
        json.dumps({"period": "2026-11", "kind": "officer"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad_period = client.post(
        "/api/v1/assessment/compute",
        json.dumps({"period": "2026Q5", "kind": "officer"}),
        content_type="application/json",
    )
    assert bad_period.status_code == 422
    assert Assessment.objects.count() == 1


def test_the_records_page_says_when_the_records_changed_since(county: County) -> None:
    services.save_scheme(kind="officer", year=2026, name="方案", items=WEIGHTS, actor=None)
    # the made-up records list one record counted in the numerator
    VALUES["rate"][county.east_officer.pk] = D(1)  # numerator 1: as listed
    VALUES["warnings"][county.east_officer.pk] = D(5)  # numerator 5: one listed now
    assessment = services.compute(kind="officer", period=parse_period("2026-11"), actor=None)
    result = assessment.results.get(officer=county.east_officer)
    client = client_for(county.east_officer)
    same = client.get(f"/assessment/results/{result.pk}/rate/").content.decode()
    assert 'data-testid="records-changed"' not in same
    changed = client.get(f"/assessment/results/{result.pk}/warnings/").content.decode()
    assert 'data-testid="records-changed"' in changed


def test_a_directors_scheme_from_the_form_the_api_and_on_the_ranking(county: County) -> None:
    client = client_for(county.division_staff)
    form = client.get("/assessment/schemes/new/?kind=officer&role=station_director")
    assert '<option value="station_director" selected>所长</option>' in form.content.decode()
    assert f'value="{timezone.localdate().year}年所长效能考核方案"' in form.content.decode()
    # a station scheme has no role to choose
    assert 'name="role"' not in client.get("/assessment/schemes/new/?kind=station").content.decode()
    made = client.post(
        "/assessment/schemes/new/",
        {
            "kind": "officer",
            "role": "station_director",
            "name": "所长方案",
            "year": "2026",
            **{"use_warnings": "1", "weight_warnings": "1", "target_warnings": "0"},
            "floor_warnings": "10",
        },
    )
    assert made.status_code == 302
    assert Scheme.objects.get(name="所长方案").role == "station_director"
    assert "仅适用于所长" in client.get("/assessment/schemes/").content.decode()
    bad = client_for(county.leader).post(
        "/api/v1/assessment/schemes",
        json.dumps(
            {
                "kind": "station",
                "role": "station_director",
                "year": 2026,
                "name": "方案",
                "items": [{"indicator": "rate", "weight": "1", "target": "100", "floor": "50"}],
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "role", "message": "只有执法人员的考核方案可以按角色制定"}
    ]
    assessment = assessed(county)
    director = assessment.results.get(officer=county.east_director)
    assert director.scheme.name == "所长方案"
    page = client.get("/assessment/?kind=officer&period=2026-11").content.decode()
    assert "所长按所长方案（2026年第1版）" in page
    api = client.get("/api/v1/assessment/results?period=2026-11&kind=officer").json()
    schemes = {r["officer"]: r["scheme"] for r in api["results"]}
    assert schemes[county.east_director.username] == director.scheme_id
    assert schemes[county.east_officer.username] == assessment.scheme_id
    listed = client.get("/api/v1/assessment/schemes").json()
    assert {s["name"]: s["role"] for s in listed} == {"所长方案": "station_director", "方案": ""}
