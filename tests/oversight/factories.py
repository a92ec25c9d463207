"""Factories for oversight: director spot checks (所长抽查) and division supervision (督办).

Rows are written directly, as the services would leave them; tests of the drawing and
supervision rules themselves go through ``xiaoneng.oversight.services``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """A month's spot-check round of ``unit``."""

    class Meta:
        model = ReviewRound

    month = "2026-03"
    rate = Decimal("0.050")
    seed = factory.Sequence(lambda n: f"{n:064x}")
    population = 1
    drawn_at = factory.LazyFunction(timezone.now)


class DirectorReviewFactory(factory.django.DjangoModelFactory):
    """A pending review of ``inspection`` in ``round``, of the inspection's station."""

    class Meta:
        model = DirectorReview

    round = factory.SubFactory(ReviewRoundFactory, unit=factory.SelfAttribute("..inspection.unit"))
    unit = factory.SelfAttribute("inspection.unit")


class SupervisionItemFactory(factory.django.DjangoModelFactory):
    """An open matter ``issued_by`` a division puts to the station ``unit`` (督办)."""

    class Meta:
        model = SupervisionItem

    title = factory.Sequence(lambda n: f"核查群众投诉{n}")
    description = "群众投诉后厨卫生差，请核查处理并回复。"
    issued_by_unit = factory.SelfAttribute("issued_by.unit")
    issued_on = dt.date(2026, 3, 2)
    deadline = dt.date(2026, 3, 16)
