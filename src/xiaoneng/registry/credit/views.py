"""Pages of credit grade proposals (信用反馈, 篇2): the list with the rule table, and a decision
through ``registry.feedback``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, act, known_filters, paginate, query_string
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.credit.forms import DecisionForm
from xiaoneng.registry.credit.services import decide_proposal
from xiaoneng.registry.models import CreditProposal, CreditRule

# Credit proposals ---------------------------------------------------------------------------


@login_required
def credit_list(request: OfficerRequest) -> HttpResponse:
    """Credit grade proposals (pending first) with their source, and the rule table."""
    proposals = scoped(CreditProposal.objects.select_related("entity", "decided_by"), request.user)
    params = known_filters(
        request, status=Choice(_("状态"), [*CreditProposal.Status.values, "all"])
    )
    status = params.get("status", "pending")
    if status in CreditProposal.Status.values:
        proposals = proposals.filter(status=status)
    context = {
        "page": paginate(request, proposals.order_by("-proposed_at", "-id")),
        "query": query_string(params, "status"),
        "status": status,
        "statuses": CreditProposal.Status.choices,
        "rules": CreditRule.objects.order_by("trigger"),
        "may_decide": access.can(request.user, access.EDIT_REGISTER),
        "rules_admin": request.user.is_staff,
    }
    return render(request, "registry/credit_list.html", context)


@login_required
@require_POST
def credit_decide(request: OfficerRequest, pk: int) -> HttpResponse:
    proposal = get_scoped(CreditProposal.objects.select_related("entity"), request.user, pk=pk)
    back = redirect(f"{reverse('registry:credit_list')}?status=pending")
    form = DecisionForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return back
    confirm = form.confirms()
    done = _("已确认调整信用等级") if confirm else _("已驳回调整建议")
    return act(
        request,
        lambda: decide_proposal(
            proposal=proposal,
            confirm=confirm,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        f"{done}：{proposal.entity.name}",
        back,
    )
