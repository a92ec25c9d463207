"""The demo county's responsibility table, sizes and staffing: 篇3's faults show on the pages."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.conftest import client_for
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.planning.coverage import OUTSIDE, RULES, plan_measures
from xiaoneng.demo.reset import reset
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.analysis import coverage as coverages
from xiaoneng.planning.analysis import staffing as staffings
from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule
from xiaoneng.registry.models import Entity

ENTITIES = 2000


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        call_command("demo", entities=ENTITIES, seed=5, stdout=io.StringIO())
        yield
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def leader() -> Officer:
    return Officer.objects.get(username="leader")


def test_departments_inside_and_outside_the_bureau() -> None:
    inside = Department.objects.filter(unit__isnull=False)
    assert inside.count() == Unit.objects.exclude(kind=Unit.Kind.BUREAU).count() == 10
    assert Department.objects.filter(unit__isnull=True).count() == len(OUTSIDE) == 6
    assert set(Department.objects.values_list("bureau__code", flat=True)) == {"XN-654002"}
    assert ResponsibilityRule.objects.count() == len(RULES)


def test_most_entities_have_a_traced_size() -> None:
    measured = EntityMeasure.objects.count()
    assert 0.95 * ENTITIES <= measured < ENTITIES
    assert AuditEvent.objects.filter(content_type__model="entitymeasure").count() == measured


def test_the_work_safety_report_shows_the_seed_articles_faults() -> None:
    summary = coverages.summarise(coverages.compute(matter="work_safety", user=leader()))
    assert summary.duplicates > 0 and summary.blanks > 0
    triple = next(g for g in summary.combinations if g.key.count(",") == 2)
    assert "商务局" in triple.label and "应急管理局" in triple.label and "街道" in triple.label
    blank_industries = {g.key for g in summary.by_industry["blank"]}
    assert {"H6210", "O8040"} <= blank_industries
    duplicate_industries = {g.key for g in summary.by_industry["duplicate"]}
    assert "F5212" in duplicate_industries


def test_restaurants_are_blank_below_500_square_metres_only() -> None:
    coverage = coverages.compute(matter="work_safety", user=leader())
    positions = coverages.drill_positions(coverage, coverages.Drill(kind="blank", industry="H62"))
    areas = coverage.population.measures["floor_area"][positions]
    recorded = areas[~np.isnan(areas)]
    assert recorded.size > 0 and (recorded < 500).all()


def test_the_staffing_page_shows_imbalance_and_moves() -> None:
    result = staffings.compute(user=leader(), settings=staffings.Settings())
    assert len(result.stations) == 6 and all(s.officers > 0 for s in result.stations)
    assert result.ratio is not None and result.ratio > 1.3
    [share] = result.grassroots
    assert share.passed and share.officers == 120
    assert result.reallocation is not None and result.reallocation.feasible
    assert result.reallocation.moves
    page = client_for(leader()).get("/staffing/").content.decode()
    assert 'data-testid="move"' in page


def test_pages_answer_for_the_demo() -> None:
    client = client_for(leader())
    for path in ("/coverage/", "/coverage/rules/", "/coverage/entities/?kind=blank"):
        assert client.get(path).status_code == 200, path


def test_the_demo_reset_removes_the_table_and_the_sizes() -> None:
    with transaction.atomic():
        reset()
    assert not Entity.objects.exists() and not EntityMeasure.objects.exists()
    # Every department is listed by the bureau, so it goes (with its rules) with the units.
    assert not Department.objects.exists() and not ResponsibilityRule.objects.exists()


def test_sizes_follow_the_trade() -> None:
    rng = np.random.default_rng(1)
    n = 4000
    area, people, recorded = plan_measures(
        rng, ["F5212"] * n + ["H6291"] * n, ["enterprise"] * n + ["individual"] * n
    )
    assert np.median(area[:n]) > 5 * np.median(area[n:])
    assert (people >= 1).all() and 0.9 < recorded.mean() < 1
