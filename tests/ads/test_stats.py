"""The campaign statistics: figures by month, medium, category and unit; page and XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.ads.factories import CLEAN_TEXT, DAY, east_entity, library, make_ad, make_notice
from tests.conftest import County, client_for
from xiaoneng.ads.monitoring import services as monitoring
from xiaoneng.ads.monitoring.views import ads_for
from xiaoneng.ads.notices import services as notices
from xiaoneng.ads.notices.views import notices_for
from xiaoneng.ads.operators.views import checks_for
from xiaoneng.ads.stats.figures import ad_figures, sheet_rows

pytestmark = pytest.mark.django_db


def world(county: County) -> None:
    library()
    entity = east_entity(county, name="城东大药房")
    bad = make_ad(county, advertiser=entity, advertiser_name="")
    for hit in bad.hits.all():
        monitoring.decide_hit(hit=hit, actor=county.east_officer, confirm=True, note="属实")
    bad.refresh_from_db()
    monitoring.file_case(ad=bad, actor=county.east_officer, on=DAY)
    make_ad(
        county,
        medium="newspaper",
        text=CLEAN_TEXT,
        captured_at=timezone.make_aware(dt.datetime(2026, 4, 2, 9, 0)),
    )
    notice = make_notice(county, ad=bad)
    notices.record_outcome(
        notice=notice, actor=county.east_officer, complied=True, on=DAY, note="已撤下"
    )
    make_notice(county, issued_on=dt.date(2026, 4, 1), deadline=dt.date(2026, 4, 20))


def test_the_figures_are_counted_once_per_breakdown(county: County) -> None:
    world(county)
    user = county.east_officer
    figures = ad_figures(
        ads_for(user),
        notices_for(user),
        checks_for(user),
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        {"S-E": "城东所"},
    )
    assert figures.total.values() == [2, 3, 3, 2, 1, 1]
    assert [(r.key, r.values()) for r in figures.by_month] == [
        ("2026-03", [1, 3, 3, 1, 1, 1]),
        ("2026-04", [1, 0, 0, 1, 0, 0]),
    ]
    assert [(r.label, r.ads, r.notices) for r in figures.by_medium] == [
        ("未关联监测广告", 0, 1),
        ("报刊", 1, 0),
        ("电视", 1, 1),
    ]
    assert [(r.key, r.hits, r.confirmed) for r in figures.by_category] == [
        ("absolute", 1, 1),
        ("guarantee", 1, 1),
        ("medical_claim", 1, 1),
    ]
    assert [(r.label, r.values()) for r in figures.by_unit] == [("城东所", [2, 3, 3, 2, 1, 1])]
    assert sheet_rows(figures)[0] == ["合计", "合计", 2, 3, 3, 2, 1, 1]


def test_the_page_and_the_xlsx_show_the_same_figures(county: County) -> None:
    world(county)
    client = client_for(county.leader)
    page = client.get("/ads/stats/?from=2026-01-01&to=2026-12-31").content.decode()
    assert "按媒介类型" in page and "城东所" in page
    response = client.get("/ads/stats/xlsx/?from=2026-01-01&to=2026-12-31")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["分组", "项目", "监测广告", "命中", "确认违法", "文书", "已履行", "立案"]
    assert rows[1] == ["合计", "合计", 2, 3, 3, 2, 1, 1]
    west = client_for(county.west_officer).get("/ads/stats/xlsx/?from=2026-01-01&to=2026-12-31")
    assert [
        c.value for c in next(load_workbook(io.BytesIO(west.content)).active.iter_rows(min_row=2))
    ] == ["合计", "合计", 0, 0, 0, 0, 0, 0]


def test_a_bad_period_is_named(county: County) -> None:
    page = client_for(county.east_officer).get("/ads/stats/?from=2026-13-01&to=2026-01-01&unit=X")
    text = page.content.decode()
    assert "起始日期格式应为 YYYY-MM-DD：2026-13-01" in text
    assert "未找到该单位：X" in text
