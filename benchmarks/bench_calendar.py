"""Working-day arithmetic on arrays: 1,000,000 deadlines and 1,000,000 counts (issue 10).

Figure: ``WorkingCalendar.add_working_days_many`` (start + N working days) and
``working_days_between_many`` over 1,000,000 random starts from 2020 to 2027 (2027 is past the
calendar's last year: provisional), N from 1 to 60. The calendar is the one the migration
loads (chinesecalendar's years and exceptions), built without a database. Baseline, in the
same process: stepping day by day with ``is_working_day`` for each case, timed on a sample,
scaled linearly; the sample's answers are checked against the arrays'.

    python benchmarks/bench_calendar.py [--quick]
"""

from __future__ import annotations

import datetime as dt

import numpy as np

import common
from common import Figure, timed

LIMIT_SECONDS = 10.0  # issue 10: warnings for 1,000,000 open clocks in ≤ 10 s
RATIO_TARGET = 10.0
SAMPLE = 20_000


def calendar() -> object:
    from chinese_calendar import constants

    from xiaoneng.core.calendar import WorkingCalendar

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    exceptions = {d: False for d in constants.holidays if d.weekday() < 5}
    exceptions.update({d: True for d in constants.workdays if d.weekday() >= 5})
    return WorkingCalendar(years, exceptions)


def stepped_deadline(cal: object, start: dt.date, days: int) -> dt.date:
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= cal.is_working_day(day)  # type: ignore[attr-defined]
    return day


def stepped_count(cal: object, start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += cal.is_working_day(day)  # type: ignore[attr-defined]
    return count


def main() -> None:
    options = common.arguments(__doc__.splitlines()[0], database=False).parse_args()
    common.setup_django("sqlite:///:memory:")
    cases = 100_000 if options.quick else 1_000_000
    rng = np.random.default_rng(10)
    first = np.datetime64("2020-01-01")
    starts = first + rng.integers(0, 8 * 365, cases).astype("timedelta64[D]")
    days = rng.integers(1, 61, cases)
    cal = calendar()
    add_seconds, deadlines = timed(lambda: cal.add_working_days_many(starts, days))  # type: ignore[attr-defined]
    ends = starts + (days * 2).astype("timedelta64[D]")
    count_seconds, counts = timed(lambda: cal.working_days_between_many(starts, ends))  # type: ignore[attr-defined]

    sample = min(SAMPLE, cases)
    pairs = [
        (s.item(), int(n), e.item())
        for s, n, e in zip(starts[:sample], days[:sample], ends[:sample], strict=True)
    ]
    base_add, stepped = timed(lambda: [stepped_deadline(cal, s, n) for s, n, _ in pairs])
    base_count, stepped_counts = timed(lambda: [stepped_count(cal, s, e) for s, _, e in pairs])
    assert stepped == [d.item() for d in deadlines[:sample]], "deadlines differ from the day loop"
    assert stepped_counts == [int(c) for c in counts[:sample]], "counts differ from the day loop"
    scale = cases / sample
    common.report(
        [
            Figure(
                benchmark="calendar",
                case=f"{cases:,} deadlines (start + N working days)",
                value=add_seconds,
                unit="s",
                limit=LIMIT_SECONDS * cases / 1_000_000,
                baseline=base_add * scale,
                baseline_label=f"day-by-day loop on {sample:,} cases, scaled",
                ratio_target=RATIO_TARGET,
                note="starts 2020–2027, 2027 provisional",
            ),
            Figure(
                benchmark="calendar",
                case=f"{cases:,} working-day counts",
                value=count_seconds,
                unit="s",
                limit=LIMIT_SECONDS * cases / 1_000_000,
                baseline=base_count * scale,
                baseline_label=f"day-by-day loop on {sample:,} cases, scaled",
                ratio_target=RATIO_TARGET,
            ),
        ]
    )


if __name__ == "__main__":
    main()
