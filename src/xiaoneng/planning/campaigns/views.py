"""Pages of campaigns (专项整治): the list, the form that starts one, its figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.pages import paginate, parse_day, query_string
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.campaigns import services as campaigns
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


def _campaign_input(request: OfficerRequest) -> campaigns.CampaignInput:
    post = request.POST
    usccs: list[str] | None = None
    if post.get("population") == "list":
        upload = request.FILES.get("file")
        text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
        usccs = (text + "\n" + post.get("usccs", "")).splitlines()
    filters: dict[str, Any] | None = None
    if usccs is None:
        names = {key: key for key in campaigns.FILTER_KEYS} | {"unit": "area_unit"}
        filters = {k: post[f] for k, f in names.items() if k != "hot_industry" and post.get(f)}
        if post.get("hot_industry") == "1":
            filters["hot_industry"] = True
    return campaigns.CampaignInput(
        title=post.get("title", ""),
        theme=post.get("theme", ""),
        checkpoints=post.get("checkpoints", ""),
        start_on=parse_day(post.get("start_on")),
        end_on=parse_day(post.get("end_on")),
        description=post.get("description", ""),
        partners=post.get("partners", ""),
        unit_code=post.get("unit") or None,
        filters=filters,
        usccs=usccs,
        capacity=post.get("capacity") or None,
    )


@login_required
def campaign_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.MANAGE_CAMPAIGNS)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            campaign = campaigns.create_campaign(data=_campaign_input(request), actor=request.user)
        except DomainError as error:
            errors = error.by_field
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已部署专项整治：%(title)s") % {"title": campaign.title})
            return redirect("planning:campaign_detail", pk=campaign.pk)
    context = {
        "form": request.POST if request.method == "POST" else {"population": "filters"},
        "errors": errors,
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
    status = request.GET.get("status", "")
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    context = {
        "campaign": campaign,
        "state": campaigns.status(campaign),
        "stats": campaigns.statistics(campaign),
        "confiscations": campaigns.confiscations(campaign)[:20],
        "page": paginate(request, tasks.order_by("scheduled_on", "id")),
        "query": query_string(request, "status"),
        "status": status,
        "statuses": Task.Status.choices,
        "visits_saved": plan_queries.summarise(campaign.plan).visits_saved,
        "today": timezone.localdate(),
    }
    return render(request, "planning/campaign_detail.html", context)
