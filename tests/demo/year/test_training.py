"""`xiaoneng demo`: the year's training (篇8) — about 25 sessions and 600 person-times, none in
the future, each attendance of an officer of an invited unit who is still in post."""

from __future__ import annotations

import pytest
from django.db.models import F

from tests.demo.year.conftest import today
from xiaoneng.demo.days import window_of
from xiaoneng.org.training import queries
from xiaoneng.org.training.models import Attendance, TrainingSession

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_the_year_has_the_seeds_sessions_and_person_times() -> None:
    sessions = TrainingSession.objects.all()
    assert 20 <= sessions.count() <= 25
    found = queries.figures(None, window_of(today()), today())
    assert found.total.sessions == sessions.count()
    assert 450 <= found.total.person_times <= 750
    assert len(found.by_topic) >= 6 and len(found.by_organiser) >= 4
    assert Attendance.objects.exclude(status=Attendance.Status.ATTENDED).exists()


def test_sessions_lie_in_the_past_year_and_attendance_fits_the_audience() -> None:
    first, last = window_of(today()), today()
    assert not TrainingSession.objects.exclude(held_on__range=(first, last)).exists()
    for session in TrainingSession.objects.prefetch_related("audience"):
        paths = [session.organiser.path, *(u.path for u in session.audience.all())]
        for attendance in session.attendances.select_related("officer__unit"):
            officer = attendance.officer
            assert officer.is_active and officer.unit is not None
            assert any(officer.unit.path.startswith(p) for p in paths), (session, officer)
    # Nothing after today; no attendance record older than its officer's own record (the demo's
    # officers are all in post the whole year: none joins or leaves during it).
    assert not Attendance.objects.filter(session__held_on__gt=last).exists()
    assert not Attendance.objects.filter(recorded_at__lt=F("officer__date_joined")).exists()
