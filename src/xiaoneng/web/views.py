"""The shell's own pages: log-in (throttled) and the overview."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import throttle
from xiaoneng.core.calendar import CalendarUnknown
from xiaoneng.core.scoping import scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry import queries as registry
from xiaoneng.registry.models import CreditGrade, Entity, RiskClass
from xiaoneng.web.todo import todo_for


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class LoginView(auth_views.LoginView):
    """Django's log-in, refusing a user name or address after repeated failures."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if throttle.login_blocked(username=username, address=client_address(request)):
            form = self.get_form()
            form.add_error(None, ValidationError(_("登录失败次数过多，请 15 分钟后再试。")))
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if self.request.method == "POST" and not throttle.login_blocked(
            username=self.request.POST.get("username", ""), address=client_address(self.request)
        ):
            throttle.note_failure(
                username=self.request.POST.get("username", ""), address=client_address(self.request)
            )
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.clear_failures(username=form.get_user().get_username())
        return super().form_valid(form)


@login_required
def home(request: OfficerRequest) -> HttpResponse:
    """The overview of the user's scope: the register by class and grade, and what waits."""
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
    }
    return render(request, "web/home.html", context)
