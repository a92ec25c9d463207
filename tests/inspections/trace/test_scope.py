"""Which records a trace check reads: a check of some records sees the records around them (the
officer-day, the officer's run, the records sharing a photo) but judges only its own; a draft is
never checked."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.inspections.trace.helpers import MONDAY, D, day_of_visits, flags, photo, run_of, visit
from xiaoneng.inspections.models import Checklist
from xiaoneng.inspections.trace import services as trace
from xiaoneng.registry.models import Entity

# The thresholds of ``helpers.LIMITS``, whatever the environment sets.
pytestmark = pytest.mark.usefixtures("limits")


def test_checking_one_signed_record_flags_the_rest_of_its_officer_day(
    county: County, place: Entity, checklist: Checklist
) -> None:
    earlier = day_of_visits(county, place, checklist, 12)
    assert trace.check_signed([r.pk for r in earlier]) == 0
    latest = visit(county, place, checklist, visited_on=MONDAY, start_hour=17)
    assert trace.check_signed([latest.pk]) == 13
    assert {pk for pk, _k, _d in flags(kind="many")} == {r.pk for r in [*earlier, latest]}


def test_checking_one_signed_record_sees_its_officers_run_before_it(
    county: County, place: Entity, checklist: Checklist
) -> None:
    records = run_of(county, place, checklist, [True] * 3 + [False] + [True] * 7)
    assert trace.check_signed([r.pk for r in records]) == 0
    latest = run_of(county, place, checklist, [True], first_day=20)[0]
    assert trace.check_signed([latest.pk]) == 8
    assert {pk for pk, _k, _d in flags(kind="uniform")} == {r.pk for r in [*records[4:], latest]}


def test_checking_one_signed_record_flags_the_other_record_with_its_photo(
    county: County, place: Entity, checklist: Checklist
) -> None:
    old = visit(county, place, checklist, visited_on=D(2026, 2, 2))
    photo(old, "e" * 64)
    new = visit(county, place, checklist)
    photo(new, "e" * 64)
    assert trace.check_signed([new.pk]) == 2
    assert {pk for pk, _k, _d in flags(kind="photo")} == {old.pk, new.pk}


def test_a_subset_check_judges_only_its_own_records_for_the_row_rules(
    county: County, place: Entity, checklist: Checklist
) -> None:
    slow = visit(county, place, checklist, minutes=2, visited_on=D(2026, 2, 2))
    fresh = visit(county, place, checklist)
    summary = trace.check(inspection_ids=[fresh.pk])
    assert summary.checked == 1 and summary.total == 0
    assert trace.check(inspection_ids=[]).checked == 0
    assert trace.check_signed([slow.pk]) == 1


def test_since_checks_the_records_signed_on_or_after_that_day(
    county: County, place: Entity, checklist: Checklist
) -> None:
    visit(county, place, checklist, minutes=2, visited_on=D(2026, 2, 2))
    recent = visit(county, place, checklist, minutes=2, visited_on=D(2026, 3, 2))
    summary = trace.check(since=D(2026, 3, 1))
    assert summary.checked == 1 and summary.raised == {"short": 1}
    assert [pk for pk, _k, _d in flags()] == [recent.pk]


def test_a_draft_is_never_checked(county: County, place: Entity, checklist: Checklist) -> None:
    visit(county, place, checklist, minutes=1, signed=False)
    assert trace.check() == trace.TraceSummary(checked=0)
