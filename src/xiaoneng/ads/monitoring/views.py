"""Pages of monitored ads: the list, entry and import, the detail with its hits to confirm
or dismiss, and a confirmed violation filed as a case or ordered rectified."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads import common
from xiaoneng.ads.monitoring import findings, importing, services
from xiaoneng.ads.monitoring.forms import (
    CaseForm,
    HitForm,
    ImportForm,
    MonitoredAdForm,
    RectifyForm,
)
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.operators.models import Medium
from xiaoneng.ads.pages import Input, list_page, render_form, shown, with_entities
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.pages import act
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

R = MonitoredAd.Review


def ads_for(user: Any) -> QuerySet[MonitoredAd]:
    return scoped(
        MonitoredAd.objects.select_related("advertiser", "unit", "case", "finding__rectification"),
        user,
    )


def ad_inputs() -> list[Input]:
    return [
        Input("medium", _("媒介类型"), "select", list(Medium.choices), width=3),
        Input("outlet", _("发布媒体（位置）"), width=5),
        Input("captured_at", _("监测时间"), "datetime-local", width=4),
        Input("advertiser", _("本地广告主（统一社会信用代码，选填）")),
        Input("advertiser_name", _("广告主名称（非本地广告主必填）")),
        Input("kind", _("广告类别"), "select", list(common.AD_KINDS.items()), width=4),
        Input("text", _("广告内容"), "textarea", width=12),
    ]


@login_required
def monitored_list(request: OfficerRequest) -> HttpResponse:
    rows = ads_for(request.user).annotate(hit_count=Count("hits")).order_by("-captured_at", "-id")
    context = list_page(
        request,
        rows,
        choices={"medium": Medium.values, "review": R.values, "kind": common.AD_KINDS},
        search=("advertiser_name", "text"),
    ) | {
        "media": Medium.choices,
        "reviews": R.choices,
        "kinds": list(common.AD_KINDS.items()),
        "may_edit": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/monitoring/monitored_list.html", context)


@login_required
def monitored_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.SUPERVISE_ADS)
    initial = {"medium": Medium.TV, "kind": "general"}
    form = with_entities(MonitoredAdForm(**posted(request), initial=initial), request)
    if form.is_valid():
        try:
            ad = services.record_ad(actor=request.user, ad=services.AdInput(**form.cleaned_data))
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            found = ad.hits.count()
            messages.success(request, _("已录入，命中 %(n)d 处") % {"n": found})
            return redirect("ads:monitored_detail", pk=ad.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    return render_form(
        request,
        title=_("录入监测广告"),
        back=reverse("ads:monitored_list"),
        back_label=_("广告监测"),
        form=form,
        inputs=ad_inputs(),
        intro=_("录入后自动以关键词特征库检查，命中须逐条确认或排除。"),
    )


@login_required
def monitored_import(request: OfficerRequest) -> HttpResponse:
    """Import a JSONL or CSV file of monitored ads (``importing.import_ads``)."""
    access.require(request.user, access.SUPERVISE_ADS)
    form = ImportForm(**posted(request))
    if form.is_valid() and form.is_bound:
        upload = form.cleaned_data["file"]
        try:
            if upload is None:
                raise InvalidInput.single("file", _("请选择要导入的文件（.jsonl 或 .csv）"))
            made = importing.import_ads(actor=request.user, data=upload.read(), name=upload.name)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.message if len(error.errors) > 1 else error.for_page)
        else:
            hits = sum(1 for ad in made if ad.review == R.PENDING)
            messages.success(
                request, _("已导入 %(n)d 条，其中 %(h)d 条待确认") % {"n": len(made), "h": hits}
            )
            return redirect("ads:monitored_list")
    return render_form(
        request,
        title=_("导入监测广告"),
        back=reverse("ads:monitored_list"),
        back_label=_("广告监测"),
        form=form,
        inputs=[Input("file", _("文件（.jsonl 或 .csv）"), "file", width=12)],
        intro=_(
            "每行一条广告：id、text、kind（广告类别）、channel（媒介类型）、outlet（发布媒体）、"
            "advertiser（广告主名称）、uscc（本地广告主）、captured_at（监测时间）。"
            "有任何一行出错时整个文件不导入。"
        ),
        multipart=True,
    )


def _detail(
    request: OfficerRequest, ad: MonitoredAd, forms: dict[str, PageForm], status: int = 200
) -> HttpResponse:
    hit_form = forms.get("decide") or HitForm()
    case_form = forms.get("file_case") or CaseForm(initial={"on": timezone.localdate().isoformat()})
    actions = services.actions_for(ad, request.user)
    rectify_form = forms.get("rectify") or RectifyForm(
        initial={"term": "days", "working_days": "10"}
        | (findings.prefilled(ad) if "rectify" in actions else {})
    )
    context = {
        "ad": ad,
        "hits": [(h, common.CATEGORIES.get(h.category, h.category)) for h in ad.hits.all()],
        "actions": actions,
        "rectify_form": rectify_form.shown,
        "rectify_errors": rectify_form.field_errors,
        "today": timezone.localdate(),
        "case_fields": shown([Input("on", _("线索登记日期"), "date", width=4)], case_form),
        "hit_errors": hit_form.field_errors,
        "failed_hit": request.POST.get("hit", "") if "decide" in forms else "",
        "notices": ad.notices.all(),
        "may_notice": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/monitoring/monitored_detail.html", context, status=status)


@login_required
def monitored_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped(ads_for(request.user), request.user, pk=pk), {})


ACTION_FORMS: dict[str, type[PageForm]] = {
    "decide": HitForm,
    "file_case": CaseForm,
    "rectify": RectifyForm,
}


@login_required
@require_POST
def monitored_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """Decide one hit (``hit`` in the POST: confirm or dismiss, with a note), file a case, or
    order the advertiser to rectify (``rectify``)."""
    ad = get_scoped(ads_for(request.user), request.user, pk=pk)
    if action not in ACTION_FORMS:
        raise Http404(_("没有这个操作"))
    common.require(request.user, ad.unit_id)
    form: PageForm = ACTION_FORMS[action](**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _detail(request, ad, {action: form}, InvalidInput.status_code)
    data, actor = form.cleaned_data, request.user

    def run() -> str:
        if action == "rectify":
            findings.order_rectification(
                ad=ad,
                actor=actor,
                working_days=data.get("working_days"),
                deadline=data.get("deadline"),
                description=data["description"],
                requirements=data["requirements"],
            )
            order = ad.finding.rectification if ad.finding else None
            return _("已责令改正：%(n)s") % {"n": order.number if order else ""}
        if action == "file_case":
            services.file_case(ad=ad, actor=actor, on=data["on"])
            return _("已立案：%(n)s") % {"n": ad.case.number if ad.case else ""}
        hit = get_scoped(
            AdHit.objects.select_related("ad"), actor, pk=request.POST.get("hit", "0"), ad=ad
        )
        if data["decision"] not in ("confirm", "dismiss"):
            raise InvalidInput.single("decision", _("请选择确认违法或排除"))
        services.decide_hit(
            hit=hit, actor=actor, confirm=data["decision"] == "confirm", note=data["note"]
        )
        return _("已确认违法") if data["decision"] == "confirm" else _("已排除")

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        ad.refresh_from_db()
        return _detail(request, ad, {action: form}, error.status_code)

    return act(request, run, None, redirect("ads:monitored_detail", pk=ad.pk), refused=refused)
