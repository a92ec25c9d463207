"""Pages of director spot checks (所长抽查): the list, the month's draw, a round, one review."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, known_filters
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.records.queries import inspection_content
from xiaoneng.inspections.trace.views import stations
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.forms import DrawForm, ReviewForm
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound


def _reviews_for(request: OfficerRequest) -> QuerySet[DirectorReview]:
    return scoped(
        DirectorReview.objects.select_related(
            "round", "unit", "inspection__entity", "inspection__lead_officer", "reviewer"
        ),
        request.user,
    )


def _reviewed_instead(user: Officer) -> str:
    """Who reviews the records ``user`` was on the team of: a station director's go to the
    division (科室, which sees every station), a division officer's to a colleague."""
    if user.has_role(Role.STATION_DIRECTOR) and not user.has_role(Role.DIVISION_STAFF):
        return _("区局科室人员")
    return _("其他有抽查职责的人员")


@login_required
def review_list(request: OfficerRequest) -> HttpResponse:
    """The director's spot checks of a month, per officer; the rounds drawn; the draw form."""
    month = request.GET.get("month", "").strip() or director_reviews.last_month()
    try:
        director_reviews.parse_month(month)
    except DomainError as error:
        messages.error(request, error.for_page)
        month = director_reviews.last_month()
    params = known_filters(
        request, status=Choice(_("状态"), [*DirectorReview.Status.values, "all"])
    )
    status = params.get("status", DirectorReview.Status.PENDING)
    reviews = _reviews_for(request).filter(round__month=month)
    if status in DirectorReview.Status.values:
        reviews = reviews.filter(status=status)
    order = ("unit__path", "inspection__lead_officer_id", "inspection_id")
    # Nobody is asked to review a record they were on the team of: those are listed apart.
    own = director_reviews.of_own_records(reviews, request.user).order_by(*order)[:500]
    mine = director_reviews.with_director_on_team(
        director_reviews.to_review_by(reviews, request.user)
    )
    by_officer: dict[Any, list[DirectorReview]] = defaultdict(list)
    for review in mine.order_by(*order)[:500]:
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
        "own": list(own),
        "own_reviewed_by": _reviewed_instead(request.user),
        "may_draw": access.can(request.user, access.REVIEW_INSPECTIONS),
        "stations": stations(request),
        "last_month": director_reviews.last_month(),
    }
    return render(request, "oversight/review_list.html", context)


@login_required
@require_POST
def review_draw(request: OfficerRequest) -> HttpResponse:
    """Draw a station's sample of a finished month (or open the round already drawn)."""
    form = DrawForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return redirect("oversight:review_list")
    station = get_scoped(
        Unit.objects.filter(kind=Unit.Kind.STATION), request.user, code=form.cleaned_data["unit"]
    )
    month = form.cleaned_data["month"]
    try:
        drawn = director_reviews.draw_reviews(unit=station, month=month, actor=request.user)
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
def review_round(request: OfficerRequest, pk: int) -> HttpResponse:
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
        "verification": director_reviews.check_round(drawn),
        "history": readable(audit.history(drawn)[:20], ReviewRound),
    }
    return render(request, "oversight/review_round.html", context)


METHODS = ("电话回访经营者", "实地复核", "查看现场照片", "调阅检查记录及附件")


@login_required
def review_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """The review form next to the sampled record's content."""
    review = get_scoped(_reviews_for(request), request.user, pk=pk)
    form = ReviewForm(**posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            director_reviews.review_inspection(
                review=review,
                actor=request.user,
                confirmed=data["decision"],
                method=data["method"],
                note=data["note"],
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
            review.refresh_from_db()
        else:
            messages.success(
                request, _("已记录抽查结论：%(s)s") % {"s": review.get_status_display()}
            )
            return redirect("oversight:review_detail", pk=review.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    user = request.user
    pending = review.status == DirectorReview.Status.PENDING
    own = director_reviews.took_part(review, user)
    context = {
        **inspection_content(review.inspection),
        "review": review,
        "errors": form.field_errors,
        "form": form.shown,
        "methods": METHODS,
        "may_review": pending and access.can(user, access.REVIEW_INSPECTIONS) and not own,
        "own": pending and own,
        "reviewed_by": _reviewed_instead(user),
        "director_on_team": director_reviews.director_took_part(review),
    }
    return render(request, "oversight/review_detail.html", context)
