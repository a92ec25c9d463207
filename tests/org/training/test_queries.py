"""The figures of 篇8 computed by hand on four sessions: 场次, 人次, hours and person-hours, in
all, by topic and by organiser, for a unit's subtree; an officer's training attended; which
sessions and attendance rows each user sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.org.training.factories import attend, make_session
from xiaoneng.org.training import queries
from xiaoneng.org.training.models import TrainingSession

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
A, ABSENT, EXCUSED = "attended", "absent", "excused"


@dataclass
class Four:
    food: TrainingSession  # the division's, for both stations
    law: TrainingSession  # the east station's own
    integrity: TrainingSession  # the bureau's, for everyone
    ads: TrainingSession  # the division's for the west, last December


def four(county: County) -> Four:
    c = county
    food = make_session(c, hours="3")
    attend(
        food,
        c.division_staff,
        [(c.east_officer, A), (c.east_director, A), (c.west_officer, A), (c.west_director, ABSENT)],
    )
    law = make_session(
        c,
        actor=c.east_director,
        title="行政处罚程序规定解读",
        topic="law",
        organiser=c.east,
        audience=[c.east],
        held_on=dt.date(2026, 4, 10),
        hours="2",
    )
    attend(law, c.east_director, [(c.east_officer, A), (c.east_director, EXCUSED)])
    integrity = make_session(
        c,
        actor=c.leader,
        title="廉政警示教育",
        topic="integrity",
        organiser=c.bureau,
        audience=[c.east, c.west, c.division],
        held_on=dt.date(2026, 5, 1),
        hours="1.5",
    )
    attend(integrity, c.leader, [(c.division_staff, A), (c.leader, A), (c.west_officer, A)])
    ads = make_session(
        c,
        title="网络交易监督管理办法培训",
        topic="ads",
        audience=[c.west],
        held_on=dt.date(2025, 12, 20),
        hours="2",
    )
    attend(ads, c.division_staff, [(c.west_officer, A)])
    return Four(food, law, integrity, ads)


def numbers(f: queries.Figures) -> tuple[int, int, Decimal, Decimal]:
    return f.sessions, f.person_times, f.hours, f.person_hours


def test_the_whole_organisations_figures(county: County) -> None:
    four(county)
    found = queries.figures(None, START, END)
    assert numbers(found.total) == (3, 7, Decimal("6.5"), Decimal("15.5"))
    by_topic = {k: numbers(v) for k, v in found.by_topic.items()}
    assert by_topic == {
        "food": (1, 3, Decimal("3"), Decimal("9")),
        "law": (1, 1, Decimal("2"), Decimal("2")),
        "integrity": (1, 3, Decimal("1.5"), Decimal("4.5")),
    }
    by_organiser = {k: numbers(v) for k, v in found.by_organiser.items()}
    assert by_organiser == {
        county.division.pk: (1, 3, Decimal("3"), Decimal("9")),
        county.east.pk: (1, 1, Decimal("2"), Decimal("2")),
        county.bureau.pk: (1, 3, Decimal("1.5"), Decimal("4.5")),
    }


def test_a_units_figures_count_the_sessions_that_concern_it_and_its_officers(
    county: County,
) -> None:
    four(county)
    east = queries.figures(county.east, START, END)
    assert numbers(east.total) == (3, 3, Decimal("6.5"), Decimal("8"))
    west = queries.figures(county.west, START, END)
    assert numbers(west.total) == (2, 2, Decimal("4.5"), Decimal("4.5"))
    division = queries.figures(county.division, START, END)
    assert numbers(division.total) == (2, 1, Decimal("4.5"), Decimal("1.5"))
    # The bureau is the whole organisation (its subtree is every unit).
    assert numbers(queries.figures(county.bureau, START, END).total) == numbers(
        queries.figures(None, START, END).total
    )
    # Last December's session counts in a period that holds it.
    december = queries.figures(county.west, dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert numbers(december.total) == (1, 1, Decimal("2"), Decimal("2"))


def test_training_attended_per_officer(county: County) -> None:
    four(county)
    c = county
    ids = [c.east_officer.pk, c.west_officer.pk, c.leader.pk, c.admin.pk, c.east_director.pk]
    found = queries.attended(ids, START, END)
    assert found == {
        c.east_officer.pk: (2, Decimal("5.0")),
        c.west_officer.pk: (2, Decimal("4.5")),
        c.leader.pk: (1, Decimal("1.5")),
        c.admin.pk: (0, Decimal("0")),
        c.east_director.pk: (1, Decimal("3.0")),  # excused and absent count nothing
    }
    whole = queries.attended([c.west_officer.pk], dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert whole == {c.west_officer.pk: (3, Decimal("6.5"))}


def test_each_user_sees_the_sessions_that_concern_their_units(county: County) -> None:
    s = four(county)

    def seen(who: str) -> set[int]:
        return set(queries.sessions(getattr(county, who)).values_list("pk", flat=True))

    assert seen("east_officer") == {s.food.pk, s.law.pk, s.integrity.pk}
    assert seen("west_director") == {s.food.pk, s.integrity.pk, s.ads.pk}
    every = {s.food.pk, s.law.pk, s.integrity.pk, s.ads.pk}
    assert seen("division_staff") == seen("leader") == seen("admin") == every


def test_a_station_reads_only_its_own_rows_of_anothers_session(county: County) -> None:
    s = four(county)

    def rows(who: str) -> set[str]:
        found = queries.attendances_shown(getattr(county, who), s.food)
        return set(found.values_list("officer__username", flat=True))

    assert rows("west_director") == {"west_officer", "west_director"}
    assert rows("division_staff") == {
        "east_officer",
        "east_director",
        "west_officer",
        "west_director",
    }


def test_the_list_filters(county: County) -> None:
    s = four(county)
    user = county.west_officer
    assert list(queries.filtered(user, attended_by=user.pk)) == [s.integrity, s.food, s.ads]
    assert list(queries.filtered(user, start=START, topic="food")) == [s.food]
    assert list(queries.filtered(user, organiser=county.division)) == [s.food, s.ads]
    assert list(queries.filtered(user, end=dt.date(2025, 12, 31))) == [s.ads]
