"""The cumulative working-day index gives exactly what walking day by day gives.

The reference below is the walk the calendar used before the index: every day checked, every
working day counted. Random dates cluster around National Day and Spring Festival (调休) and
the provisional boundary after the last known year.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar

D = dt.date


class Walk:
    """The day-stepping reference over the same calendar."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def working(self, day: dt.date) -> bool:
        self.calendar.check(day)
        if day.year not in self.calendar.years:
            return day.weekday() < 5
        return self.calendar.exceptions.get(day, day.weekday() < 5)

    def add(self, start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.working(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.working(day)
        return count

    def latest(self, today: dt.date, days: int) -> dt.date:
        day = today - dt.timedelta(days=1)
        while self.add(day, days) >= today:
            day -= dt.timedelta(days=1)
        return day


def outcome(compute, *args):  # type: ignore[no-untyped-def]
    try:
        return compute(*args)
    except CalendarUnknown as error:
        return ("refused", error.message)


CENTRES = [D(2025, 10, 1), D(2026, 10, 1), D(2026, 2, 17), D(2025, 1, 29), D(2026, 12, 31)]


def random_days(rng: random.Random, count: int) -> list[dt.date]:
    return [rng.choice(CENTRES) + dt.timedelta(days=rng.randint(-40, 60)) for _ in range(count)]


@pytest.mark.parametrize("strict", [False, True])
def test_index_agrees_with_walking_day_by_day(db, strict: bool) -> None:  # type: ignore[no-untyped-def]
    calendar = WorkingCalendar.load(strict=strict)
    walk, rng = Walk(calendar), random.Random(20261206)
    for day in random_days(rng, 400):
        days = rng.choice([0, 1, 3, 5, 7, 15, 20, 45])
        other = day + dt.timedelta(days=rng.randint(-10, 80))
        assert outcome(calendar.is_working_day, day) == outcome(walk.working, day), day
        assert outcome(calendar.add_working_days, day, days) == outcome(walk.add, day, days)
        assert outcome(calendar.working_days_between, day, other) == outcome(
            walk.between, day, other
        ), (day, other)
        assert outcome(calendar.latest_start_due_before, day, days) == outcome(
            walk.latest, day, days
        ), (day, days)


def test_index_agrees_across_gaps_and_the_edges_of_the_known_years() -> None:
    exceptions = {D(2024, 10, 1): False, D(2024, 10, 12): True, D(2027, 1, 1): False}
    calendar = WorkingCalendar([2024, 2026], exceptions)  # 2025 unknown; 2027 provisional
    walk, rng = Walk(calendar), random.Random(7)
    starts = [D(2023, 12, 30), D(2024, 1, 1), D(2024, 12, 20), D(2025, 6, 1), D(2026, 12, 20)]
    for _ in range(300):
        day = rng.choice(starts) + dt.timedelta(days=rng.randint(-5, 30))
        days = rng.choice([0, 1, 5, 15])
        other = day + dt.timedelta(days=rng.randint(-3, 40))
        assert outcome(calendar.is_working_day, day) == outcome(walk.working, day)
        assert outcome(calendar.add_working_days, day, days) == outcome(walk.add, day, days)
        assert outcome(calendar.working_days_between, day, other) == outcome(
            walk.between, day, other
        )
        assert outcome(calendar.latest_start_due_before, day, days) == outcome(
            walk.latest, day, days
        )


def test_beyond_the_provisional_tail_the_calendar_still_counts_weekdays(db) -> None:  # type: ignore[no-untyped-def]
    calendar = WorkingCalendar.load()
    far = D(2040, 3, 2)  # a Friday, past the ten indexed provisional years
    assert calendar.add_working_days(far, 1) == D(2040, 3, 5)
    assert calendar.working_days_between(D(2036, 12, 25), D(2037, 1, 8)) == 10
    assert calendar.is_provisional(far)


def test_provisional_days_ignore_stray_exception_rows() -> None:
    calendar = WorkingCalendar([2026], {D(2027, 1, 1): False})
    assert calendar.is_working_day(D(2027, 1, 1)) is True


@pytest.mark.parametrize("strict", [False, True])
def test_array_forms_agree_with_one_by_one(db, strict: bool) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    calendar = WorkingCalendar.load(strict=strict)
    rng = random.Random(99)
    starts = [*random_days(rng, 500), D(2003, 12, 31), D(2040, 1, 1)]
    ends = [day + dt.timedelta(days=rng.randint(-5, 80)) for day in starts]
    counts = [rng.choice([0, 1, 5, 15, 45]) for _ in starts]
    start_array = np.array(starts, dtype="datetime64[D]")

    def each(compute, *args):  # type: ignore[no-untyped-def]
        return [outcome(compute, *row) for row in zip(*args, strict=True)]

    usable = [
        i
        for i, row in enumerate(each(calendar.working_days_between, starts, ends))
        if not isinstance(row, tuple)
    ]
    got = calendar.working_days_between_many(
        start_array[usable], np.array(ends, dtype="datetime64[D]")[usable]
    )
    assert list(got) == [calendar.working_days_between(starts[i], ends[i]) for i in usable]
    usable = [
        i
        for i, row in enumerate(each(calendar.add_working_days, starts, counts))
        if not isinstance(row, tuple)
    ]
    got = calendar.add_working_days_many(start_array[usable], np.array(counts)[usable])
    expected = [calendar.add_working_days(starts[i], counts[i]) for i in usable]
    assert [dt.date.fromisoformat(str(d)) for d in got] == expected
    assert len(usable) > 400 if not strict else len(usable) > 200
