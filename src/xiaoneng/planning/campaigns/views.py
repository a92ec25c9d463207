"""Pages of campaigns (专项整治): the list, the form that starts one, its figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, known_filters, paginate, query_string
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.campaigns import services as campaigns
from xiaoneng.planning.campaigns.forms import CampaignForm
from xiaoneng.planning.campaigns.risk_share import risk_share_used, unscored_note
from xiaoneng.planning.patrol import assign
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.planning.patrol.models import Campaign, Task


@login_required
def campaign_list(request: OfficerRequest) -> HttpResponse:
    items = scoped(Campaign.objects.select_related("unit", "plan"), request.user).order_by(
        "-start_on", "-id"
    )
    page = paginate(request, items)
    plans = {c.plan_id: c.plan for c in page}
    plan_queries.count_tasks(list(plans.values()))
    today = timezone.localdate()
    for item in page:
        item.state = campaigns.status(item, today)
        item.phase = campaigns.phase(item, today)
        item.total, item.done = item.plan.total, item.plan.done
    context = {
        "page": page,
        "query": "",
        "can_manage": access.can(request.user, access.MANAGE_CAMPAIGNS),
    }
    return render(request, "planning/campaign_list.html", context)


@login_required
def campaign_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.MANAGE_CAMPAIGNS)
    form = CampaignForm(**posted(request), initial={"population": "filters"})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.create_campaign(data=form.campaign_input(), actor=request.user)
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已部署专项整治：%(title)s") % {"title": campaign.title})
            used = risk_share_used(campaign)
            if used and used["unscored"]:
                messages.warning(request, unscored_note(used))
            return redirect("planning:campaign_detail", pk=campaign.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "themes": Campaign.Theme.choices,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
        "stations": scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user),
        "today": timezone.localdate(),
        "capacity": assign.default_capacity(),
    }
    return render(request, "planning/campaign_form.html", context)


@login_required
def campaign_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    campaign = get_scoped(
        Campaign.objects.select_related("unit", "plan", "created_by"), request.user, pk=pk
    )
    tasks = plan_queries.tasks_for(request.user).filter(plan_id=campaign.plan_id)
    used = risk_share_used(campaign)
    params = known_filters(request, status=Choice(_("任务状态"), Task.Status.values))
    status = params.get("status", "")
    if status:
        tasks = tasks.filter(status=status)
    context = {
        "campaign": campaign,
        "state": campaigns.status(campaign),
        "stats": campaigns.statistics(campaign),
        "confiscations": campaigns.confiscations(campaign)[:20],
        "page": paginate(request, tasks.order_by("scheduled_on", "id")),
        "query": query_string(params, "status"),
        "status": status,
        "statuses": Task.Status.choices,
        "visits_saved": plan_queries.summarise(campaign.plan).visits_saved,
        "risk_share": used,
        "unscored_note": unscored_note(used) if used and used["unscored"] else "",
        "today": timezone.localdate(),
    }
    return render(request, "planning/campaign_detail.html", context)
