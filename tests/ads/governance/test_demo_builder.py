"""The demo builder on the small county: reviewers and parties at different rungs, some
proposals pending, quarterly meetings with follow-ups, every date within the year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from tests.ads.governance.factories import FOUNDED
from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.ads.governance import services
from xiaoneng.ads.governance.models import (
    AdReviewer,
    FollowUpItem,
    JointMeeting,
    LadderDecision,
    LadderEvent,
)
from xiaoneng.demo.ads_governance import build_ads_governance
from xiaoneng.demo.org import Organisation

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 9, 1, 12))


def test_the_demo_builds_ladders_at_every_rung_and_a_years_meetings(county: County) -> None:
    lon, lat = county.east_point()
    for n in range(10):
        make_entity(
            name=f"城东第{n}广告传媒有限公司",
            industry="L7259",
            longitude=lon,
            latitude=lat,
            established=FOUNDED,
        )
    organisation = Organisation(
        bureau=county.bureau,
        stations=[county.east, county.west],
        grids=[],
        directors={county.east.pk: county.east_director.pk},
    )
    build_ads_governance(np.random.default_rng(1), organisation, now=NOW, progress=lambda _: None)
    first, last = dt.date(2025, 9, 2), dt.date(2026, 9, 1)
    assert AdReviewer.objects.count() == 8
    assert AdReviewer.objects.filter(qualification_cancelled_on__isnull=False).count() == 1
    assert all(first <= e.occurred_on <= last for e in LadderEvent.objects.all())
    assert all(d.decided_by == county.east_director for d in LadderDecision.objects.all())
    assert LadderDecision.objects.filter(confirmed=False).count() == 1
    pending = set()
    for reviewer in AdReviewer.objects.all():
        pending |= {p.step for p in services.history(services.Subject(reviewer=reviewer)).proposals}
    parties = {e.party for e in LadderEvent.objects.filter(party__isnull=False)}
    for party in parties:
        pending |= {p.step for p in services.history(services.Subject(party=party)).proposals}
    assert {
        "no_promotion",
        "probation",
        "dismissal",
        "public_criticism",
        "warning_penalty",
    } <= pending
    assert {"interview", "verification"} <= pending
    assert LadderDecision.objects.filter(step="verification", outcome="deferred").exists()
    held = list(JointMeeting.objects.order_by("held_on"))
    assert len(held) == 4 and all(first <= m.held_on <= last for m in held)
    assert FollowUpItem.objects.filter(status="done").exists()
    assert all(
        i.done_on is None or i.meeting.held_on <= i.done_on for i in FollowUpItem.objects.all()
    )
