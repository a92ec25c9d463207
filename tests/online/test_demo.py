"""The demo's online monitoring: a year of batches, networks, flagged sellers, decisions."""

from __future__ import annotations

import datetime as dt

import numpy as np

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.online import build_online
from xiaoneng.online.models import Batch, Listing, Seller
from xiaoneng.online.sellers.networks import networks


def test_the_demo_builds_a_year_of_monitoring(county: County) -> None:
    lon, lat = county.east_point()
    for n in range(20):
        make_entity(name=f"城东商户{n}", longitude=lon, latitude=lat)
    now = local_moment(dt.date(2026, 11, 20), 12)
    build_online(np.random.default_rng(1), None, now=now, progress=lambda text: None)  # type: ignore[arg-type]
    assert Batch.objects.count() == 11
    # Nothing after now: the last listings are yesterday's, imported that evening.
    assert not Listing.objects.filter(captured_at__gt=now).exists()
    assert not Batch.objects.filter(imported_at__gt=now).exists()
    assert Listing.objects.filter(captured_at__date__gte=dt.date(2026, 11, 15)).exists()
    assert 2500 < Listing.objects.count() <= 3600
    assert Listing.objects.filter(hit_count__gt=0).exists()
    assert Seller.objects.filter(uscc_check="active").count() >= 15
    assert Seller.objects.filter(uscc_check="invalid").count() == 3
    assert Seller.objects.filter(uscc_check="unknown").count() == 2
    found = networks(Seller.objects.all())
    assert len(found) >= 4
    decided = set(Seller.objects.exclude(status="pending").values_list("status", flat=True))
    assert decided == {"referral", "dismissed"} or decided == {"task", "referral", "dismissed"}
