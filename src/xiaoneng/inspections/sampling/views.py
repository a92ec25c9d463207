"""Pages of the supervision spot checks (监督抽查, 篇4): plans, samples and pass rates; the
follow-ups of failed samples in ``sampling.followup_views``.

Forms show a refused input next to its field; a refusal by role or unit (``NotPermitted``) is
left to ``DomainErrorMiddleware``, which answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, is_year, known_filters, paginate
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.sampling import rates as sampling_rates
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.inspections.sampling.forms import PlanForm, ResultForm, SampleForm
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest

# Plans ---------------------------------------------------------------------------------------


@login_required
def plan_list(request: OfficerRequest) -> HttpResponse:
    """Sampling plans the user sees, by year and category, with batches sampled and pending."""
    plans = sampling.visible_plans(request.user)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    categories = sorted(set(plans.values_list("category", flat=True)))
    params = known_filters(
        request,
        year=Choice(_("年度"), is_year),
        category=Choice(_("产品类别"), categories),
    )
    year = params.get("year", "")
    category = params.get("category", "")
    if year:
        plans = plans.filter(year=int(year))
    if category:
        plans = plans.filter(category=category)
    rows = sampling.with_counts(plans.select_related("unit"), request.user).order_by(
        "-year", "category", "id"
    )
    query = "&".join(f"{k}={v}" for k, v in (("year", year), ("category", category)) if v)
    context = {
        "page": paginate(request, rows),
        "query": query,
        "year": year,
        "years": years,
        "category": category,
        "categories": categories,
        "can_manage": access.can(request.user, access.MANAGE_SAMPLING),
    }
    return render(request, "inspections/sampling_plan_list.html", context)


@login_required
def plan_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``create_plan``."""
    access.require(request.user, access.MANAGE_SAMPLING)
    today = timezone.localdate()
    user = request.user
    initial = {
        "year": today.year,
        "unit": user.unit.code if user.unit else "",
        "region_code": user.unit.region_code if user.unit else "",
        "planned_batches": "",
    }
    form = PlanForm(**posted(request), initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = sampling.create_plan(
                actor=request.user,
                year=data["year"],
                title=data["title"],
                category=data["category"],
                region_code=data["region_code"],
                unit=data["unit"],
                planned_batches=data["planned_batches"],
                standard=data["standard"],
                laboratory=data["laboratory"],
            )
        except (InvalidInput, Conflict) as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已制定抽查计划：%(t)s") % {"t": plan.title})
            return redirect("inspections:sampling_plan_detail", pk=plan.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
    }
    return render(request, "inspections/sampling_plan_form.html", context)


def _plan_page(
    request: OfficerRequest, plan: SamplingPlan, extra: dict[str, Any] | None = None
) -> HttpResponse:
    samples = sampling.visible_samples(request.user).filter(plan=plan).select_related("entity")
    params = known_filters(request, result=Choice(_("检验结论"), Sample.Result.values))
    result = params.get("result", "")
    if result:
        samples = samples.filter(result=result)
    counts = sampling.with_counts(SamplingPlan.objects.filter(pk=plan.pk), request.user).get()
    follow_ups = dict(
        SampleFollowUp.objects.filter(sample__plan=plan).values_list("sample_id", "pk")
    )
    page = paginate(request, samples.order_by("-sampled_on", "-id"))
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
def plan_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A plan, its samples (those the user sees) and the forms to record samples and results."""
    plan = _visible_plan(request, pk)
    if request.method != "POST":
        return _plan_page(request, plan)
    form = SampleForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _plan_page(request, plan, {"form": form.shown, "errors": form.field_errors})
    data = form.cleaned_data
    try:
        sample = sampling.record_sample(
            actor=request.user,
            plan=plan,
            firm_name=data["firm_name"],
            uscc=data["uscc"] or None,
            product=data["product"],
            batch_number=data["batch_number"],
            sampled_on=data["sampled_on"],
            producer=data["producer"],
            specification=data["specification"],
        )
    except (InvalidInput, Conflict) as error:
        form.add_service_errors(error)
        messages.error(request, error.for_page)
        return _plan_page(request, plan, {"form": form.shown, "errors": form.field_errors})
    messages.success(
        request,
        _("已登记抽样：%(f)s %(p)s 批号 %(b)s")
        % {"f": sample.firm_name, "p": sample.product, "b": sample.batch_number},
    )
    return redirect("inspections:sampling_plan_detail", pk=plan.pk)


def _visible_plan(request: OfficerRequest, pk: int) -> SamplingPlan:
    """The plan if the user sees it (its unit's, or one that sampled their firms); else 404."""
    found = sampling.visible_plans(request.user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _result_refused(request: OfficerRequest, sample: Sample, form: ResultForm) -> HttpResponse:
    """The plan page again, the sample's result form open with what was typed and marked."""
    sample.refresh_from_db()
    extra = {"result_for": sample.pk, "result_form": form.shown, "result_errors": form.field_errors}
    return _plan_page(request, sample.plan, extra)


@login_required
@require_POST
def sample_result(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record a sample's verdict (from the plan page's row form)."""
    sample = get_scoped(Sample.objects.select_related("plan", "entity"), request.user, pk=pk)
    form = ResultForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _result_refused(request, sample, form)
    data = form.cleaned_data
    try:
        sampling.record_result(
            sample=sample,
            actor=request.user,
            result=data["result"],
            failed_items=data["failed_items"],
            reported_on=data["reported_on"],
        )
    except (InvalidInput, Conflict) as error:
        form.add_service_errors(error)
        messages.error(request, error.for_page)
        return _result_refused(request, sample, form)
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


# Pass rates --------------------------------------------------------------------------------


@login_required
def rates(request: OfficerRequest) -> HttpResponse:
    """Pass rates of a year by category, region and unit, against the previous year."""
    today = timezone.localdate()
    params = known_filters(request, year=Choice(_("年度"), is_year))
    year = int(params.get("year") or today.year)
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
