"""Pages of oversight: director spot checks (所长抽查) and division supervision items (督办).
Each page is scoped; each action calls its service."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import paginate, params_query, parse_day
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.records.queries import inspection_content
from xiaoneng.inspections.trace.views import stations
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.oversight import services as oversight
from xiaoneng.oversight.models import DirectorReview, ReviewRound, SupervisionItem
from xiaoneng.registry.models import Entity

# Director spot checks ----------------------------------------------------------------------------


def _reviews_for(request: HttpRequest) -> QuerySet[DirectorReview]:
    return scoped(
        DirectorReview.objects.select_related(
            "round", "unit", "inspection__entity", "inspection__lead_officer", "reviewer"
        ),
        request.user,
    )


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The director's spot checks of a month, per officer; the rounds drawn; the draw form."""
    month = request.GET.get("month", "").strip() or oversight.last_month()
    try:
        oversight.parse_month(month)
    except DomainError as error:
        messages.error(request, error.for_page)
        month = oversight.last_month()
    status = request.GET.get("status", DirectorReview.Status.PENDING)
    reviews = _reviews_for(request).filter(round__month=month)
    if status in DirectorReview.Status.values:
        reviews = reviews.filter(status=status)
    by_officer: dict[Any, list[DirectorReview]] = defaultdict(list)
    for review in reviews.order_by("unit__path", "inspection__lead_officer_id", "inspection_id")[
        :500
    ]:
        by_officer[review.inspection.lead_officer].append(review)
    rounds = scoped(ReviewRound.objects.select_related("unit"), request.user).filter(month=month)
    context = {
        "month": month,
        "status": status if status in DirectorReview.Status.values else "",
        "statuses": DirectorReview.Status.choices,
        "by_officer": sorted(
            by_officer.items(), key=lambda item: (str(item[1][0].unit.path), item[0].pk)
        ),
        "rounds": rounds.annotate(
            sampled=Count("reviews"),
            pending=Count("reviews", filter=Q(reviews__status=DirectorReview.Status.PENDING)),
        ),
        "may_draw": access.can(request.user, access.REVIEW_INSPECTIONS),
        "stations": stations(request),
        "last_month": oversight.last_month(),
    }
    return render(request, "oversight/review_list.html", context)


@login_required
@require_POST
def review_draw(request: HttpRequest) -> HttpResponse:
    """Draw a station's sample of a finished month (or open the round already drawn)."""
    station = get_scoped(
        Unit.objects.filter(kind=Unit.Kind.STATION), request.user, code=request.POST.get("unit", "")
    )
    month = request.POST.get("month", "")
    try:
        drawn = oversight.draw_reviews(unit=station, month=month, actor=request.user)
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        return redirect(f"{reverse('oversight:review_list')}?month={month}")
    messages.success(
        request,
        _("%(unit)s %(month)s 抽查批次：抽取 %(n)d 份")
        % {"unit": station, "month": drawn.month, "n": drawn.reviews.count()},
    )
    return redirect("oversight:review_round", pk=drawn.pk)


@login_required
def review_round(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's summary: per officer the records sampled, confirmed, with a problem, pending."""
    drawn = get_scoped(ReviewRound.objects.select_related("unit", "drawn_by"), request.user, pk=pk)
    reviews = list(
        _reviews_for(request)
        .filter(round=drawn)
        .order_by("inspection__lead_officer_id", "inspection_id")
    )
    rows: dict[Any, dict[str, Any]] = {}
    for review in reviews:
        officer = review.inspection.lead_officer
        row = rows.setdefault(
            officer, {"officer": officer, "sampled": 0, "confirmed": 0, "problem": 0, "pending": 0}
        )
        row["sampled"] += 1
        row[review.status] += 1
    context = {
        "round": drawn,
        "rows": list(rows.values()),
        "reviews": reviews,
        "verification": oversight.check_round(drawn),
        "history": readable(audit.history(drawn)[:20], ReviewRound),
    }
    return render(request, "oversight/review_round.html", context)


METHODS = ("电话回访经营者", "实地复核", "查看现场照片", "调阅检查记录及附件")


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review form next to the sampled record's content."""
    review = get_scoped(_reviews_for(request), request.user, pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            oversight.review_inspection(
                review=review,
                actor=request.user,
                confirmed=request.POST.get("decision") == "confirm",
                method=request.POST.get("method", ""),
                note=request.POST.get("note", ""),
            )
        except NotPermitted:
            raise
        except DomainError as error:
            errors = error.by_field
            messages.error(request, error.for_page)
            review.refresh_from_db()
        else:
            messages.success(
                request, _("已记录抽查结论：%(s)s") % {"s": review.get_status_display()}
            )
            return redirect("oversight:review_detail", pk=review.pk)
    user: Any = request.user
    context = {
        **inspection_content(review.inspection),
        "review": review,
        "errors": errors,
        "form": request.POST if request.method == "POST" else {},
        "methods": METHODS,
        "may_review": review.status == DirectorReview.Status.PENDING
        and access.can(user, access.REVIEW_INSPECTIONS),
    }
    return render(request, "oversight/review_detail.html", context)


# Supervision (督办) --------------------------------------------------------------------------


def _items_for(request: HttpRequest) -> QuerySet[SupervisionItem]:
    return scoped(
        SupervisionItem.objects.select_related("unit", "issued_by_unit", "issued_by", "entity"),
        request.user,
    )


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    """Supervision items by unit, earliest deadline first; those overdue highlighted."""
    today = timezone.localdate()
    params = {name: request.GET.get(name, "").strip() for name in ("status", "unit")}
    items = _items_for(request)
    if params["unit"]:
        items = items.filter(unit__code=params["unit"])
    by_unit = list(
        items.order_by()
        .values("unit__code", "unit__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=SupervisionItem.Status.CLOSED)),
            overdue=Count(
                "id", filter=~Q(status=SupervisionItem.Status.CLOSED) & Q(deadline__lt=today)
            ),
        )
        .order_by("unit__code")
    )
    if params["status"] == "overdue":
        items = oversight.overdue(items, today)
    elif params["status"] == "pending":
        items = items.exclude(status=SupervisionItem.Status.CLOSED)
    elif params["status"] in SupervisionItem.Status.values:
        items = items.filter(status=params["status"])
    page = paginate(request, items.order_by("unit__path", "deadline", "id"))
    for item in page:
        item.overdue = oversight.is_overdue(item, today)
    context = {
        "page": page,
        "query": params_query(params),
        "params": params,
        "statuses": SupervisionItem.Status.choices,
        "by_unit": by_unit,
        "stations": stations(request),
        "today": today,
        "may_issue": access.can(request.user, access.SUPERVISE),
    }
    return render(request, "oversight/supervision_list.html", context)


def _lookups(request: HttpRequest) -> tuple[dict[str, str], dict[str, Any]]:
    """The form's entity (USCC) and inspection (number), looked up within the user's scope."""
    post = request.POST
    errors: dict[str, str] = {}
    found: dict[str, Any] = {"entity": None, "inspection": None}
    uscc = post.get("entity", "").strip().upper()
    if uscc:
        found["entity"] = scoped(Entity.objects.all(), request.user).filter(uscc=uscc).first()
        if found["entity"] is None:
            errors["entity"] = _("未找到该统一社会信用代码的主体：%(v)s") % {"v": uscc}
    number = post.get("inspection", "").strip().lstrip("#")
    if number:
        found["inspection"] = (
            scoped(Inspection.objects.all(), request.user).filter(pk=int(number)).first()
            if number.isdigit()
            else None
        )
        if found["inspection"] is None:
            errors["inspection"] = _("未找到该检查记录：%(v)s") % {"v": number}
    return errors, found


@login_required
def supervision_create(request: HttpRequest) -> HttpResponse:
    """The form of ``issue_supervision``."""
    access.require(request.user, access.SUPERVISE)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, found = _lookups(request)
        station = stations(request).filter(code=request.POST.get("unit", "")).first()
        if station is None:
            errors.setdefault("unit", _("请选择承办所"))
        if errors:
            messages.error(request, next(iter(errors.values())))
        else:
            assert station is not None
            try:
                item = oversight.issue_supervision(
                    actor=request.user,
                    unit=station,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    deadline=parse_day(request.POST.get("deadline")),
                    **found,
                )
            except NotPermitted:
                raise
            except DomainError as error:
                errors = error.by_field
                messages.error(request, error.for_page)
            else:
                messages.success(request, _("已督办：%(t)s") % {"t": item.title})
                return redirect("oversight:supervision_detail", pk=item.pk)
    initial = {
        "entity": request.GET.get("entity", ""),
        "inspection": request.GET.get("inspection", ""),
    }
    context = {
        "form": request.POST if request.method == "POST" else initial,
        "errors": errors,
        "stations": stations(request),
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
    }
    return render(request, "oversight/supervision_form.html", context)


def _supervision_context(
    request: HttpRequest, item: SupervisionItem, errors: dict[str, str], form: Any
) -> dict[str, Any]:
    S = SupervisionItem.Status
    return {
        "item": item,
        "overdue": oversight.is_overdue(item),
        "steps": oversight.exchange(item),
        "may_answer": item.status in (S.OPEN, S.RETURNED)
        and oversight.may_answer(request.user, item),
        "may_close": item.status == S.ANSWERED and oversight.may_close(request.user, item),
        "errors": errors,
        "form": form,
        "history": readable(audit.history(item)[:50], SupervisionItem),
    }


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item with its exchange, and the answer or close/return form for whoever may act."""
    item = get_scoped(_items_for(request), request.user, pk=pk)
    context = _supervision_context(request, item, {}, {})
    return render(request, "oversight/supervision_detail.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_scoped(_items_for(request), request.user, pk=pk)
    post = request.POST
    try:
        if action == "answer":
            oversight.answer_supervision(
                item=item, actor=request.user, response=post.get("response", "")
            )
            done = _("已回复督办事项")
        else:
            accepted = post.get("decision") == "close"
            oversight.close_supervision(
                item=item, actor=request.user, accepted=accepted, note=post.get("note", "")
            )
            done = _("已办结") if accepted else _("已退回重办")
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        item.refresh_from_db()
        context = _supervision_context(request, item, error.by_field, post)
        return render(
            request, "oversight/supervision_detail.html", context, status=error.status_code
        )
    messages.success(request, done)
    return redirect("oversight:supervision_detail", pk=item.pk)


@login_required
@require_POST
def supervision_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "answer")


@login_required
@require_POST
def supervision_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")
