"""The station directors' monthly spot checks (所长抽查) of the demo's records: each month's
sample drawn with its own seed by the rule of ``director_reviews.draw_sample``, all but last month's
reviewed (a few problems found)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.utils import timezone

from xiaoneng.demo.days import dates, local_moment, month_start, numbers
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import Inspection, InspectionOfficer, TraceFlag
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound

REVIEW_METHODS = ("电话回访经营者", "实地复核", "查看现场照片", "调阅检查记录及附件")
REVIEW_PROBLEMS = (
    "检查记录填写不完整，部分不适用事项未说明理由。",
    "经电话回访，经营者称当日检查时间很短，已提醒检查人员逐项检查。",
    "现场照片未能反映检查事项，已要求今后拍摄证照及重点部位。",
)
PROBLEM_SHARE = 0.07


@dataclass
class DrawnRound:
    """A month's sample of one station's records, drawn with its own seed."""

    station: int
    month: str
    seed: str
    population: int
    drawn_at: dt.datetime
    sample: np.ndarray


def review_rounds(ctx: Context) -> tuple[int, int]:
    """Each past month's sample of each station's signed records; all but last month's done."""
    rounds = _draw_rounds(ctx)
    rate = Decimal(str(settings.DIRECTOR_REVIEW_RATE)).quantize(Decimal("0.001"))
    rows = Rows("unit_id month rate seed population drawn_at drawn_by_id")
    for r in rounds:
        rows.add(
            r.drawn_at,
            unit_id=r.station,
            month=r.month,
            rate=rate,
            seed=r.seed,
            population=r.population,
            drawn_at=r.drawn_at,
        )
    names = {s.pk: s.name for s in ctx.people.stations}
    round_ids = rows.write(ReviewRound, [f"{names[r.station]} {r.month}" for r in rounds])
    return len(rounds), _reviews(ctx, rounds, round_ids)


def _draw_rounds(ctx: Context) -> list[DrawnRound]:
    """The rounds drawn on the first working day after each month, by today, with the very
    rule of ``director_reviews.draw_reviews`` (so ``xiaoneng review`` verifies each of them)."""
    rate = Decimal(str(settings.DIRECTOR_REVIEW_RATE))
    minimum = int(settings.DIRECTOR_REVIEW_MINIMUM)
    stations = [s.pk for s in ctx.people.stations]
    this_month = month_start(ctx.today, 0)
    zone = timezone.get_default_timezone()
    groups: dict[tuple[int, str], dict[int, list[int]]] = {}
    records = (
        Inspection.objects.filter(
            status=Inspection.Status.SIGNED,
            amends__isnull=True,
            unit_id__in=stations,
            signed_at__lt=dt.datetime.combine(this_month, dt.time(), tzinfo=zone),
        )
        .order_by("lead_officer_id", "id")
        .values_list("id", "unit_id", "lead_officer_id", "signed_at")
    )
    for pk, unit, lead, signed_at in records:
        month = f"{timezone.localtime(signed_at, zone):%Y-%m}"
        groups.setdefault((unit, month), {}).setdefault(lead, []).append(pk)
    rounds = []
    for (station, m), by_lead in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])):
        first = dt.date(int(m[:4]), int(m[5:]), 1)
        drawn_day = dates(ctx.days.forward(numbers([month_start(first, -1)])))[0]
        assert drawn_day is not None
        drawn_at = local_moment(drawn_day, 9, 30)
        if drawn_at >= ctx.now:
            continue
        seed = ctx.rng.bytes(16).hex()
        sample = np.array(
            director_reviews.draw_sample(seed, by_lead, rate, minimum), dtype=np.int64
        )
        population = sum(len(v) for v in by_lead.values())
        rounds.append(DrawnRound(station, m, seed, population, drawn_at, sample))
    return rounds


def _cosigned_by_director(ctx: Context, rounds: list[DrawnRound]) -> set[int]:
    """The sampled records a director of their own station was on the team of."""
    sampled = [pk for r in rounds for pk in r.sample.tolist()]
    directors = set(ctx.people.directors.values())
    unit = ctx.people.unit
    found: set[int] = set()
    for start in range(0, len(sampled), 20_000):
        team = InspectionOfficer.objects.filter(
            inspection_id__in=sampled[start : start + 20_000], officer_id__in=directors
        ).values_list("inspection_id", "officer_id", "inspection__unit_id")
        found |= {pk for pk, officer, station in team if unit.get(officer) == station}
    return found


def _division_reviewer(ctx: Context, inspection: int) -> int | None:
    """A division officer (科室) for a record its station's director co-signed: the service
    routes those to the division (``director_reviews.with_director_on_team``)."""
    staff = ctx.people.division_staff.get("K01") or ctx.people.credit_staff
    return staff[inspection % len(staff)] if staff else None


def _reviews(ctx: Context, rounds: list[DrawnRound], round_ids: list[int]) -> int:
    """The director's review of each record drawn, the division's of those he co-signed:
    last month's still waiting."""
    rng = ctx.rng
    cosigned = _cosigned_by_director(ctx, rounds)
    confirmed = set(
        TraceFlag.objects.filter(status=TraceFlag.Status.CONFIRMED).values_list(
            "inspection_id", flat=True
        )
    )
    last_month = f"{month_start(ctx.today, 1):%Y-%m}"
    rows = Rows("round_id inspection_id unit_id status method note reviewer_id reviewed_at")
    for r, round_id in zip(rounds, round_ids, strict=True):
        station_director = ctx.people.directors.get(r.station)
        for inspection in r.sample.tolist():
            director = (
                _division_reviewer(ctx, inspection) if inspection in cosigned else station_director
            )
            done = {"round_id": round_id, "inspection_id": inspection, "unit_id": r.station}
            reviewed = min(
                r.drawn_at + dt.timedelta(days=float(rng.uniform(2, 20))),
                ctx.now - dt.timedelta(hours=2),
            )
            problem = inspection in confirmed or rng.random() < PROBLEM_SHARE
            if r.month >= last_month or director is None:
                rows.add(
                    r.drawn_at, status=DirectorReview.Status.PENDING, method="", note="", **done
                )
                continue
            method = REVIEW_METHODS[int(rng.integers(len(REVIEW_METHODS)))]
            if problem:
                status = DirectorReview.Status.PROBLEM
                note = REVIEW_PROBLEMS[int(rng.integers(len(REVIEW_PROBLEMS)))]
            else:
                status, note = DirectorReview.Status.CONFIRMED, "检查记录属实，填写规范。"
            rows.add(
                r.drawn_at,
                status=status,
                method=method,
                note=note,
                reviewer_id=director,
                reviewed_at=reviewed,
                **done,
            )
    rows.write(DirectorReview, [f"#{pk}" for pk in rows.columns["inspection_id"]])
    return len(rows)
