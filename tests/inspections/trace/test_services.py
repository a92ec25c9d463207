"""A trace check run: running again adds nothing, a cleared flag is not raised again, a new flag
is kept in the trace as the system's; the summary of a run."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.inspections.trace.helpers import north_of, visit
from xiaoneng.core.states import unlocked
from xiaoneng.inspections.models import Checklist, TraceFlag
from xiaoneng.inspections.trace import services as trace
from xiaoneng.registry.models import Entity

# The thresholds of ``helpers.LIMITS``, whatever the environment sets.
pytestmark = pytest.mark.usefixtures("limits")


def test_running_again_adds_nothing_and_a_cleared_flag_is_not_raised_again(
    county: County, place: Entity, checklist: Checklist
) -> None:
    short = visit(county, place, checklist, minutes=3, checkin=north_of(place, 900))
    first = trace.check()
    assert first.raised == {"far": 1, "short": 1} and first.checked == 1
    assert trace.check().total == 0
    flag = TraceFlag.objects.get(kind="short")
    with unlocked(flag):
        flag.status = TraceFlag.Status.CLEARED
    flag.save()
    TraceFlag.objects.filter(kind="far").delete()
    assert trace.check().raised == {"far": 1}
    assert TraceFlag.objects.get(inspection=short, kind="short").status == "cleared"


def test_new_flags_are_kept_in_the_trace_as_the_systems(
    county: County, place: Entity, checklist: Checklist
) -> None:
    from xiaoneng.core.audit import history

    visit(county, place, checklist, minutes=3)
    trace.check()
    flag = TraceFlag.objects.get()
    (event,) = history(flag)
    assert event.action == "create" and event.source == "system" and event.actor is None
    assert event.reason == "痕迹监控自动发现"
    assert event.changes["kind"] == [None, "short"]


def test_the_summary_labels_every_kind_in_order() -> None:
    summary = trace.TraceSummary(checked=3, raised={"late": 2})
    assert summary.labelled()[4] == ("late", "检查后很久才录入", 2)
    assert [kind for kind, _l, _n in summary.labelled()] == trace.KINDS
    assert summary.total == 2
