"""Director spot checks (所长抽查, 篇2): each month's sample of a station's signed inspections,
drawn from a seed fixed and stored before drawing, and the director's conclusion on each.

Anyone can draw a round again and compare (``verify_round``): numpy's ``default_rng`` is seeded
with the SHA-256 of the seed string; the officers are taken by ascending id, and for each a
random permutation of their records (by ascending id) is drawn; the first k of it are the
sample, k = max(⌈rate × n⌉, minimum), at most n.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.core.months import Month, parse_month
from xiaoneng.inspections.models import Inspection, InspectionOfficer
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.reviews.transitions import DIRECTOR_REVIEW

SEED_LENGTH = 64
METHOD_LENGTH = 100
RATE_STEP = Decimal("0.001")


# Months -----------------------------------------------------------------------------------------


def last_month(today: dt.date | None = None) -> str:
    """The month before ``today``'s (the latest one that may be drawn)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


# Director spot checks (所长抽查) ----------------------------------------------------------------


def population(unit: Unit, month: Month) -> QuerySet[Inspection]:
    """The records a round samples: the unit's records signed in the month (amendments aside:
    they correct a visit, they are not one)."""
    start, end = month.bounds()
    return Inspection.objects.filter(
        unit=unit,
        status=Inspection.Status.SIGNED,
        signed_at__gte=start,
        signed_at__lt=end,
        amends__isnull=True,
    )


def by_officer(records: QuerySet[Inspection]) -> dict[int, list[int]]:
    """Record ids by lead officer, both ascending."""
    groups: dict[int, list[int]] = defaultdict(list)
    for officer, pk in records.order_by("lead_officer_id", "id").values_list(
        "lead_officer_id", "id"
    ):
        groups[officer].append(pk)
    return dict(groups)


def permutations(seed: str, groups: dict[int, list[int]]) -> dict[int, list[int]]:
    """Each officer's records in the random order the seed gives (officers by ascending id)."""
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))
    return {
        officer: [groups[officer][i] for i in rng.permutation(len(groups[officer])).tolist()]
        for officer in sorted(groups)
    }


def draw_sample(seed: str, groups: dict[int, list[int]], rate: Decimal, minimum: int) -> list[int]:
    """The records drawn from ``groups`` (lead officer → record ids): the first
    ``sample_size`` of each officer's permutation, as sorted ids."""
    return sorted(
        pk
        for order in permutations(seed, groups).values()
        for pk in order[: sample_size(len(order), rate, minimum)]
    )


def sample_size(n: int, rate: Decimal, minimum: int) -> int:
    """max(⌈rate × n⌉, minimum), at most n; none of none."""
    if n <= 0:
        return 0
    return min(n, max(math.ceil(rate * n), minimum))


def _check_rate(rate: Any) -> Decimal:
    try:
        value = Decimal(str(rate)).quantize(RATE_STEP)
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not Decimal(0) < value <= Decimal(1):
        raise InvalidInput.single(
            "rate", _("抽查比例应大于 0 且不超过 1：“%(value)s”") % {"value": rate}
        )
    return value


def _check_draw(unit: Unit, month: Month, seed: str | None) -> None:
    errors = []
    if unit.kind != Unit.Kind.STATION:
        errors.append(FieldError("unit", _("只能抽查所的检查记录：%(unit)s") % {"unit": unit}))
    if month.last >= timezone.localdate():
        errors.append(
            FieldError("month", _("%(month)s 尚未结束，月份结束后才能抽查") % {"month": month.text})
        )
    if seed is not None and not 0 < len(seed) <= SEED_LENGTH:
        errors.append(FieldError("seed", _("随机种子应为 1 至 %(n)d 个字符") % {"n": SEED_LENGTH}))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def draw_reviews(
    *,
    unit: Unit,
    month: str,
    actor: Officer | None = None,
    rate: Any = None,
    seed: str | None = None,
) -> ReviewRound:
    """Draw a station's spot-check sample of a finished month (one round per unit and month:
    drawing again returns the round already drawn).

    From the records signed in the month, each lead officer's ⌈rate × n⌉ records are drawn,
    at least ``DIRECTOR_REVIEW_MINIMUM`` (篇2 所长抽查); the seed is fixed and stored first.
    """
    if actor is not None:
        access.require(actor, access.REVIEW_INSPECTIONS)
        access.require_unit(actor, unit.pk)
    period = parse_month(month)
    rate_value = _check_rate(settings.DIRECTOR_REVIEW_RATE if rate is None else rate)
    _check_draw(unit, period, seed)
    existing = ReviewRound.objects.filter(unit=unit, month=period.text).first()
    if existing is not None:
        return existing
    seed = seed or f"{unit.code}:{period.text}:{secrets.token_hex(8)}"
    minimum = int(settings.DIRECTOR_REVIEW_MINIMUM)
    try:
        with transaction.atomic(), audit.attributed(actor):
            groups = by_officer(population(unit, period))
            drawn = ReviewRound.objects.create(
                unit=unit,
                month=period.text,
                rate=rate_value,
                seed=seed,
                population=sum(len(ids) for ids in groups.values()),
                drawn_at=timezone.now(),
                drawn_by=actor if getattr(actor, "pk", None) else None,
            )
            for pk in draw_sample(seed, groups, rate_value, minimum):
                DirectorReview.objects.create(round=drawn, inspection_id=pk, unit=unit)
    except IntegrityError:
        # Drawn at the same moment by someone else: theirs stands.
        return ReviewRound.objects.get(unit=unit, month=period.text)
    return drawn


@dataclass(frozen=True)
class Verification:
    """The outcome of drawing a round again: whether it matches, and what does not."""

    verified: bool
    problems: list[str]


def check_round(drawn: ReviewRound) -> Verification:
    """Draw ``drawn`` again from its seed and compare, officer by officer."""
    period = parse_month(drawn.month)
    groups = by_officer(population(drawn.unit, period))
    problems = []
    size = sum(len(ids) for ids in groups.values())
    if size != drawn.population:
        problems.append(
            _("已签名记录数现为 %(now)d，抽取时为 %(then)d")
            % {"now": size, "then": drawn.population}
        )
    reviewed: dict[int, set[int]] = defaultdict(set)
    for officer, pk in drawn.reviews.values_list("inspection__lead_officer_id", "inspection_id"):
        reviewed[officer].add(pk)
    order = permutations(drawn.seed, groups)
    for officer in sorted(set(order) | set(reviewed)):
        chosen = reviewed.get(officer, set())
        records = order.get(officer, [])
        least = sample_size(len(records), drawn.rate, 1)
        if set(records[: len(chosen)]) != chosen or len(chosen) < least:
            problems.append(_("执法人员 #%(officer)d 的抽查记录与种子不符") % {"officer": officer})
    return Verification(not problems, problems)


def verify_round(drawn: ReviewRound) -> bool:
    """Whether drawing ``drawn`` again from its seed gives the same records."""
    return check_round(drawn).verified


# Who reviews a sampled record -------------------------------------------------------------------


def _on_team(officer: Officer) -> Q:
    """Whether ``officer`` led the sampled record or was on its team."""
    team = InspectionOfficer.objects.filter(inspection=OuterRef("inspection"), officer=officer)
    return Q(inspection__lead_officer=officer) | Q(Exists(team))


def took_part(review: DirectorReview, officer: Officer) -> bool:
    """Whether ``officer`` was on the team of the record ``review`` samples (then they may
    not review it: a record is never checked by one who made it)."""
    inspection = review.inspection
    return (
        inspection.lead_officer_id == officer.pk
        or InspectionOfficer.objects.filter(inspection=inspection, officer=officer).exists()
    )


def to_review_by(reviews: QuerySet[DirectorReview], officer: Officer) -> QuerySet[DirectorReview]:
    """The reviews ``officer`` may conclude: those of records they were not on the team of."""
    return reviews.exclude(_on_team(officer))


def of_own_records(reviews: QuerySet[DirectorReview], officer: Officer) -> QuerySet[DirectorReview]:
    """The reviews of records ``officer`` was on the team of: the division reviews those."""
    return reviews.filter(_on_team(officer))


def with_director_on_team(reviews: QuerySet[DirectorReview]) -> QuerySet[DirectorReview]:
    """``reviews`` with ``director_on_team``: a director of the record's own station was on its
    team, so the division (科室) reviews it, not the station."""
    team = InspectionOfficer.objects.filter(
        inspection=OuterRef("inspection"),
        officer__unit=OuterRef("unit"),
        officer__roles__code=Role.STATION_DIRECTOR,
    )
    return reviews.annotate(director_on_team=Exists(team))


def director_took_part(review: DirectorReview) -> bool:
    """Whether a director of the record's own station was on its team (the division reviews)."""
    return InspectionOfficer.objects.filter(
        inspection_id=review.inspection_id,
        officer__unit_id=review.unit_id,
        officer__roles__code=Role.STATION_DIRECTOR,
    ).exists()


def review_inspection(
    *, review: DirectorReview, actor: Officer, confirmed: bool, method: str, note: str
) -> DirectorReview:
    """The director's conclusion on a sampled record: confirmed, or a problem (a note needed).

    Needs REVIEW_INSPECTIONS and the record's station in scope; nobody reviews a record whose
    team they were on.
    """
    access.require(actor, access.REVIEW_INSPECTIONS)
    access.require_unit(actor, review.unit_id)
    if took_part(review, actor):
        raise NotPermitted(_("不能抽查本人参与的检查记录。"))
    to = DirectorReview.Status.CONFIRMED if confirmed else DirectorReview.Status.PROBLEM
    DIRECTOR_REVIEW.check(review, to)
    method, note = (method or "").strip(), (note or "").strip()
    errors = []
    if not method:
        errors.append(FieldError("method", _("请填写抽查方式（如电话回访、实地复核）")))
    elif len(method) > METHOD_LENGTH:
        errors.append(FieldError("method", _("抽查方式不能超过 %(n)d 个字") % {"n": METHOD_LENGTH}))
    if not confirmed and not note:
        errors.append(FieldError("note", _("发现问题时请填写抽查意见")))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), audit.attributed(actor):
        DIRECTOR_REVIEW.move(review, to)
        review.method, review.note = method, note
        review.reviewer = actor
        review.reviewed_at = timezone.now()
        review.save()
    return review


# Division supervision (督办) -----------------------------------------------------------------
