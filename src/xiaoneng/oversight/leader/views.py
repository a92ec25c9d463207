"""The leader's view page (督查总览): counts linked to their lists, by unit, and the lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from xiaoneng.core.routing import stale_reads
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.leader.queries import LIST_LIMIT, oversight

# Red marks what is wrong: past its deadline. What only awaits someone (a trace flag to
# verify, a finding taken to a case, a failed sample's follow-up under way) is not red.
LATE = frozenset(
    {
        "rectifications_overdue",
        "rectifications_warned",
        "supervision_overdue",
        "reviews_pending",
        "cases_overdue",
    }
)


@login_required
@stale_reads
def leader_view(request: OfficerRequest) -> HttpResponse:
    """What is overdue, flagged or escalated in the user's scope (局领导监控, 篇2)."""
    view = oversight(user=request.user)
    matrix = [
        (name, [(item, item.by_unit.get(unit_id, 0)) for item in view.items])
        for unit_id, name in view.units
    ]
    context = {"view": view, "matrix": matrix, "limit": LIST_LIMIT, "late": LATE}
    return render(request, "oversight/leader_view.html", context)
