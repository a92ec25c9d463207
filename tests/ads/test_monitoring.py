"""Monitored ads: scanned on entry, each hit decided once, a confirmed violation filed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.ads.factories import CLEAN_TEXT, DAY, ad_input, east_entity, library, make_ad
from tests.conftest import County
from xiaoneng.ads.monitoring import services
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db
R = MonitoredAd.Review


def test_an_ad_is_scanned_on_entry(county: County) -> None:
    library()
    ad = make_ad(county)
    assert ad.review == R.PENDING and ad.library_version == 1
    assert [h.match for h in ad.hits.all()] == ["最佳", "药到病除", "无效退款"]
    assert all(ad.text[h.start : h.end] == h.match for h in ad.hits.all())
    assert ad.unit == county.east  # no local advertiser: the officer's unit
    clean = make_ad(county, text=CLEAN_TEXT)
    assert clean.review == R.CLEAN and not clean.hits.exists()


def test_each_hit_is_decided_once_with_a_note(county: County) -> None:
    library()
    ad = make_ad(county)
    first, second, third = ad.hits.all()
    with pytest.raises(InvalidInput) as error:
        services.decide_hit(hit=first, actor=county.east_officer, confirm=True, note=" ")
    assert error.value.by_field == {"note": "请填写确认意见"}
    services.decide_hit(hit=first, actor=county.east_officer, confirm=True, note="绝对化用语属实")
    with pytest.raises(Conflict, match="该命中已确认违法，不能重复确认"):
        services.decide_hit(hit=first, actor=county.east_officer, confirm=False, note="再看一次")
    ad.refresh_from_db()
    assert ad.review == R.PENDING
    services.decide_hit(hit=second, actor=county.east_officer, confirm=False, note="保健食品引用")
    services.decide_hit(hit=third, actor=county.east_officer, confirm=True, note="保证性承诺")
    ad.refresh_from_db()
    assert ad.review == R.VIOLATION
    first.refresh_from_db()
    assert (first.decision, first.decided_by, first.note) == (
        "confirmed",
        county.east_officer,
        "绝对化用语属实",
    )


def test_all_dismissed_leaves_the_ad_dismissed(county: County) -> None:
    library()
    ad = make_ad(county)
    for hit in ad.hits.all():
        services.decide_hit(hit=hit, actor=county.east_director, confirm=False, note="误报")
    ad.refresh_from_db()
    assert ad.review == R.DISMISSED
    assert services.actions_for(ad, county.east_director) == []


def test_a_confirmed_violation_by_a_local_advertiser_becomes_a_case(county: County) -> None:
    library()
    entity = east_entity(county, name="城东大药房")
    ad = make_ad(county, advertiser=entity, advertiser_name="")
    assert ad.advertiser_name == "城东大药房" and ad.unit == county.east
    with pytest.raises(Conflict, match="只有确认违法的广告才能立案"):
        services.file_case(ad=ad, actor=county.east_officer, on=DAY)
    for hit in ad.hits.all():
        services.decide_hit(hit=hit, actor=county.east_officer, confirm=True, note="属实")
    ad.refresh_from_db()
    with pytest.raises(InvalidInput) as error:
        services.file_case(ad=ad, actor=county.east_officer, on=dt.date(2026, 3, 1))
    assert error.value.by_field == {
        "received_on": "线索登记日期不能早于监测日期 2026-03-10：2026-03-01"
    }
    services.file_case(ad=ad, actor=county.east_officer, on=DAY)
    case = Case.objects.get()
    assert ad.case == case and case.kind == "advertising" and case.entity == entity
    assert "最佳" in case.facts
    with pytest.raises(Conflict, match="该广告已立案"):
        services.file_case(ad=ad, actor=county.east_officer, on=DAY)


def test_an_advertiser_outside_the_register_is_referred_not_filed(county: County) -> None:
    library()
    ad = make_ad(county)
    for hit in ad.hits.all():
        services.decide_hit(hit=hit, actor=county.east_officer, confirm=True, note="属实")
    ad.refresh_from_db()
    with pytest.raises(Conflict, match="广告主不是本地登记的市场主体"):
        services.file_case(ad=ad, actor=county.east_officer, on=DAY)
    assert not Case.objects.exists()
    assert services.actions_for(ad, county.east_officer) == ["notice"]


def test_bad_ad_input_names_each_field_and_writes_nothing(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_ad(county, medium="cinema", outlet="", kind="weapons", text="", advertiser_name="")
    assert error.value.by_field == {
        "medium": "媒介类型无效：cinema",
        "outlet": "请填写发布媒体（位置）",
        "kind": "广告类别无效：weapons",
        "text": "请填写广告内容",
        "advertiser_name": "请填写广告主名称",
    }
    future = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput) as error:
        make_ad(county, captured_at=future)
    assert list(error.value.by_field) == ["captured_at"]
    assert error.value.by_field["captured_at"].startswith("监测时间不能晚于现在：")
    early = timezone.make_aware(dt.datetime(2025, 12, 1, 9, 0))
    with pytest.raises(InvalidInput) as error:
        make_ad(county, advertiser=east_entity(county), captured_at=early)
    assert error.value.by_field == {"captured_at": "监测时间不能早于广告主入册日期 2026-01-05"}
    with pytest.raises(InvalidInput) as error:
        make_ad(county, captured_at=None)
    assert error.value.by_field == {"captured_at": "请填写监测时间"}
    assert not MonitoredAd.objects.exists() and not AdHit.objects.exists()


def test_other_units_and_readers_are_refused(county: County) -> None:
    library()
    ad = make_ad(county)
    hit = ad.hits.first()
    assert hit is not None
    with pytest.raises(NotPermitted):
        services.decide_hit(hit=hit, actor=county.west_officer, confirm=True, note="属实")
    with pytest.raises(NotPermitted):
        services.record_ad(actor=county.leader, ad=ad_input())
    with pytest.raises(NotPermitted):
        make_ad(county, advertiser=east_entity(county), actor=county.west_officer)
