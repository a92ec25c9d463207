"""The demo builder on the small county: one action per source (a red escalated warning, a
callback answered 不满意, a confirmed flag), each after its source, against its officer."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from tests.conftest import County
from tests.timeliness.accountability.factories import (
    make_callback,
    make_confirmed_flag,
    make_warning,
)
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.timeliness.accountability import build_accountability
from xiaoneng.timeliness.accountability.models import AccountabilityAction

pytestmark = pytest.mark.django_db


def test_one_action_per_source_after_it(county: County) -> None:
    warning = make_warning(county)
    callback = make_callback(county, officer=county.west_officer)
    flag = make_confirmed_flag(county)
    make_callback(county, overall="satisfied")  # not a source
    organisation = Organisation(bureau=county.bureau, stations=[county.east, county.west], grids=[])
    now = timezone.make_aware(dt.datetime(2026, 6, 1, 12))
    build_accountability(np.random.default_rng(1), organisation, now=now, progress=lambda _: None)
    actions = {
        (a.warning_id, a.callback_id, a.trace_flag_id): a
        for a in AccountabilityAction.objects.all()
    }
    assert set(actions) == {
        (warning.pk, None, None),
        (None, callback.pk, None),
        (None, None, flag.pk),
    }
    assert actions[(None, callback.pk, None)].officer == county.west_officer
    for action in actions.values():
        assert dt.date(2026, 3, 2) < action.decided_on <= dt.date(2026, 6, 1)
        assert action.decided_by == county.leader
        assert "不满意" in action.facts or "预警" in action.facts or "痕迹疑点" in action.facts
    assert sum(1 for a in actions.values() if a.deduction) == 2
