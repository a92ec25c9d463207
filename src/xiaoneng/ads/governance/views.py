"""Pages of the accountability ladders (篇1): the reviewers and the parties with a history, a
subject's ladder (history, decisions, the pending proposal), recording an event and deciding
a proposal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads.governance import queries
from xiaoneng.ads.governance import services as ladders
from xiaoneng.ads.governance.forms import DecisionForm, EventForm, ReviewerForm
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import act, paginate
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity


@login_required
def reviewer_list(request: OfficerRequest) -> HttpResponse:
    """The ad reviewers of the outlets in the user's scope."""
    search = request.GET.get("q", "").strip()[:50]
    page = paginate(request, queries.reviewers(request.user, search=search))
    context = {
        "page": page,
        "q": search,
        "may_record": ladders.may_record(request.user),
    }
    return render(request, "ad_governance/reviewer_list.html", context)


@login_required
def party_list(request: OfficerRequest) -> HttpResponse:
    """The advertisers, operators and publishers in scope that have a ladder history."""
    page = paginate(request, queries.parties(request.user))
    counts = queries.party_event_counts([entity.pk for entity in page])
    rows = [{"entity": entity, "events": counts.get(entity.pk, 0)} for entity in page]
    return render(request, "ad_governance/party_list.html", {"page": page, "rows": rows})


@login_required
def reviewer_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``register_reviewer``."""
    access.require(request.user, access.SUPERVISE_ADS)
    outlets = scoped(Entity.objects.filter(archived_at__isnull=True), request.user)
    form = ReviewerForm(**posted(request), outlets=outlets)
    if form.is_valid():
        try:
            reviewer = ladders.register_reviewer(actor=request.user, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记广告审查员：%(r)s") % {"r": reviewer})
            return redirect("ad_governance:reviewer_ladder", pk=reviewer.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {"form": form.shown, "errors": form.field_errors}
    return render(request, "ad_governance/reviewer_form.html", context)


def _ladder_page(
    request: OfficerRequest,
    subject: ladders.Subject,
    *,
    errors: dict[str, str] | None = None,
    shown: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = queries.ladder_view(subject)
    user = request.user
    context = {
        "subject": subject,
        "reviewer": subject.reviewer,
        "party": subject.party,
        "view": view,
        "may_record": ladders.may_record(user, subject.unit_id),
        "may_decide": ladders.may_decide(user, subject.unit_id),
        "errors": errors or {},
        "shown": shown or {},
        "today": timezone.localdate(),
        "event_url": _url(subject, "event"),
        "decide_url": _url(subject, "decide"),
    }
    return render(request, "ad_governance/ladder.html", context, status=status)


def _url(subject: ladders.Subject, action: str) -> str:
    if subject.reviewer is not None:
        return reverse(f"ad_governance:reviewer_{action}", kwargs={"pk": subject.reviewer.pk})
    assert subject.party is not None
    return reverse(f"ad_governance:party_{action}", kwargs={"pk": subject.party.pk})


def _back(subject: ladders.Subject) -> HttpResponse:
    if subject.reviewer is not None:
        return redirect("ad_governance:reviewer_ladder", pk=subject.reviewer.pk)
    assert subject.party is not None
    return redirect("ad_governance:party_ladder", pk=subject.party.pk)


@login_required
def reviewer_ladder(request: OfficerRequest, pk: int) -> HttpResponse:
    """A reviewer's ladder: history, decisions and the pending proposal."""
    return _ladder_page(request, queries.reviewer_subject(request.user, pk))


@login_required
def party_ladder(request: OfficerRequest, pk: int) -> HttpResponse:
    """A party's ladder (an entity of the register)."""
    return _ladder_page(request, queries.party_subject(request.user, pk))


def _post(
    request: OfficerRequest,
    subject: ladders.Subject,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Bind ``form``, run the service on its data, and answer like ``core.pages.act``."""

    def refused(error: DomainError) -> HttpResponse:
        return _ladder_page(
            request,
            subject,
            errors=error.by_field,
            shown=dict(request.POST.items()),
            status=error.status_code,
        )

    if not form.is_valid():
        messages.error(request, form.for_page)
        return refused(InvalidInput(form.for_page, errors=form.error_list))
    return act(request, lambda: run(form.cleaned_data), done, _back(subject), refused=refused)


def _record(request: OfficerRequest, subject: ladders.Subject) -> HttpResponse:
    return _post(
        request,
        subject,
        EventForm(**posted(request)),
        lambda data: ladders.record_event(subject=subject, actor=request.user, **data),
        _("已登记事件"),
    )


def _decide(request: OfficerRequest, subject: ladders.Subject) -> HttpResponse:
    def run(data: dict[str, Any]) -> Any:
        return ladders.decide_step(
            subject=subject,
            actor=request.user,
            key=data["key"],
            confirm=data["decision"] == "confirm",
            decided_on=data["decided_on"],
            reason=data["reason"],
            outcome=data["outcome"],
            document=data["document"],
        )

    return _post(request, subject, DecisionForm(**posted(request)), run, _("已登记决定"))


@login_required
@require_POST
def reviewer_event(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record an event of a reviewer's ladder."""
    return _record(request, queries.reviewer_subject(request.user, pk))


@login_required
@require_POST
def party_event(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record an event of a party's ladder."""
    return _record(request, queries.party_subject(request.user, pk))


@login_required
@require_POST
def reviewer_decide(request: OfficerRequest, pk: int) -> HttpResponse:
    """Confirm or decline a proposed step of a reviewer's ladder."""
    return _decide(request, queries.reviewer_subject(request.user, pk))


@login_required
@require_POST
def party_decide(request: OfficerRequest, pk: int) -> HttpResponse:
    """Confirm or decline a proposed step of a party's ladder."""
    return _decide(request, queries.party_subject(request.user, pk))
