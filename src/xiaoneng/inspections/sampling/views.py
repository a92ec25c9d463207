"""Pages of the supervision spot checks (监督抽查, 篇4): plans, samples, follow-ups, pass rates.

Forms show a refused input next to its field; a refusal by role or unit (``NotPermitted``) is
left to ``DomainErrorMiddleware``, which answers 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.paging import CappedPaginator
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.inspections.sampling import rates as sampling_rates
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.org import access
from xiaoneng.org.models import Unit

FOLLOW_UP_STATES = {
    "open": gettext_lazy("处理中"),
    "overdue": gettext_lazy("已逾期"),
    "closed": gettext_lazy("已办结 / 转立案"),
    "all": gettext_lazy("全部"),
}


def _page(request: HttpRequest, rows: Any) -> Any:
    return CappedPaginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD field as a date; None when empty or not a real date (the service says so)."""
    try:
        return parse_date(str(value or "").strip())
    except ValueError:
        return None


def _year(value: Any, default: int) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 1900 < int(text) < 10000 else default


# Plans ---------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Sampling plans the user sees, by year and category, with batches sampled and pending."""
    plans = sampling.visible_plans(request.user)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    year = request.GET.get("year", "")
    category = request.GET.get("category", "").strip()
    if year.isdigit():
        plans = plans.filter(year=int(year))
    if category:
        plans = plans.filter(category=category)
    rows = sampling.with_counts(plans.select_related("unit"), request.user).order_by(
        "-year", "category", "id"
    )
    query = "&".join(f"{k}={v}" for k, v in (("year", year), ("category", category)) if v)
    context = {
        "page": _page(request, rows),
        "query": query,
        "year": year,
        "years": years,
        "category": category,
        "categories": sorted(
            set(sampling.visible_plans(request.user).values_list("category", flat=True))
        ),
        "can_manage": access.can(request.user, access.MANAGE_SAMPLING),
    }
    return render(request, "inspections/sampling_plan_list.html", context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """The form of ``create_plan``."""
    access.require(request.user, access.MANAGE_SAMPLING)
    today = timezone.localdate()
    user: Any = request.user
    errors: dict[str, str] = {}
    form: dict[str, Any] = {
        "year": today.year,
        "unit": user.unit.code if user.unit else "",
        "region_code": user.unit.region_code if user.unit else "",
        "planned_batches": "",
    }
    if request.method == "POST":
        form = request.POST.dict()
        try:
            plan = sampling.create_plan(
                actor=request.user,
                year=form.get("year", ""),
                title=form.get("title", ""),
                category=form.get("category", ""),
                region_code=form.get("region_code", ""),
                unit=form.get("unit", ""),
                planned_batches=form.get("planned_batches", ""),
                standard=form.get("standard", ""),
                laboratory=form.get("laboratory", ""),
            )
        except (InvalidInput, Conflict) as error:
            errors = error.by_field
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已制定抽查计划：%(t)s") % {"t": plan.title})
            return redirect("inspections:sampling_plan_detail", pk=plan.pk)
    context = {
        "form": form,
        "errors": errors,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
    }
    return render(request, "inspections/sampling_plan_form.html", context)


def _plan_page(
    request: HttpRequest, plan: SamplingPlan, extra: dict[str, Any] | None = None
) -> HttpResponse:
    samples = sampling.visible_samples(request.user).filter(plan=plan).select_related("entity")
    result = request.GET.get("result", "")
    if result in Sample.Result.values:
        samples = samples.filter(result=result)
    counts = sampling.with_counts(SamplingPlan.objects.filter(pk=plan.pk), request.user).get()
    follow_ups = dict(
        SampleFollowUp.objects.filter(sample__plan=plan).values_list("sample_id", "pk")
    )
    page = _page(request, samples.order_by("-sampled_on", "-id"))
    for row in page:
        row.follow_up_id = follow_ups.get(row.pk)
    context = {
        "plan": plan,
        "counts": counts,
        "page": page,
        "query": f"result={result}" if result else "",
        "result": result,
        "results": Sample.Result.choices,
        "can_manage": access.can(request.user, access.MANAGE_SAMPLING),
        "today": timezone.localdate(),
        "form": {},
        "errors": {},
        "result_for": None,
        "result_form": {},
        "result_errors": {},
    }
    context.update(extra or {})
    return render(request, "inspections/sampling_plan_detail.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan, its samples (those the user sees) and the forms to record samples and results."""
    plan = _visible_plan(request, pk)
    if request.method != "POST":
        return _plan_page(request, plan)
    post = request.POST
    try:
        sample = sampling.record_sample(
            actor=request.user,
            plan=plan,
            firm_name=post.get("firm_name", ""),
            uscc=post.get("uscc", "") or None,
            product=post.get("product", ""),
            batch_number=post.get("batch_number", ""),
            sampled_on=_date(post.get("sampled_on")),
            producer=post.get("producer", ""),
            specification=post.get("specification", ""),
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.for_page)
        return _plan_page(request, plan, {"form": post, "errors": error.by_field})
    messages.success(
        request,
        _("已登记抽样：%(f)s %(p)s 批号 %(b)s")
        % {"f": sample.firm_name, "p": sample.product, "b": sample.batch_number},
    )
    return redirect("inspections:sampling_plan_detail", pk=plan.pk)


def _visible_plan(request: HttpRequest, pk: int) -> SamplingPlan:
    """The plan if the user sees it (its unit's, or one that sampled their firms); else 404."""
    found = sampling.visible_plans(request.user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def sample_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a sample's verdict (from the plan page's row form)."""
    sample = get_scoped(Sample.objects.select_related("plan", "entity"), request.user, pk=pk)
    post = request.POST
    try:
        sampling.record_result(
            sample=sample,
            actor=request.user,
            result=post.get("result", ""),
            failed_items=post.get("failed_items", ""),
            reported_on=_date(post.get("reported_on")),
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.for_page)
        sample.refresh_from_db()
        extra = {"result_for": sample.pk, "result_form": post, "result_errors": error.by_field}
        return _plan_page(request, sample.plan, extra)
    if sample.result == Sample.Result.FAIL:
        messages.warning(
            request,
            _("已登记不合格：%(f)s %(p)s，已转入不合格后处理")
            % {"f": sample.firm_name, "p": sample.product},
        )
    else:
        messages.success(
            request, _("已登记合格：%(f)s %(p)s") % {"f": sample.firm_name, "p": sample.product}
        )
    return redirect("inspections:sampling_plan_detail", pk=sample.plan_id)


# Follow-ups (后处理) ---------------------------------------------------------------------------


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups of failed samples: in progress, overdue, closed (or all)."""
    today = timezone.localdate()
    rows = sampling_followup.visible_follow_ups(request.user).select_related(
        "sample", "sample__plan"
    )
    state = request.GET.get("state", "open")
    if state not in FOLLOW_UP_STATES:
        state = "open"
    if state == "open":
        rows = rows.filter(status__in=sampling_followup.OPEN_STATES)
    elif state == "overdue":
        rows = sampling_followup.overdue(rows, today)
    elif state == "closed":
        rows = rows.filter(status__in=sampling_followup.DONE_STATES)
    page = _page(request, rows.order_by("deadline", "id"))
    late = sampling_followup.overdue_filter(today)
    late_ids = set(
        SampleFollowUp.objects.filter(late, pk__in=[row.pk for row in page]).values_list(
            "pk", flat=True
        )
    )
    for row in page:
        row.is_overdue = row.pk in late_ids
    context = {
        "page": page,
        "query": f"state={state}",
        "state": state,
        "states": FOLLOW_UP_STATES,
        "overdue_count": sampling_followup.overdue(
            sampling_followup.visible_follow_ups(request.user), today
        ).count(),
        "today": today,
    }
    return render(request, "inspections/sampling_follow_up_list.html", context)


def _follow_up(request: HttpRequest, pk: int) -> SampleFollowUp:
    return get_scoped(
        SampleFollowUp.objects.select_related("sample", "sample__plan", "sample__entity", "unit"),
        request.user,
        pk=pk,
    )


def _follow_up_page(
    request: HttpRequest, follow_up: SampleFollowUp, extra: dict[str, Any] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    S = SampleFollowUp.Status
    may_act = access.can(request.user, access.INSPECT) or access.can(
        request.user, access.MANAGE_SAMPLING
    )
    status = follow_up.status
    context: dict[str, Any] = {
        "follow_up": follow_up,
        "sample": follow_up.sample,
        "today": today,
        "is_overdue": sampling_followup.overdue(
            SampleFollowUp.objects.filter(pk=follow_up.pk), today
        ).exists(),
        "reinspection_due": sampling_followup.reinspection_due(follow_up),
        "latest_deadline": today + dt.timedelta(days=sampling.RECTIFY_DAYS),
        "may_rectify": may_act and status == S.OPEN,
        "may_reinspect": may_act and status == S.RECTIFYING,
        "may_close": may_act
        and (status == S.OPEN or (status == S.REINSPECTED and follow_up.reinspection_passed)),
        "may_escalate": status not in sampling_followup.DONE_STATES
        and access.can(request.user, access.HANDLE_CASES),
        "escalate_url": sampling_followup.escalate_url(follow_up),
        "form": {},
        "errors": {},
        "action": "",
    }
    context.update(extra or {})
    return render(request, "inspections/sampling_follow_up_detail.html", context)


@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up: the failed sample, where its handling stands, and the next step's form."""
    return _follow_up_page(request, _follow_up(request, pk))


def _follow_up_action(request: HttpRequest, pk: int, action: str, run: Any, done: str) -> Any:
    follow_up = _follow_up(request, pk)
    try:
        run(follow_up, request.POST)
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.for_page)
        follow_up.refresh_from_db()
        extra = {"form": request.POST, "errors": error.by_field, "action": action}
        return _follow_up_page(request, follow_up, extra)
    messages.success(request, done)
    return redirect("inspections:sampling_follow_up", pk=follow_up.pk)


@login_required
@require_POST
def follow_up_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """责令整改: measures and deadline."""

    def run(follow_up: SampleFollowUp, post: Any) -> None:
        sampling_followup.start_rectifying(
            follow_up=follow_up,
            actor=request.user,
            actions=post.get("actions", ""),
            deadline=_date(post.get("deadline")),
            ordered_on=_date(post.get("ordered_on")),
        )

    return _follow_up_action(request, pk, "rectify", run, _("已责令整改"))


@login_required
@require_POST
def follow_up_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    """复查: passed or not, the day, what was found."""

    def run(follow_up: SampleFollowUp, post: Any) -> None:
        sampling_followup.record_reinspection(
            follow_up=follow_up,
            actor=request.user,
            passed=post.get("passed") == "1",
            reinspected_on=_date(post.get("reinspected_on")),
            note=post.get("note", ""),
        )

    return _follow_up_action(request, pk, "reinspect", run, _("已登记复查结果"))


@login_required
@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    """办结, with a note."""

    def run(follow_up: SampleFollowUp, post: Any) -> None:
        sampling_followup.close_follow_up(
            follow_up=follow_up, actor=request.user, note=post.get("note", "")
        )

    return _follow_up_action(request, pk, "close", run, _("已办结"))


# Pass rates --------------------------------------------------------------------------------


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    """Pass rates of a year by category, region and unit, against the previous year."""
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = _year(raw, today.year)
    if raw and str(year) != raw.strip():
        messages.error(request, _("年度应为四位数字年份：%(v)s") % {"v": raw})
    samples = sampling.visible_samples(request.user)
    overall = sampling_rates.overall_rate(queryset_or_user=samples, year=year)
    tables = {
        by: sampling_rates.pass_rates(queryset_or_user=samples, year=year, by=by)
        for by in sampling_rates.GROUPS
    }
    figures = sampling_rates.follow_up_figures(queryset_or_user=samples, year=year, today=today)
    years = sorted(
        set(sampling.visible_plans(request.user).values_list("year", flat=True)) | {today.year},
        reverse=True,
    )
    by_category = tables["category"]
    chart = {
        "categories": [r.label for r in by_category],
        "current": [float(r.pass_rate) if r.pass_rate is not None else None for r in by_category],
        "previous": [
            float(r.previous_rate) if r.previous_rate is not None else None for r in by_category
        ],
        "labels": {"current": f"{year}", "previous": f"{year - 1}", "rate": _("合格率（%）")},
    }
    context = {
        "year": year,
        "years": years,
        "overall": overall,
        "sentence": sampling_rates.summary_sentence(overall, year=year),
        "sentences": [sampling_rates.summary_sentence(r, year=year) for r in by_category],
        "follow_up_sentence": sampling_rates.follow_up_sentence(figures),
        "figures": figures,
        "by_category": by_category,
        "by_region": tables["region"],
        "by_unit": tables["unit"],
        "chart": chart,
    }
    return render(request, "inspections/sampling_rates.html", context)
