"""Pages of the callback rounds and rules (回访, 篇9): the rounds drawn each month with their
seeds and the draw form, one round with whether drawing again matches, and each unit's
sampling rules with the form that sets one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import rounds, rules
from xiaoneng.timeliness.callbacks.forms import DrawForm, RuleForm
from xiaoneng.timeliness.callbacks.models import (
    CallbackRound,
    CallbackRule,
    Channel,
    SampleMode,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.views import form_action, is_month, units_of

# Rounds -----------------------------------------------------------------------------------------


def _rounds_context(request: OfficerRequest, form: PageForm | None = None) -> dict[str, Any]:
    known = known_filters(request, month=Choice(_("月份"), is_month))
    month = known.get("month", "").strip()
    drawn = scoped(CallbackRound.objects.select_related("unit", "drawn_by"), request.user)
    if month:
        drawn = drawn.filter(month=month)
    return {
        "page": paginate(request, drawn.order_by("-month", "unit__path", "subject_kind")),
        "params": {"month": month},
        "query": params_query({"month": month}),
        "may_draw": access.can(request.user, access.RUN_CALLBACKS),
        "units": units_of(request),
        "kinds": SubjectKind.choices,
        "values": form.shown if form is not None else {"month": rounds.last_month()},
        "errors": form.field_errors if form is not None else {},
    }


@login_required
def callback_rounds(request: OfficerRequest) -> HttpResponse:
    """The rounds drawn, latest month first, and the draw form."""
    return render(request, "timeliness/callbacks/callback_rounds.html", _rounds_context(request))


@login_required
@require_POST
def callback_round_draw(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.RUN_CALLBACKS)
    form = DrawForm(**posted(request), units=units_of(request))
    holder: dict[str, CallbackRound] = {}

    def run() -> str:
        data = form.cleaned_data
        holder["round"] = rounds.draw_round(
            unit=data["unit"],
            month=data["month"],
            subject_kind=data["subject_kind"],
            actor=request.user,
        )
        drawn = holder["round"]
        return _("已抽取 %(n)d 条回访（可回访 %(p)d 条）") % {
            "n": drawn.callbacks.count(),
            "p": drawn.population,
        }

    def shown_again(status: int) -> HttpResponse:
        context = _rounds_context(request, form)
        return render(request, "timeliness/callbacks/callback_rounds.html", context, status=status)

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    try:
        message = run()
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        return refused(error)
    messages.success(request, message)
    return redirect("timeliness:callback_round", pk=holder["round"].pk)


@login_required
def callback_round(request: OfficerRequest, pk: int) -> HttpResponse:
    """A round: its seed, population digest, whether drawing again matches, its callbacks."""
    drawn = get_scoped(
        CallbackRound.objects.select_related("unit", "drawn_by"), request.user, pk=pk
    )
    context = {
        "round": drawn,
        "verification": rounds.check_round(drawn),
        "callbacks": scoped(drawn.callbacks.select_related("officer"), request.user).order_by("id"),
        "history": readable(audit.history(drawn)[:50], CallbackRound),
    }
    return render(request, "timeliness/callbacks/callback_round.html", context)


# Rules ------------------------------------------------------------------------------------------


def _rules_context(request: OfficerRequest, form: PageForm | None = None) -> dict[str, Any]:
    return {
        "rules": scoped(CallbackRule.objects.select_related("unit"), request.user),
        "may_edit": access.can(request.user, access.RUN_CALLBACKS),
        "units": units_of(request),
        "kinds": SubjectKind.choices,
        "modes": SampleMode.choices,
        "channels": Channel.choices,
        "values": form.shown if form is not None else {"mode": SampleMode.ALL, "active": "1"},
        "errors": form.field_errors if form is not None else {},
    }


@login_required
def callback_rules(request: OfficerRequest) -> HttpResponse:
    """Each unit's sampling rules, and the form that sets one."""
    return render(request, "timeliness/callbacks/callback_rules.html", _rules_context(request))


@login_required
@require_POST
def callback_rule_save(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.RUN_CALLBACKS)
    form = RuleForm(**posted(request), units=units_of(request))

    def run() -> str:
        data = form.cleaned_data
        rule = rules.save_rule(
            actor=request.user,
            unit=data["unit"],
            subject_kind=data["subject_kind"],
            mode=data["mode"],
            share=data["share"],
            count=data["count"],
            channel=data["channel"] or Channel.PHONE,
            active=data["active"] == "1",
        )
        return _("已保存回访规则：%(r)s") % {"r": rule}

    def shown_again(status: int) -> HttpResponse:
        context = _rules_context(request, form)
        return render(request, "timeliness/callbacks/callback_rules.html", context, status=status)

    return form_action(request, None, form, run, redirect("timeliness:callback_rules"), shown_again)
