"""Pages of the sellers: the list, one seller with its claim, hits, network and decision,
the decision and referral actions, and the networks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, is_flag, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped
from xiaoneng.online.forms import AnswerForm, DecisionForm
from xiaoneng.online.labels import categories
from xiaoneng.online.listings.search import platforms
from xiaoneng.online.sellers import networks, services
from xiaoneng.online.sellers.models import Referral, Seller, UsccCheck
from xiaoneng.online.sellers.queries import SellerQuery, filtered, referrals_for, sellers_for
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

FILTERS = ("q", "platform", "flagged", "status", "uscc_check")
ACTIONS = ("task", "referral", "dismiss")
ANSWERS = ("received", "answered")
NETWORKS_SHOWN = 100


@login_required
def seller_list(request: OfficerRequest) -> HttpResponse:
    """Sellers, flagged and most hit first."""
    known = known_filters(
        request,
        platform=Choice(_("平台"), platforms(request.user)),
        flagged=Choice(_("只看已标记"), is_flag),
        status=Choice(_("处理状态"), Seller.Status.values),
        uscc_check=Choice(_("登记核验"), UsccCheck.values),
    )
    params = {name: str(known.get(name, "")).strip() for name in FILTERS}
    query = SellerQuery(
        q=params["q"][:100],
        platform=params["platform"],
        flagged=params["flagged"].lower() in ("1", "true", "yes", "on"),
        status=params["status"],
        uscc_check=params["uscc_check"],
    )
    context = {
        "page": paginate(request, filtered(sellers_for(request.user), query)),
        "params": params,
        "query": params_query(params),
        "platforms": platforms(request.user),
        "statuses": Seller.Status.choices,
        "checks": UsccCheck.choices,
        "labels": categories(),
    }
    return render(request, "online/seller_list.html", context)


def _context(
    request: OfficerRequest, seller: Seller, errors: dict[str, str], form: dict[str, Any]
) -> dict[str, Any]:
    may_decide = (
        access.can(request.user, access.MONITOR_ONLINE)
        and seller.flagged
        and seller.status == Seller.Status.PENDING
    )
    labels = categories()
    return {
        "seller": seller,
        "by_category": [
            (labels.get(c, c), n)
            for c, n in sorted(seller.hits_by_category.items(), key=lambda i: -i[1])
        ],
        "listings": seller.listings.filter(hit_count__gt=0).order_by("-captured_at")[:20],
        "attributes": seller.attributes.order_by("kind", "value"),
        "network": networks.network_of(sellers_for(request.user), seller.pk),
        "referrals": seller.referrals.all(),
        "may_decide": may_decide,
        "may_task": may_decide and seller.entity_id is not None,
        "may_answer": access.can(request.user, access.MONITOR_ONLINE),
        "to_kinds": Referral.To.choices,
        "errors": errors,
        "form": form,
        "history": readable(audit.history(seller)[:50], Seller),
    }


@login_required
def seller_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    seller = get_scoped(sellers_for(request.user), request.user, pk=pk)
    return render(request, "online/seller_detail.html", _context(request, seller, {}, {}))


@login_required
@require_POST
def seller_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """Decide on a flagged seller: an inspection task, a referral, or dismissal."""
    seller = get_scoped(sellers_for(request.user), request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    access.require(request.user, access.MONITOR_ONLINE)
    form = DecisionForm(**posted(request))

    def run() -> str:
        if not form.is_valid():
            raise InvalidInput(form.for_page)
        data = form.cleaned_data
        if action == "task":
            services.decide_task(seller=seller, actor=request.user, reason=data["reason"])
            return _("已转检查任务")
        if action == "referral":
            services.decide_referral(
                seller=seller,
                actor=request.user,
                to_kind=data["to_kind"],
                to_name=data["to_name"],
                referred_on=data["referred_on"],
                reason=data["reason"],
            )
            return _("已移送")
        services.dismiss(seller=seller, actor=request.user, reason=data["reason"])
        return _("已排除")

    def refused(error: Any) -> HttpResponse:
        form.add_service_errors(error)
        seller.refresh_from_db()
        context = _context(request, seller, form.field_errors, form.shown)
        return render(request, "online/seller_detail.html", context, status=422)

    back = redirect("online:seller_detail", pk=seller.pk)
    return act(request, run, None, back, refused=refused)


@login_required
@require_POST
def referral_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """Record that a referral was received, or what came back of it."""
    referral = get_scoped(referrals_for(request.user), request.user, pk=pk)
    if action not in ANSWERS:
        raise Http404(_("没有这个操作"))
    access.require(request.user, access.MONITOR_ONLINE)
    form = AnswerForm(**posted(request))

    def run() -> str:
        if not form.is_valid():
            raise InvalidInput(form.for_page)
        services.record_answer(
            referral=referral,
            actor=request.user,
            to=action,
            on=form.cleaned_data["on"],
            answer=form.cleaned_data["answer"],
        )
        return _("已记录")

    return act(request, run, None, redirect("online:seller_detail", pk=referral.seller_id))


@login_required
def network_list(request: OfficerRequest) -> HttpResponse:
    """Seller networks, most hits and largest first."""
    found = networks.networks(sellers_for(request.user))
    shown = found[:NETWORKS_SHOWN]
    networks.with_sellers(shown)
    return render(request, "online/network_list.html", {"networks": shown, "count": len(found)})


@login_required
def network_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """The network holding the seller ``pk``, with the shared attributes linking it."""
    seller = get_scoped(sellers_for(request.user), request.user, pk=pk)
    network = networks.network_of(sellers_for(request.user), seller.pk)
    if network is None:
        raise Http404(_("该卖家不属于任何关联网络"))
    names = {s.pk: str(s) for s in network.sellers}
    reasons = [
        (shared.label, shared.value, "、".join(names[pk] for pk in shared.seller_ids))
        for shared in network.shared
    ]
    context = {"network": network, "seller": seller, "reasons": reasons}
    return render(request, "online/network_detail.html", context)
