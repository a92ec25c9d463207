"""The shell's own pages: log-in (throttled), the lock-out answer and the overview."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.calendar import CalendarUnknown
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Role
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry import queries as registry
from xiaoneng.registry.models import CreditGrade, Entity, RiskClass
from xiaoneng.web.todo import calendar_nag, jobs_nag, todo_for


class LoginView(auth_views.LoginView):
    """Django's log-in page; failures are counted by django-axes (``core/throttle.py``)."""


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out log-in answers, on the site's and the admin's log-in page alike."""
    minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
    message = _("登录失败次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


@login_required
def home(request: OfficerRequest) -> HttpResponse:
    """The overview of the user's scope: the register by class and grade, and what waits.

    A bureau leader's home is the cockpit (效能驾驶舱); ``?overview=1`` shows this overview.
    """
    if request.user.has_role(Role.BUREAU_LEADER) and not request.GET.get("overview"):
        return redirect("assessment:cockpit")
    entities = scoped(Entity.objects.active(), request.user)
    matrix = {
        (r["risk_class"], r["credit_grade"]): r["n"]
        for r in entities.values("risk_class", "credit_grade").annotate(n=Count("id"))
    }
    classes, grades = RiskClass.values, CreditGrade.values
    by_class = {c: sum(matrix.get((c, g), 0) for g in grades) for c in classes}
    by_grade = {g: sum(matrix.get((c, g), 0) for c in classes) for g in grades}
    chart = {
        "classes": [str(RiskClass(c).label) for c in classes],
        "grades": [str(CreditGrade(g).label) for g in grades],
        "series": [[matrix.get((c, g), 0) for c in classes] for g in grades],
    }
    today = timezone.localdate()
    try:
        overdue: int | None = registry.overdue_claims(entities, today).count()
    except CalendarUnknown as error:  # the overview still shows; only the deadline is unknown
        messages.warning(request, error.message)
        overdue = None
    context = {
        "total": sum(by_class.values()),
        "by_class": [(RiskClass(c), by_class[c]) for c in classes],
        "by_grade": [(CreditGrade(g), by_grade[g]) for g in grades],
        "overdue_claims": overdue,
        "unclaimed": registry.unclaimed(entities).count(),
        "outside_grids": registry.outside_grids(entities).count(),
        "hot": entities.filter(hot_industry=True).count(),
        "chart_json": json.dumps(chart, ensure_ascii=False),
        "todo": todo_for(request.user, today),
        "calendar_nag": calendar_nag(request.user, today),
        "jobs_nag": jobs_nag(request.user, timezone.now()),
    }
    return render(request, "web/home.html", context)
