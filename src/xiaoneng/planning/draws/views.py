"""Pages of double-random draws: list, detail (verify, run, publish), create, 回避 declarations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.pages import Choice, act, known_filters, paginate
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import inputs as draw_inputs
from xiaoneng.planning.draws import params as draw_params
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws import queries as draw_queries
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.forms import ConflictForm, DrawForm, PublishForm, SeedForm
from xiaoneng.planning.draws.models import (
    SNAPSHOTS,
    ConflictDeclaration,
    DrawInspector,
    DrawSelection,
    RandomDraw,
)
from xiaoneng.planning.draws.verify import verify_draw
from xiaoneng.registry.models import CreditGrade, Entity, LicenceKind, RiskClass

FILTER_LABELS = {
    "region": gettext_lazy("行政区划"),
    "grid": gettext_lazy("网格"),
    "industry": gettext_lazy("行业"),
    "risk_class": gettext_lazy("风险类别"),
    "credit_grade": gettext_lazy("信用等级"),
    "status": gettext_lazy("登记状态"),
    "hot_industry": gettext_lazy("重热点行业"),
    "licence": gettext_lazy("许可证"),
}


def _draws(request: OfficerRequest) -> Any:
    """The draws the user sees: his units', and those assigning his staff or entities."""
    queryset = RandomDraw.objects.select_related("unit", "publication")
    return draw_queries.visible_draws(queryset, request.user)


def _draw(request: OfficerRequest, pk: int, *, full: bool = False) -> RandomDraw:
    """The draw ``pk`` if the user sees it; with ``full``, only if he sees all of it (its
    snapshots, its actions): 404 otherwise, like a draw that does not exist."""
    queryset = _draws(request).select_related("policy", "created_by", "drawn_by")
    draw = queryset.filter(pk=pk).first()
    if draw is None or (full and not draw_queries.sees_in_full(request.user, draw)):
        raise Http404
    return draw


def _with_deadlines(found: list[RandomDraw]) -> list[RandomDraw]:
    calendar, today = WorkingCalendar.load(), timezone.localdate()
    for draw in found:
        draw.deadline = draw_publication.publication_deadline(draw, calendar)  # type: ignore[attr-defined]
        draw.overdue = draw_publication.is_overdue(draw, draw.deadline, today)  # type: ignore[attr-defined]
    return found


@login_required
def draw_list(request: OfficerRequest) -> HttpResponse:
    """Draws of the user's units: status, sizes, publication deadline, overdue ones marked."""
    queryset = _draws(request)
    params = known_filters(
        request,
        status=Choice(_("状态"), RandomDraw.Status.values),
        overdue=Choice(_("仅逾期未公示"), ("1", "0")),
    )
    status = params.get("status", "")
    if status:
        queryset = queryset.filter(status=status)
    found = _with_deadlines(list(queryset))
    overdue_only = params.get("overdue") == "1"
    if overdue_only:
        found = [d for d in found if d.overdue]  # type: ignore[attr-defined]
    page = paginate(request, found, exact=True)
    context = {
        "page": page,
        "status": status,
        "overdue_only": overdue_only,
        "statuses": RandomDraw.Status.choices,
        "can_run": access.can(request.user, access.RUN_DRAWS),
    }
    return render(request, "planning/draw_list.html", context)


def _filter_rows(draw: RandomDraw) -> list[tuple[str, str]]:
    """The population filter as (label, values) with codes shown by their names."""
    names: dict[str, dict[str, Any]] = {
        "risk_class": dict(RiskClass.choices),
        "credit_grade": dict(CreditGrade.choices),
        "status": dict(Entity.Status.choices),
        "licence": dict(LicenceKind.choices),
    }
    rows = []
    for key, value in draw.population_filter.items():
        if isinstance(value, list):
            shown = "、".join(str(names.get(key, {}).get(v, v)) for v in value)
        else:
            shown = _("是") if value else _("否")
        rows.append((str(FILTER_LABELS.get(key, key)), shown))
    return rows


def _selections(request: OfficerRequest, draw: RandomDraw) -> Any:
    """The draw's rows the user sees, in draw order, with their teams."""
    team = DrawInspector.objects.select_related("officer").order_by("position")
    rows = DrawSelection.objects.filter(draw=draw)
    return (
        draw_queries.visible_rows(rows, request.user, draw)
        .select_related("entity", "entity__grid")
        .prefetch_related(Prefetch("team", queryset=team))
        .order_by("order")
    )


@login_required
def draw_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    draw = _with_deadlines([_draw(request, pk)])[0]
    drawn = draw.status in (RandomDraw.Status.DRAWN, RandomDraw.Status.PUBLISHED)
    page = paginate(request, _selections(request, draw)) if drawn else None
    full = draw_queries.sees_in_full(request.user, draw)
    context = {
        "draw": draw,
        "drawn": drawn,
        "full": full,
        "page": page,
        "items": draw.items.all(),
        "pool_units": draw.pool_units.all(),
        "filter_rows": _filter_rows(draw),
        "strata": sorted(draw.strata.items()),
        "publication": getattr(draw, "publication", None) if drawn else None,
        "default_text": draw_publication.default_publication_text(draw) if drawn else "",
        "snapshots": [(part, getattr(draw, f"{part}_digest")) for part in SNAPSHOTS],
        "can_run": full and access.can(request.user, access.RUN_DRAWS),
    }
    template = (
        "planning/draw_selections.html"
        if request.headers.get("HX-Request")
        else "planning/draw_detail.html"
    )
    return render(request, template, context)


@login_required
def draw_verify(request: OfficerRequest, pk: int) -> HttpResponse:
    """The verification (re-run and compare) as a fragment for the detail page."""
    draw = _draw(request, pk)
    try:
        outcome = verify_draw(draw=draw)
    except DomainError as error:
        return render(request, "planning/draw_verify.html", {"refused": error.message})
    # The differences name other units' entities and officers: shown in full to full viewers.
    full = draw_queries.sees_in_full(request.user, draw)
    context = {"outcome": outcome, "draw": draw, "full": full}
    return render(request, "planning/draw_verify.html", context)


@login_required
def draw_snapshot(request: OfficerRequest, pk: int, part: str) -> HttpResponse:
    """A snapshot's canonical text: its SHA-256 is the digest shown on the page."""
    if part not in SNAPSHOTS:
        raise Http404
    draw = _draw(request, pk, full=True)
    response = HttpResponse(
        draw_inputs.snapshot_text(draw, part), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-{part}.txt"'
    return response


def _draw_action(
    request: OfficerRequest, pk: int, form: PageForm, action: Any, done: str
) -> HttpResponse:
    """Run ``action`` on the draw with the form's values (``core.pages.act``), back on the
    draw's page."""
    draw = _draw(request, pk, full=True)
    back = redirect("planning:draw_detail", pk=draw.pk)
    if not form.is_valid():
        messages.error(request, form.for_page)
        return back
    return act(request, lambda: action(draw, form.cleaned_data), done, back)


@login_required
@require_POST
def draw_commit(request: OfficerRequest, pk: int) -> HttpResponse:
    return _draw_action(
        request,
        pk,
        SeedForm(**posted(request)),
        lambda d, data: draws.commit_draw(draw=d, seed=data["seed"] or None, actor=request.user),
        _("已锁定抽查对象和检查人员名单，种子摘要已生成"),
    )


@login_required
@require_POST
def draw_run(request: OfficerRequest, pk: int) -> HttpResponse:
    return _draw_action(
        request,
        pk,
        SeedForm(**posted(request)),
        lambda d, data: draws.run_draw(draw=d, seed=data["seed"] or None, actor=request.user),
        _("已抽取，种子已公开"),
    )


@login_required
@require_POST
def draw_publish(request: OfficerRequest, pk: int) -> HttpResponse:
    return _draw_action(
        request,
        pk,
        PublishForm(**posted(request)),
        lambda d, data: draw_publication.publish_draw(
            draw=d, text=data["text"], url=data["url"], actor=request.user
        ),
        _("已记录公示"),
    )


@login_required
def draw_create(request: OfficerRequest) -> HttpResponse:
    """A new draw (division staff, administrators): committed at once, or saved as a draft."""
    access.require(request.user, access.RUN_DRAWS)
    units = scoped(Unit.objects.all(), request.user).order_by("path")
    home = getattr(request.user, "unit", None)
    form = DrawForm(**posted(request), units=units, initial={"unit": home.code if home else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = draws.create_draw(
                name=data["name"],
                unit=draw_params.find_unit(data["unit"], "unit"),
                item_codes=data["items"],
                population_filter=form.population_filter(),
                selection=data["selection"],
                ratios=form.ratios(),
                count=data["count"],
                pool_units=draw_params.find_units(data["pool_units"], "pool"),
                team_size=data["team_size"],
                workload_cap=data["workload_cap"],
                inspections_end=data["inspections_end"],
                seed=data["seed"] or None,
                commit=data["action"] != "draft",
                actor=request.user,
            )
        except DomainError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("已创建：%(name)s") % {"name": draw.name})
            return redirect("planning:draw_detail", pk=draw.pk)
    return render(request, "planning/draw_form.html", {"form": form})


@login_required
def conflict_list(request: OfficerRequest) -> HttpResponse:
    """回避 declarations visible to the user, and the form to declare one."""
    form = ConflictForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            declared = _declare(request, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        except Http404:
            form.add_error("uscc", _("未找到该统一社会信用代码的市场主体，或不在您的辖区内"))
        else:
            messages.success(
                request,
                _("已声明：%(officer)s 对 %(entity)s 回避")
                % {"officer": declared.officer, "entity": declared.entity},
            )
            return redirect("planning:conflict_list")
    declarations = scoped(
        ConflictDeclaration.objects.select_related("officer", "entity"), request.user
    )
    page = paginate(request, declarations)
    context = {
        "page": page,
        "form": form,
        "can_run": access.can(request.user, access.RUN_DRAWS),
    }
    return render(request, "planning/draw_conflicts.html", context)


def _declare(request: OfficerRequest, data: dict[str, Any]) -> ConflictDeclaration:
    entity = get_scoped(Entity.objects.all(), request.user, uscc=data["uscc"].strip().upper())
    officer = request.user
    username = data.get("officer", "").strip()
    if username and username != request.user.get_username():
        found = scoped(Officer.objects.all(), request.user).filter(username=username).first()
        if found is None:
            raise DomainError(_("未找到执法人员：%(name)s") % {"name": username})
        officer = found
    return draw_conflicts.declare_conflict(
        officer=officer, entity=entity, reason=data.get("reason", ""), actor=request.user
    )
