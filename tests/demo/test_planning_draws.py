"""The demo county's draws: two published and verifiable, one committed, a few 回避."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from xiaoneng.demo.org import build_organisation
from xiaoneng.demo.planning import build_draws
from xiaoneng.demo.registry import build_register
from xiaoneng.planning.draws.models import ConflictDeclaration, RandomDraw
from xiaoneng.planning.draws.verify import verify_draw


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_has_two_published_verifiable_draws_of_the_past_year() -> None:
    rng = np.random.default_rng(11)
    now = timezone.now()
    organisation = build_organisation(rng, password_hash="!", progress=lambda _line: None)
    build_register(rng, organisation, count=4000, now=now, progress=lambda _line: None)
    build_draws(rng, organisation.bureau, organisation.stations, now=now, progress=print)
    published = list(RandomDraw.objects.filter(status=RandomDraw.Status.PUBLISHED))
    assert len(published) == 2
    for draw in published:
        assert verify_draw(draw=draw).verified
        assert now - dt.timedelta(days=366) < draw.drawn_at < now  # type: ignore[operator]
        assert draw.publication.deadline is not None
    assert RandomDraw.objects.filter(status=RandomDraw.Status.COMMITTED).count() == 1
    assert ConflictDeclaration.objects.count() >= 4


@pytest.mark.slow
@pytest.mark.django_db
def test_a_tiny_demo_county_skips_the_draws_it_cannot_hold() -> None:
    rng = np.random.default_rng(3)
    organisation = build_organisation(rng, password_hash="!", progress=lambda _line: None)
    build_draws(rng, organisation.bureau, organisation.stations, progress=lambda _line: None)
    assert not RandomDraw.objects.exists()
