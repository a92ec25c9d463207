"""Pages of pre-publication filings (发布前备案): the list, the form, the detail with the
keyword hits, what blocks acceptance, and the decisions the user may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads import common
from xiaoneng.ads.filings import services
from xiaoneng.ads.filings.forms import DecisionForm, FilingForm
from xiaoneng.ads.filings.models import Filing, FilingKind
from xiaoneng.ads.operators.models import Medium
from xiaoneng.ads.pages import Input, list_page, render_form, shown, with_entities
from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import act
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

ACTIONS = {"accept": _("备案"), "return": _("退回"), "revoke": _("撤销")}


def filings_for(user: Any) -> QuerySet[Filing]:
    return scoped(Filing.objects.select_related("advertiser", "unit"), user)


def filing_inputs() -> list[Input]:
    return [
        Input("advertiser", _("广告主（统一社会信用代码）")),
        Input("kind", _("广告类别"), "select", list(FilingKind.choices)),
        Input("title", _("广告名称")),
        Input("medium", _("拟发布媒介"), "select", list(Medium.choices)),
        Input("text", _("广告内容"), "textarea", width=12),
        Input(
            "approval_number",
            _("广告审查批准文号"),
            help=_("医疗、药品、医疗器械、保健食品广告必填（《广告法》第四十六条）"),
        ),
        Input("approval_expires_on", _("批准文号有效期至"), "date", width=3),
        Input("submitted_on", _("提交日期"), "date", width=3),
    ]


@login_required
def filing_list(request: OfficerRequest) -> HttpResponse:
    context = list_page(
        request,
        filings_for(request.user),
        choices={"kind": FilingKind.values, "status": Filing.Status.values},
        search=("title", "advertiser__name"),
    ) | {
        "kinds": FilingKind.choices,
        "statuses": Filing.Status.choices,
        "may_edit": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/filings/filing_list.html", context)


@login_required
def filing_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.SUPERVISE_ADS)
    initial = {
        "kind": FilingKind.MEDICAL,
        "medium": Medium.TV,
        "submitted_on": timezone.localdate().isoformat(),
    }
    form = with_entities(FilingForm(**posted(request), initial=initial), request)
    if form.is_valid():
        try:
            filing = services.submit_filing(actor=request.user, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已提交备案：%(n)s") % {"n": filing.number})
            return redirect("ads:filing_detail", pk=filing.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    return render_form(
        request,
        title=_("登记发布前备案"),
        back=reverse("ads:filing_list"),
        back_label=_("发布前备案"),
        form=form,
        inputs=filing_inputs(),
        intro=_("提交时自动以关键词特征库检查广告内容；命中违法用语或批准文号过期的不能备案。"),
    )


def _detail(
    request: OfficerRequest, filing: Filing, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    form = form or DecisionForm(initial={"on": today.isoformat()})
    context = {
        "filing": filing,
        "blockers": services.blockers(filing, today) if filing.status == "submitted" else [],
        "hits": [
            h | {"label": common.CATEGORIES.get(h.get("category", ""), h.get("category", ""))}
            for h in filing.hits
        ],
        "actions": [(a, ACTIONS[a]) for a in services.actions_for(filing, request.user)],
        "fields": shown(
            [
                Input("on", _("日期"), "date", width=3),
                Input("reason", _("理由（退回、撤销必填）"), width=9),
            ],
            form,
        ),
        "errors": form.field_errors,
        "history": readable(audit.history(filing)[:50], Filing),
    }
    return render(request, "ads/filings/filing_detail.html", context, status=status)


@login_required
def filing_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped(filings_for(request.user), request.user, pk=pk))


@login_required
@require_POST
def filing_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    filing = get_scoped(filings_for(request.user), request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    common.require(request.user, filing.unit_id)
    form = DecisionForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _detail(request, filing, form, InvalidInput.status_code)
    data, actor = form.cleaned_data, request.user

    def run() -> str:
        if action == "accept":
            services.accept_filing(filing=filing, actor=actor, on=data["on"])
        elif action == "return":
            services.return_filing(filing=filing, actor=actor, on=data["on"], reason=data["reason"])
        else:
            services.revoke_filing(filing=filing, actor=actor, on=data["on"], reason=data["reason"])
        return _("备案状态：%(s)s") % {"s": filing.get_status_display()}

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        filing.refresh_from_db()
        return _detail(request, filing, form, error.status_code)

    back = redirect("ads:filing_detail", pk=filing.pk)
    return act(request, run, None, back, refused=refused)
