"""Service indicators: callback satisfaction (回访满意率, 篇9) and time-limit warnings
(时限预警).

Satisfaction is ``timeliness.callbacks.figures`` — ``by_officer`` / ``by_unit`` give the tallies
and ``satisfaction`` the rate, the same figures as the satisfaction page and the bulletin; a
station's tally adds up the tallies of the units of its subtree before the rate is taken.

Warnings: the timed obligations (``timeliness.clocks`` Clock: service cases, complaints and
reports) the subject handled that ran during the period, and of them those that raised a yellow
or red warning in the period. A red warning always follows the limit passing, so it is shown
apart in the detail; it is not weighted double, because a clock that goes red was yellow first
and the value stays a share of the subject's timed matters that the drill-down lists one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    LOWER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    percent,
    register,
)
from xiaoneng.reports.assessment.measures.followup import grouped, no_data, owned, subtrees
from xiaoneng.reports.assessment.periods import Period
from xiaoneng.timeliness.callbacks import figures
from xiaoneng.timeliness.callbacks.models import Answer, Callback
from xiaoneng.timeliness.clocks.models import Clock, Level, Warning
from xiaoneng.timeliness.clocks.queries import subject_url

# 回访满意率 -------------------------------------------------------------------------------


def _sum(tallies: list[figures.Tally]) -> figures.Tally:
    names = [f.name for f in fields(figures.Tally)]
    return figures.Tally(**{n: sum(getattr(t, n) for t in tallies) for n in names})


def _tallies(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, figures.Tally]:
    callbacks = Callback.objects.all()
    if kind == OFFICER:
        ids = dict(Officer.objects.filter(pk__in=subject_ids).values_list("username", "pk"))
        rows = figures.by_officer(
            callbacks.filter(officer_id__in=subject_ids), period.start, period.end
        )
        found = {ids[r.key]: r.tally for r in rows if r.key in ids}
        return {sid: found.get(sid, figures.Tally()) for sid in subject_ids}
    trees = subtrees(subject_ids)
    units = set().union(*trees.values()) if trees else set()
    codes = dict(Unit.objects.filter(pk__in=units).values_list("code", "pk"))
    rows = figures.by_unit(callbacks.filter(unit_id__in=units), period.start, period.end)
    by_unit = {codes[r.key]: r.tally for r in rows if r.key in codes}
    return {
        sid: _sum([by_unit[u] for u in trees.get(sid, ()) if u in by_unit]) for sid in subject_ids
    }


def satisfaction_measure(
    kind: str, subject_ids: Sequence[int], period: Period
) -> dict[int, Measure]:
    result = {}
    for sid, t in _tallies(kind, subject_ids, period).items():
        if not t.answered:
            result[sid] = no_data(_("本期无作出总体评价的回访"))
            continue
        detail = _(
            "本期回访%(made)d人次，作出总体评价%(answered)d人次，其中满意%(satisfied)d人次、"
            "基本满意%(basic)d人次、不满意%(unsatisfied)d人次"
        ) % {
            "made": t.made,
            "answered": t.answered,
            "satisfied": t.satisfied,
            "basic": t.basic,
            "unsatisfied": t.unsatisfied,
        }
        result[sid] = Measure(t.satisfaction, t.satisfied + t.basic, t.answered, detail)
    return result


def satisfaction_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    answered = figures.in_period(Callback.objects.all(), period.start, period.end).filter(
        figures.DONE & ~Q(overall="")
    )
    pleased = (Answer.SATISFIED, Answer.BASIC)
    return [
        RecordRow(
            day=c.called_on,
            kind=_("回访"),
            title=f"{c.party} {c.subject}",
            state=str(c.get_overall_display()),
            url=reverse("timeliness:callback_detail", args=[c.pk]),
            counts="numerator" if c.overall in pleased else "denominator",
        )
        for c in owned(answered, kind, subject_id, ("officer_id", "unit_id")).order_by(
            "-called_on", "-id"
        )
    ]


# 时限预警 ---------------------------------------------------------------------------------

CLOCKS = ("officer_id", "unit_id")


def _raised(period: Period) -> QuerySet[Warning]:
    """The warnings of the outer clock raised in the period."""
    return Warning.objects.filter(clock=OuterRef("pk"), raised_on__range=(period.start, period.end))


def _clocks(period: Period) -> QuerySet[Clock]:
    """The clocks running at some time in the period, marked warned / red when they raised a
    warning (of that level) in the period."""
    raised = _raised(period)
    return (
        Clock.objects.filter(started_on__lte=period.end)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=period.start))
        .alias(warned=Exists(raised), red=Exists(raised.filter(level=Level.RED)))
    )


def warnings_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    counts = grouped(
        _clocks(period),
        kind,
        subject_ids,
        CLOCKS,
        {
            "clocks": Count("id"),
            "warned": Count("id", filter=Q(warned=True)),
            "red": Count("id", filter=Q(red=True)),
        },
    )
    result = {}
    for sid, c in counts.items():
        if not c["clocks"]:
            result[sid] = no_data(_("本期无承办的限时事项"))
            continue
        value = percent(c["warned"], c["clocks"])
        detail = _(
            "本期承办限时事项%(clocks)d件，发生预警%(warned)d件（黄色预警%(yellow)d件、"
            "红色预警%(red)d件），每百件%(rate)s件"
        ) % {
            "clocks": c["clocks"],
            "warned": c["warned"],
            "yellow": c["warned"] - c["red"],
            "red": c["red"],
            "rate": value,
        }
        result[sid] = Measure(value, c["warned"], c["clocks"], detail)
    return result


def warnings_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    raised = _raised(period)
    clocks = owned(_clocks(period), kind, subject_id, CLOCKS).annotate(
        is_warned=Exists(raised), is_red=Exists(raised.filter(level=Level.RED))
    )
    rows = []
    for clock in clocks.order_by("-started_on", "-id"):
        if clock.is_red:
            state = _("红色预警")
        elif clock.is_warned:
            state = _("黄色预警")
        else:
            state = _("未预警")
        rows.append(
            RecordRow(
                day=clock.started_on,
                kind=str(clock.get_kind_display()),
                title=clock.subject,
                state=str(state),
                url=subject_url(clock),
                counts="numerator" if clock.is_warned else "denominator",
            )
        )
    return rows


register(
    Indicator(
        code="callback_satisfaction",
        label=gettext_lazy("回访满意率"),
        unit="%",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal(98),
        floor=Decimal(80),
        definition=gettext_lazy(
            "本期（回访日期在本期）已回访并作出总体评价的回访中，评价为满意或基本满意的比例；"
            "按被回访事项承办人和回访记录所属单位计。"
        ),
        measure=satisfaction_measure,
        records=satisfaction_records,
    )
)

register(
    Indicator(
        code="time_warnings",
        label=gettext_lazy("时限预警"),
        unit="件/百件",
        direction=LOWER,
        subjects=(OFFICER, STATION),
        target=Decimal(5),
        floor=Decimal(40),
        definition=gettext_lazy(
            "本期内计时的限时事项（办件、投诉举报的各项时限）中，本期发生黄色或红色预警的件数，"
            "每百件计；按时限的承办人和承办单位计，红色预警在说明中单列。"
        ),
        measure=warnings_measure,
        records=warnings_records,
    )
)
