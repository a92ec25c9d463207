"""xiaoneng callbacks draw|verify."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.timeliness.callbacks.factories import make_service_case
from xiaoneng.core.months import parse_month
from xiaoneng.timeliness.callbacks import rounds, rules
from xiaoneng.timeliness.callbacks.models import CallbackRound

pytestmark = pytest.mark.django_db


def test_draw_then_verify(county):
    for _ in range(5):
        make_service_case(unit=county.east, officer=county.east_officer)
    rules.save_rule(
        actor=None, unit=county.east, subject_kind="service_case", mode="count", count=2
    )
    out = StringIO()
    call_command("callbacks", "draw", "--month", "2026-04", stdout=out)
    assert "S-E 2026-04 办件: 抽取 drawn 2 / 5" in out.getvalue()
    again = StringIO()
    call_command("callbacks", "draw", "--month", "2026-04", "--unit", "S-E", stdout=again)
    assert "此前已抽取" in again.getvalue() and CallbackRound.objects.count() == 1
    drawn = CallbackRound.objects.get()
    out = StringIO()
    call_command("callbacks", "verify", str(drawn.pk), stdout=out)
    assert "一致 verified" in out.getvalue()
    ids = rounds.population("service_case", county.east, parse_month("2026-04"), round_id=drawn.pk)
    chosen = sorted(drawn.callbacks.values_list("service_case_id", flat=True))
    other = next(f"x{i}" for i in range(100) if rounds.draw(f"x{i}", ids, 2) != chosen)
    CallbackRound.objects.filter(pk=drawn.pk).update(seed=other)
    with pytest.raises(CommandError) as failed:
        call_command("callbacks", "verify", str(drawn.pk), stdout=StringIO())
    assert failed.value.returncode == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["draw", "--month", "2026-4"],
        ["draw", "--month", "2999-01"],
        ["draw", "--month", "2026-04", "--unit", "NOPE"],
        ["verify", "999999"],
    ],
)
def test_bad_arguments_exit_2(county, argv):
    rules.save_rule(actor=None, unit=county.east, subject_kind="case", mode="all")
    with pytest.raises(CommandError) as failed:
        call_command("callbacks", *argv, stdout=StringIO())
    assert failed.value.returncode == 2
    assert not CallbackRound.objects.exists()
