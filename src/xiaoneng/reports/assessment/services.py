"""Schemes (the weights of the indicators) and assessments (the scores of a period).

- A subject's **total** is the weighted mean of the scores of the indicators that had data:
  Σ weight × score ÷ Σ weight, over those indicators only. An indicator without data is left
  out rather than scored 0 or 100, and the page says how much of the weight had data
  (``Result.weight_with_data``). With no data at all there is no total and no rank.
- The **rank** is the competition rank ("1, 2, 2, 4") of the totals among all subjects of the
  assessment, highest first; equal totals share a rank. A subject whose indicators with data
  carry less than half the weight (``MIN_RANKED_WEIGHT``) is not ranked.
- The subjects: every active officer of a station (``officer``), every station (``station``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput, Missing
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.reports.assessment import catalogue
from xiaoneng.reports.assessment.catalogue import HIGHER, OFFICER, STATION, Indicator
from xiaoneng.reports.assessment.models import (
    ROLE_CHOICES,
    Assessment,
    Result,
    ResultItem,
    Scheme,
    SchemeIndicator,
)
from xiaoneng.reports.assessment.periods import Period

ONE = Decimal(1)
WEIGHT_PLACES = Decimal("0.0001")
# A subject whose indicators with data carry less than this share of the weight gets its
# total but no rank: a rank on a tenth of the weight would say little (an officer with no
# task, inspection or callback in the month is not "last").
MIN_RANKED_WEIGHT = Decimal("0.5")

# The weights a bureau starts from (seed 篇5: judge by results, not by people sent out);
# an administrator or division changes them on the page 考核方案.
DEFAULT_WEIGHTS: dict[str, dict[str, str]] = {
    OFFICER: {
        "plan_completion": "0.15",
        "on_time": "0.10",
        "findings_adjusted": "0.15",
        "rectification_closure": "0.10",
        "rectification_days": "0.05",
        "cases_handled": "0.05",
        "callback_satisfaction": "0.15",
        "time_warnings": "0.10",
        "false_inspections": "0.10",
        "training_hours": "0.05",
    },
    STATION: {
        "plan_completion": "0.10",
        "on_time": "0.05",
        "due_coverage": "0.15",
        "findings_adjusted": "0.10",
        "rectification_closure": "0.10",
        "rectification_days": "0.05",
        "cases_target": "0.10",
        "fines_target": "0.10",
        "callback_satisfaction": "0.10",
        "time_warnings": "0.05",
        "false_inspections": "0.05",
        "training_hours": "0.05",
    },
}


@dataclass(frozen=True)
class Item:
    """One indicator of a scheme as given: its code, weight, target and floor."""

    indicator: str
    weight: Decimal
    target: Decimal
    floor: Decimal


def kind_label(kind: str) -> str:
    return _("执法人员") if kind == OFFICER else _("基层所")


def _error(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[FieldError(field, message)])


def decimal_of(value: object, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _error(field, _("应为数字：%(value)s") % {"value": value}) from None
    if not number.is_finite():
        raise _error(field, _("应为数字：%(value)s") % {"value": value})
    return number


def check_items(kind: str, items: Sequence[Item]) -> None:
    """Refuse a weighting that cannot be used, naming the first problem."""
    if kind not in catalogue.SUBJECT_KINDS:
        raise _error("subject_kind", _("考核对象应为执法人员或基层所：%(kind)s") % {"kind": kind})
    if not items:
        raise _error("items", _("至少选择一项指标"))
    known = catalogue.load()
    seen: set[str] = set()
    for item in items:
        indicator = known.get(item.indicator)
        if indicator is None:
            raise _error("items", _("未知的指标：%(code)s") % {"code": item.indicator})
        label = str(indicator.label)
        if item.indicator in seen:
            raise _error("items", _("指标重复：%(label)s") % {"label": label})
        seen.add(item.indicator)
        if kind not in indicator.subjects:
            raise _error(
                "items",
                _("指标“%(label)s”不适用于%(kind)s") % {"label": label, "kind": kind_label(kind)},
            )
        if not (0 < item.weight <= ONE) or item.weight != item.weight.quantize(WEIGHT_PLACES):
            raise _error(
                "items",
                _("“%(label)s”的权重应大于 0、不超过 1，至多四位小数：%(weight)s")
                % {"label": label, "weight": item.weight},
            )
        if item.target == item.floor:
            raise _error("items", _("“%(label)s”的满分值与零分值不能相同") % {"label": label})
        better = item.target > item.floor if indicator.direction == HIGHER else None
        if better is False:
            raise _error("items", _("“%(label)s”越高越好，满分值应高于零分值") % {"label": label})
        if indicator.direction != HIGHER and item.target > item.floor:
            raise _error("items", _("“%(label)s”越低越好，满分值应低于零分值") % {"label": label})
    total = sum((item.weight for item in items), Decimal(0))
    if total != ONE:
        raise _error(
            "items", _("各指标权重之和应为 1，现为 %(total)s") % {"total": total.normalize()}
        )


def default_items(kind: str) -> list[Item]:
    """The starting weights of ``kind``, with each indicator's default target and floor."""
    return items_of(DEFAULT_WEIGHTS[kind])


def items_of(weights: Mapping[str, str]) -> list[Item]:
    """``weights`` (indicator code → weight) with each indicator's default target and floor;
    codes the catalogue does not know are left out."""
    known = catalogue.load()
    return [
        Item(code, Decimal(weight), known[code].target, known[code].floor)
        for code, weight in weights.items()
        if code in known
    ]


def role_label(role: str) -> str:
    return str(dict(ROLE_CHOICES).get(role, role))


def check_role(kind: str, role: str) -> None:
    """A scheme for one role is an officers' scheme for a role a station's officers hold."""
    if role not in dict(ROLE_CHOICES):
        raise _error("role", _("适用角色应为责任区干部或所长：%(role)s") % {"role": role})
    if role and kind != OFFICER:
        raise _error("role", _("只有执法人员的考核方案可以按角色制定"))


@transaction.atomic
def save_scheme(
    *,
    kind: str,
    year: int,
    name: str,
    items: Sequence[Item],
    note: str = "",
    role: str = "",
    actor: Officer | None,
) -> Scheme:
    """A new scheme (the year's next version for its kind and role): earlier versions stay as
    they were, so every assessment keeps the weights it was computed with."""
    if actor is not None:
        access.require(actor, access.MANAGE_ASSESSMENT)
    if not 2000 <= int(year) <= 2100:
        raise _error("year", _("年度应在 2000 至 2100 之间：%(year)s") % {"year": year})
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise _error("name", _("请填写方案名称（不超过 100 字）"))
    check_items(kind, items)
    check_role(kind, role)
    last = (
        Scheme.objects.filter(subject_kind=kind, role=role, year=year).order_by("-version").first()
    )
    with audit.attributed(actor):
        scheme = Scheme.objects.create(
            subject_kind=kind,
            role=role,
            year=year,
            version=(last.version + 1) if last else 1,
            name=name,
            note=note,
            created_by=actor,
        )
        SchemeIndicator.objects.bulk_create(
            SchemeIndicator(
                scheme=scheme,
                indicator=item.indicator,
                weight=item.weight,
                target=item.target,
                floor=item.floor,
                position=k,
            )
            for k, item in enumerate(items)
        )
        audit.record(scheme, action="create", changes={"items": [None, len(items)]})
    return scheme


def scheme_for(kind: str, period: Period, role: str = "") -> Scheme | None:
    """The scheme in force for ``period`` (for the officers of ``role``, or for every subject
    of ``kind``): the latest version of the latest year not after it."""
    return (
        Scheme.objects.filter(subject_kind=kind, role=role, year__lte=period.start.year)
        .order_by("-year", "-version")
        .first()
    )


# The roles whose own scheme, when one is in force, scores an officer holding them: the
# first that applies (a director who is also a grid officer is scored as a director).
ROLE_ORDER = (Role.STATION_DIRECTOR, Role.GRID_OFFICER)


def schemes_of(kind: str, period: Period, ids: Sequence[int]) -> dict[int, Scheme]:
    """Each subject's scheme: their role's, if one is in force (``ROLE_ORDER``), or the
    kind's. Subjects missing from the answer have no scheme (the kind has none)."""
    general = scheme_for(kind, period)
    found = {subject: general for subject in ids} if general is not None else {}
    if kind != OFFICER:
        return found
    held: dict[int, set[str]] = {}
    for officer, role in Officer.roles.through.objects.filter(
        officer_id__in=list(ids), role_id__in=ROLE_ORDER
    ).values_list("officer_id", "role_id"):
        held.setdefault(officer, set()).add(role)
    own = {role: scheme_for(kind, period, role) for role in ROLE_ORDER}
    for officer, roles in held.items():
        for role in ROLE_ORDER:
            scheme = own[role]
            if role in roles and scheme is not None:
                found[officer] = scheme
                break
    return found


def subjects(kind: str) -> list[tuple[int, int]]:
    """(subject id, unit id) of everyone assessed: the stations, or the active officers of the
    stations (an officer with nothing to count in the period has no data, hence no rank)."""
    stations = Unit.objects.filter(kind=Unit.Kind.STATION)
    if kind == STATION:
        return list(stations.order_by("code").values_list("id", "id"))
    officers = Officer.objects.filter(unit__in=stations, is_active=True)
    return list(officers.order_by("unit__code", "username").values_list("id", "unit_id"))


def total_of(items: Sequence[tuple[Decimal, Decimal | None]]) -> tuple[Decimal | None, Decimal]:
    """(total, weight with data) of (weight, score) pairs: the weighted mean over the scores
    that exist."""
    weight = sum((w for w, s in items if s is not None), Decimal(0))
    if not weight:
        return None, Decimal(0)
    points = sum((w * s for w, s in items if s is not None), Decimal(0))
    return catalogue.rounded(points / weight), weight


def ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranks of ``totals``, highest first; None keeps no rank."""
    ordered = sorted((t for t in totals if t is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return [first[t] if t is not None else None for t in totals]


def compute(
    *, kind: str, period: Period, actor: Officer | None, now: dt.datetime | None = None
) -> Assessment:
    """Measure every subject of ``kind`` over ``period`` with the scheme in force, and store it."""
    if actor is not None:
        access.require(actor, access.MANAGE_ASSESSMENT)
    scheme = scheme_for(kind, period)
    if scheme is None:
        raise Missing(
            _("尚无%(year)s年适用的%(kind)s考核方案，请先制定考核方案")
            % {"year": period.start.year, "kind": kind_label(kind)}
        )
    known = catalogue.load()
    people = subjects(kind)
    ids = [subject for subject, _unit in people]
    roots = list(Unit.objects.filter(parent__isnull=True).values_list("id", flat=True))
    if kind == STATION:  # the organisation's own figures, measured over its subtree
        people += [(root, root) for root in roots]
        ids += roots
    chosen = schemes_of(kind, period, ids)
    weightings = {s.pk: list(s.items.all()) for s in {*chosen.values(), scheme}}
    # Each indicator measured once, for the subjects whose scheme weighs it.
    weighed = {pk: {row.indicator for row in rows} for pk, rows in weightings.items()}
    measured: dict[str, dict[int, catalogue.Measure]] = {}
    for code in dict.fromkeys(row.indicator for rows in weightings.values() for row in rows):
        asked = [s for s in ids if code in weighed[chosen[s].pk]]
        measured[code] = known[code].measure(kind, asked, period) if asked else {}
    rows = []
    for subject, unit in people:
        scored = []
        for row in weightings[chosen[subject].pk]:
            measure = measured[row.indicator].get(subject, catalogue.NO_DATA)
            points = catalogue.score(
                measure.value,
                target=row.target,
                floor=row.floor,
                direction=known[row.indicator].direction,
            )
            scored.append((row, measure, points))
        total, weight = total_of([(row.weight, points) for row, _m, points in scored])
        rows.append((subject, unit, total, weight, scored))
    whole = set(roots) if kind == STATION else set()
    places = ranks(
        [
            total if weight >= MIN_RANKED_WEIGHT and subject not in whole else None
            for subject, _u, total, weight, _i in rows
        ]
    )
    with transaction.atomic(), audit.attributed(actor):
        assessment = Assessment.objects.create(
            subject_kind=kind,
            period=period.key,
            period_kind=period.kind,
            start=period.start,
            end=period.end,
            scheme=scheme,
            computed_at=now or timezone.now(),
            computed_by=actor,
        )
        results = Result.objects.bulk_create(
            Result(
                assessment=assessment,
                officer_id=subject if kind == OFFICER else None,
                unit_id=unit,
                total=total,
                weight_with_data=weight,
                rank=place,
                whole=subject in whole,
                scheme=chosen[subject],
            )
            for (subject, unit, total, weight, _i), place in zip(rows, places, strict=True)
        )
        ResultItem.objects.bulk_create(
            ResultItem(
                result=result,
                indicator=row.indicator,
                weight=row.weight,
                value=measure.value,
                numerator=_number(measure.numerator),
                denominator=_number(measure.denominator),
                score=points,
                detail=measure.detail[:300],
            )
            for result, (_s, _u, _t, _w, scored) in zip(results, rows, strict=True)
            for row, measure, points in scored
        )
        audit.record(
            assessment,
            action="compute",
            changes={"period": [None, period.key], "subjects": [None, len(rows)]},
        )
    return assessment


def _number(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def latest(kind: str, period: Period) -> Assessment | None:
    return (
        Assessment.objects.filter(subject_kind=kind, period=period.key)
        .order_by("-computed_at", "-id")
        .first()
    )


def indicator(code: str) -> Indicator | None:
    return catalogue.load().get(code)
