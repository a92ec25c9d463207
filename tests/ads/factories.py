"""Ad operators, filings, monitored ads and notices for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.conftest import County
from tests.keywords.factories import load
from tests.registry.factories import make_entity
from xiaoneng.ads.filings import services as filings
from xiaoneng.ads.filings.models import Filing
from xiaoneng.ads.monitoring import services as monitoring
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices import services as notices
from xiaoneng.ads.notices.models import AdNotice
from xiaoneng.ads.operators import services as operators
from xiaoneng.ads.operators.models import AdOperator
from xiaoneng.registry.models import Entity

# Entities of make_entity are registered on 2026-01-05.
DAY = dt.date(2026, 3, 10)
CLEAN_TEXT = "本院新开设中医理疗科，地址：人民路12号，咨询电话0991-1234567。"
BAD_TEXT = "全疆最佳的保健品，三天药到病除，无效退款！"


def library() -> None:
    """The small test library of the keywords tests (最佳 / 药到病除 / 无效退款…)."""
    load()


def east_entity(county: County, name: str = "城东广告传媒有限公司", **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(name=name, longitude=lon, latitude=lat, industry="L7251", **values)


def west_entity(county: County, name: str = "城西广告有限公司") -> Entity:
    lon, lat = county.west_point()
    return make_entity(name=name, longitude=lon, latitude=lat, industry="L7251")


def make_operator(county: County, **values: Any) -> AdOperator:
    given: dict[str, Any] = {
        "actor": county.east_officer,
        "role": AdOperator.Role.OPERATOR,
        "since": dt.date(2026, 1, 10),
    }
    given.update(values)
    if "entity" not in given:
        given["entity"] = east_entity(county)
    return operators.register_operator(**given)


def make_filing(county: County, **values: Any) -> Filing:
    given: dict[str, Any] = {
        "actor": county.east_officer,
        "kind": "health_food",
        "title": "某某牌蛋白粉电视广告",
        "text": "本品适宜免疫力低下者，不能代替药物。",
        "medium": "tv",
        "submitted_on": DAY,
        "approval_number": "新食健广审（视）第260101-00012号",
        "approval_expires_on": dt.date(2027, 1, 1),
    }
    given.update(values)
    if "advertiser" not in given:
        given["advertiser"] = east_entity(county, name="城东保健品商行")
    return filings.submit_filing(**given)


def ad_input(**values: Any) -> monitoring.AdInput:
    given: dict[str, Any] = {
        "medium": "tv",
        "outlet": "示范县电视台综合频道",
        "advertiser": None,
        "advertiser_name": "外地某保健品公司",
        "kind": "health_food",
        "text": BAD_TEXT,
        "captured_at": timezone.make_aware(dt.datetime(2026, 3, 10, 20, 30)),
    }
    given.update(values)
    return monitoring.AdInput(**given)


def make_ad(county: County, **values: Any) -> MonitoredAd:
    actor = values.pop("actor", county.east_officer)
    return monitoring.record_ad(actor=actor, ad=ad_input(**values))


def make_notice(county: County, **values: Any) -> AdNotice:
    given: dict[str, Any] = {
        "actor": county.east_officer,
        "kind": AdNotice.Kind.WARNING,
        "issued_on": DAY,
        "deadline": DAY + dt.timedelta(days=10),
        "content": "你单位发布的广告含有“最佳”等绝对化用语，违反《广告法》第九条第（三）项。",
    }
    given.update(values)
    if "entity" not in given and "party" not in given and "ad" not in given:
        given["entity"] = east_entity(county, name="城东药店")
    return notices.issue_notice(**given)
