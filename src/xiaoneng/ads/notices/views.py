"""Pages of notices (警示、责令改正、停止发布) and confiscated printed matter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads import common
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices import services
from xiaoneng.ads.notices.forms import ConfiscationForm, NoticeForm, OutcomeForm
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.pages import Input, list_page, render_form, shown, with_entities
from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import act, paginate
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

S = AdNotice.Status


def notices_for(user: Any) -> QuerySet[AdNotice]:
    return scoped(AdNotice.objects.select_related("entity", "unit", "ad"), user)


def confiscations_for(user: Any) -> QuerySet[Confiscation]:
    return scoped(Confiscation.objects.select_related("entity", "unit", "notice"), user)


@login_required
def notice_list(request: OfficerRequest) -> HttpResponse:
    context = list_page(
        request,
        notices_for(request.user),
        choices={"kind": AdNotice.Kind.values, "status": S.values},
    ) | {
        "kinds": AdNotice.Kind.choices,
        "statuses": S.choices,
        "today": timezone.localdate(),
        "may_edit": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/notices/notice_list.html", context)


@login_required
def notice_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``issue_notice``; ``?ad=`` names the monitored ad it is about."""
    access.require(request.user, access.SUPERVISE_ADS)
    ad: MonitoredAd | None = None
    ad_id = request.GET.get("ad", "").strip()
    if ad_id:
        ad = get_scoped(
            MonitoredAd.objects.select_related("advertiser"),
            request.user,
            pk=ad_id if ad_id.isdigit() else 0,
        )
    today = timezone.localdate()
    initial = {"kind": AdNotice.Kind.WARNING, "issued_on": today.isoformat()}
    if ad is not None:
        initial |= {
            "entity": ad.advertiser.uscc if ad.advertiser else "",
            "party": ad.advertiser_name,
        }
    form = with_entities(NoticeForm(**posted(request), initial=initial), request)
    if form.is_valid():
        try:
            notice = services.issue_notice(actor=request.user, ad=ad, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已制发：%(n)s") % {"n": notice.number})
            return redirect("ads:notice_detail", pk=notice.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    return render_form(
        request,
        title=_("制发广告监管文书"),
        back=reverse("ads:notice_list"),
        back_label=_("监管文书"),
        form=form,
        inputs=[
            Input("kind", _("文书类别"), "select", list(AdNotice.Kind.choices)),
            Input("entity", _("当事人主体（统一社会信用代码，选填）")),
            Input("party", _("当事人（未填主体时必填）")),
            Input("issued_on", _("送达日期"), "date", width=3),
            Input("deadline", _("履行期限"), "date", width=3),
            Input("content", _("违法事实及要求"), "textarea", width=12),
        ],
        intro=_("文书按类别和年度编号；履行期限须晚于送达日期。")
        + (_("关于监测广告：%(a)s") % {"a": ad} if ad else ""),
    )


def _detail(
    request: OfficerRequest, notice: AdNotice, form: OutcomeForm | None = None, status: int = 200
) -> HttpResponse:
    form = form or OutcomeForm(initial={"on": timezone.localdate().isoformat(), "complied": "1"})
    context = {
        "notice": notice,
        "actions": services.actions_for(notice, request.user),
        "fields": shown(
            [
                Input(
                    "complied",
                    _("履行情况"),
                    "select",
                    [("1", _("已履行")), ("0", _("逾期未履行"))],
                    width=3,
                ),
                Input("on", _("核实日期"), "date", width=3),
                Input("note", _("说明"), width=6),
            ],
            form,
        ),
        "confiscations": notice.confiscations.all(),
        "history": readable(audit.history(notice)[:50], AdNotice),
    }
    return render(request, "ads/notices/notice_detail.html", context, status=status)


@login_required
def notice_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped(notices_for(request.user), request.user, pk=pk))


@login_required
@require_POST
def notice_outcome(request: OfficerRequest, pk: int) -> HttpResponse:
    notice = get_scoped(notices_for(request.user), request.user, pk=pk)
    common.require(request.user, notice.unit_id)
    form = OutcomeForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _detail(request, notice, form, InvalidInput.status_code)
    data = form.cleaned_data

    def run() -> str:
        services.record_outcome(
            notice=notice,
            actor=request.user,
            complied=data["complied"] == "1",
            on=data["on"],
            note=data["note"],
        )
        return _("已记录：%(s)s") % {"s": notice.get_status_display()}

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        notice.refresh_from_db()
        return _detail(request, notice, form, error.status_code)

    return act(request, run, None, redirect("ads:notice_detail", pk=notice.pk), refused=refused)


@login_required
def confiscation_list(request: OfficerRequest) -> HttpResponse:
    rows = confiscations_for(request.user)
    context = {
        "page": paginate(request, rows),
        "query": "",
        "may_edit": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/notices/confiscation_list.html", context)


@login_required
def confiscation_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.SUPERVISE_ADS)
    initial = {"seized_on": timezone.localdate().isoformat()}
    form = with_entities(ConfiscationForm(**posted(request), initial=initial), request)
    if form.is_valid():
        try:
            services.record_confiscation(actor=request.user, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记收缴"))
            return redirect("ads:confiscation_list")
    elif form.is_bound:
        messages.error(request, form.for_page)
    return render_form(
        request,
        title=_("登记违法印刷品收缴"),
        back=reverse("ads:confiscation_list"),
        back_label=_("违法印刷品收缴"),
        form=form,
        inputs=[
            Input("entity", _("当事人主体（统一社会信用代码，选填）")),
            Input("party", _("当事人（未填主体时必填）")),
            Input("description", _("印刷品名称")),
            Input("quantity", _("数量（份）"), "number", width=3),
            Input("seized_on", _("收缴日期"), "date", width=3),
        ],
    )
