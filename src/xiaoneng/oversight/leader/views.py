"""The leader's view page (督查总览): counts linked to their lists, by unit, and the lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.leader.queries import LIST_LIMIT, oversight


@login_required
def leader_view(request: OfficerRequest) -> HttpResponse:
    """What is overdue, flagged or escalated in the user's scope (局领导监控, 篇2)."""
    view = oversight(user=request.user)
    matrix = [
        (name, [item.by_unit.get(unit_id, 0) for item in view.items])
        for unit_id, name in view.units
    ]
    context = {"view": view, "matrix": matrix, "limit": LIST_LIMIT}
    return render(request, "oversight/leader_view.html", context)
