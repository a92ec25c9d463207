"""The period report page and GET /api/v1/reports/period: sentences, tables, downloads, errors
named by field, and another station's unit refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import County, client_for
from tests.reports.helpers import HEADLINE, make_case, seed_cases
from xiaoneng.cases.models import Target, TargetMetric

URL = "/reports/period/"
API = "/api/v1/reports/period"
HALF = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture
def half_year(county: County) -> County:
    seed_cases(county)
    Target.objects.create(
        unit=county.bureau,
        year=2026,
        metric=TargetMetric.FINES_COLLECTED,
        value=Decimal("1205000.00"),
    )
    return county


def test_the_url_is_named_for_the_menu() -> None:
    assert reverse("reports:period_report") == URL


def test_the_page_shows_the_sentences_then_the_tables(half_year: County) -> None:
    response = client_for(half_year.leader).get(URL, {**HALF, "unit": "B"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "示范县市场监督管理局2026年上半年工作情况" in html
    assert HEADLINE in html
    assert html.index(HEADLINE) < html.index("罚没款入库（万元）")
    assert "download=xlsx" in html and "download=md" in html


def test_the_page_defaults_to_this_year_and_a_station_users_station(county: County) -> None:
    response = client_for(county.east_officer).get(URL)
    assert response.status_code == 200
    assert response.context["values"]["unit"] == "S-E"
    assert response.context["report"].unit_code == "S-E"


@pytest.mark.parametrize("who", ["division_staff", "leader"])
def test_the_page_defaults_to_the_whole_bureau_for_bureau_wide_roles(
    county: County, who: str
) -> None:
    today = timezone.localdate()
    make_case(county.east, county.east_officer, filed_on=today.replace(month=1, day=1))
    make_case(county.west, county.west_officer, filed_on=today)
    response = client_for(getattr(county, who)).get(URL)
    assert response.status_code == 200
    assert response.context["values"]["unit"] == "B"
    report = response.context["report"]
    assert (report.unit_code, report.cases.filed) == ("B", 2)
    assert "立案查处各类案件2起。" in response.context["sentences"]


def test_downloads_xlsx_and_markdown(half_year: County) -> None:
    client = client_for(half_year.leader)
    xlsx = client.get(URL, {**HALF, "download": "xlsx"})
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content))["报告"]["A3"].value == HEADLINE
    md = client.get(URL, {**HALF, "download": "md"})
    assert md["Content-Type"].startswith("text/markdown")
    assert HEADLINE in md.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-07-01", "to": "2026-06-30"}, "to", "结束日期 2026-06-30 早于开始日期"),
        ({"from": "01/01/2026", "to": "2026-06-30"}, "from", "开始日期应为 YYYY-MM-DD 格式"),
        ({"from": "2020-01-01", "to": "2026-06-30"}, "to", "报告期间不能超过 3 年"),
        ({**HALF, "unit": "NOPE"}, "unit", "未知的单位代码：NOPE"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    county: County, params: dict[str, str], field: str, message: str
) -> None:
    response = client_for(county.leader).get(URL, params)
    assert response.status_code == 200
    assert message in response.context["errors"][field]
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert response.context["report"] is None


def test_a_download_with_bad_input_gives_the_form_not_a_file(county: County) -> None:
    response = client_for(county.leader).get(URL, {"from": "x", "to": "y", "download": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_another_stations_unit_is_refused(county: County) -> None:
    make_case(county.west, county.west_officer)
    response = client_for(county.east_director).get(URL, {**HALF, "unit": "S-W"})
    assert response.status_code == 403
    assert response.context["errors"]["unit"] == "单位不在您的辖区内：S-W"
    assert response.context["report"] is None
    downloaded = client_for(county.east_director).get(
        URL, {**HALF, "unit": "S-W", "download": "md"}
    )
    assert downloaded.status_code == 403


def test_the_unit_choices_are_the_users_scope(county: County) -> None:
    response = client_for(county.east_director).get(URL)
    assert [u.code for u in response.context["units"]] == ["S-E"]


def test_anonymous_users_are_sent_to_log_in(county: County) -> None:
    from django.test import Client

    assert Client().get(URL).status_code == 302


# API ------------------------------------------------------------------------------------------


def test_api_answers_figures_and_sentences(half_year: County) -> None:
    response = client_for(half_year.division_staff).get(API, HALF)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sentences"][0] == HEADLINE
    assert (body["unit"], body["title"]) == ("B", "示范县市场监督管理局2026年上半年工作情况")
    assert (body["cases"]["filed"], body["cases"]["major"]) == (124, 48)
    assert Decimal(body["cases"]["value"]) == Decimal("10091100.00")
    assert body["cases"]["targets"][0]["rate"] == 128
    assert body["inspections"]["signed"] == 0


def test_api_station_report(county: County) -> None:
    make_case(county.east, county.east_officer)
    make_case(county.west, county.west_officer)
    body = client_for(county.leader).get(API, {**HALF, "unit": "S-W"}).json()
    assert (body["unit"], body["cases"]["filed"]) == ("S-W", 1)


def test_api_bad_input_names_the_field(county: County) -> None:
    response = client_for(county.leader).get(API, {"from": "2026/1/1", "to": "2026-06-30"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "from", "message": "开始日期应为 YYYY-MM-DD 格式的日期：2026/1/1"}
    ]


def test_api_refuses_another_stations_unit(county: County) -> None:
    response = client_for(county.east_officer).get(API, {**HALF, "unit": "S-W"})
    assert response.status_code == 403
    assert response.json()["errors"] == [{"field": "unit", "message": "单位不在您的辖区内：S-W"}]
