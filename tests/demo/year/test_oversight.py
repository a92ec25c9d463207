"""`xiaoneng demo`: the year's oversight — trace flags, director spot checks, supervision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from tests.demo.year.conftest import today
from xiaoneng.demo.oversight.flags import SETTLED_AFTER
from xiaoneng.inspections.models import Inspection, TraceFlag
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_trace_flags_come_from_the_engine_and_most_are_settled() -> None:
    flags = TraceFlag.objects.all()
    records = Inspection.objects.count()
    assert 0.005 <= flags.count() / records <= 0.08
    assert len(set(flags.values_list("kind", flat=True))) >= 4
    # Flags older than the demo's settling time have all been dealt with (younger ones may).
    old = flags.filter(raised_at__lt=timezone.now() - SETTLED_AFTER)
    assert not old.filter(status=TraceFlag.Status.OPEN).exists()
    settled = flags.exclude(status=TraceFlag.Status.OPEN)
    assert not settled.filter(Q(resolution="") | Q(resolved_by__isnull=True)).exists()
    confirmed = flags.filter(status=TraceFlag.Status.CONFIRMED).count()
    assert 0 < confirmed < 0.5 * settled.count()
    for flag in settled.select_related("inspection")[:50]:
        assert flag.inspection.signed_at <= flag.raised_at < flag.resolved_at  # type: ignore[operator]


def test_director_samples_verify_with_the_oversight_rule_and_last_month_waits() -> None:
    rounds = ReviewRound.objects.all()
    assert rounds.count() >= 6 * 10
    last_month = (today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    for review_round in rounds.order_by("?")[:10]:
        # The very check `xiaoneng review verify` and the round's page make.
        assert director_reviews.verify_round(review_round), director_reviews.check_round(
            review_round
        )
        population = director_reviews.population(
            review_round.unit, director_reviews.parse_month(review_round.month)
        )
        assert population.count() == review_round.population
        pending = review_round.reviews.filter(status=DirectorReview.Status.PENDING).count()
        if review_round.month == last_month:
            assert pending == review_round.reviews.count()
        else:
            assert pending == 0
    assert DirectorReview.objects.filter(status=DirectorReview.Status.PROBLEM).exists()


def test_supervision_items_are_mostly_closed_a_couple_overdue() -> None:
    items = SupervisionItem.objects.all()
    assert items.count() >= 24
    closed = items.filter(status=SupervisionItem.Status.CLOSED).count()
    assert closed > 0.6 * items.count()
    overdue = items.exclude(status=SupervisionItem.Status.CLOSED).filter(deadline__lt=today())
    assert 1 <= overdue.count() <= 8
