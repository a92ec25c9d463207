"""The demo county's confirmed ads ordered rectified: findings after the capture, orders with
realistic deadlines, some rectified, some overdue."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.utils import timezone

from tests.ads.test_demo import demo_county  # noqa: F401  (the module's demo county)
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.inspections.followup.models import Finding, Rectification

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def test_some_confirmed_ads_are_ordered_rectified_consistently_in_time() -> None:
    today = timezone.localdate()
    ads = MonitoredAd.objects.filter(finding__isnull=False).select_related("finding__rectification")
    assert ads.count() >= 5
    for ad in ads:
        finding = ad.finding
        assert finding is not None and finding.inspection_id is None
        assert ad.review == "violation" and ad.advertiser_id == finding.entity_id
        order = finding.rectification
        assert order is not None and order.source.startswith("广告监测")
        captured = timezone.localdate(ad.captured_at)
        assert captured <= finding.found_on <= order.issued_on <= today
        assert order.issued_on < order.deadline
        assert 5 <= order.working_days <= 15
        if order.closed_on is not None:
            assert order.issued_on < order.closed_on <= min(order.deadline, today)
    orders = Rectification.objects.filter(inspection__isnull=True)
    assert orders.filter(status="rectified").exists()
    assert orders.filter(status__in=("open", "warned"), deadline__lt=today).exists()
    assert not Finding.objects.filter(
        inspection__isnull=True, found_on__gt=F("rectification__issued_on")
    ).exists()
