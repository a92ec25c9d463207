"""Which checklist version is in force on a day: one rule, as a query and for one version."""

from __future__ import annotations

import datetime as dt

from tests.inspections.factories import make_checklist
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import Checklist

D = dt.date


def test_in_force_lists_exactly_the_versions_whose_state_is_current(db: None) -> None:
    first = make_checklist(code="food", version=1)  # effective 2026-01-01
    second = make_checklist(code="food", version=2)
    Checklist.objects.filter(pk=first.pk).update(retired_on=D(2026, 3, 1))
    Checklist.objects.filter(pk=second.pk).update(effective_on=D(2026, 3, 1))
    versions = list(Checklist.objects.filter(code="food").order_by("pk"))
    for on, expected in [
        (D(2025, 12, 31), []),
        (D(2026, 1, 1), [first.pk]),
        (D(2026, 2, 28), [first.pk]),
        (D(2026, 3, 1), [second.pk]),  # the new version retires the old on its own date
    ]:
        listed = sorted(checklists.in_force(on).filter(code="food").values_list("pk", flat=True))
        assert listed == expected, on
        assert [v.pk for v in versions if checklists.state_of(v, on) == "current"] == expected
