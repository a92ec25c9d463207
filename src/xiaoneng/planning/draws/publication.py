"""Publication of a draw's result (一公开), due 20 working days after its inspections end.

A deadline in a year whose holidays are not loaded yet is provisional (weekdays only); the
deadline stored with a publication is recomputed when that year is loaded
(``recompute_deadlines``, registered in ``PlanningConfig.ready``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.audit import attributed
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org.models import Officer
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import DrawPublication, RandomDraw

PUBLICATION_WORKING_DAYS = 20  # results public within 20 working days of the inspections' end
Status = RandomDraw.Status


def publication_deadline(draw: RandomDraw, calendar: WorkingCalendar) -> dt.date | None:
    """20 working days after the inspections end (provisional past the last loaded year);
    None only for a year before the calendar begins."""
    try:
        return calendar.add_working_days(draw.inspections_end, PUBLICATION_WORKING_DAYS)
    except CalendarUnknown:
        return None


def is_overdue(draw: RandomDraw, deadline: dt.date | None, today: dt.date) -> bool:
    """Not published by its deadline, or published after it."""
    if deadline is None:
        return False
    publication = getattr(draw, "publication", None) if draw.status == Status.PUBLISHED else None
    if publication is None:
        return today > deadline
    return timezone.localdate(publication.published_at) > deadline


def default_publication_text(draw: RandomDraw) -> str:
    return _(
        "%(name)s：自 %(population)d 户抽查对象中随机抽取 %(selected)d 户，"
        "从 %(pool)d 名执法人员中随机匹配检查人员，每组 %(team)d 人。"
        "种子 %(seed)s，抽查对象名单 SHA-256 %(digest)s，可据此复核抽取结果。"
    ) % {
        "name": draw.name,
        "population": draw.population_count,
        "selected": draw.selected_count,
        "pool": draw.pool_count,
        "team": draw.team_size,
        "seed": draw.seed,
        "digest": draw.population_digest,
    }


def publish_draw(
    *,
    draw: RandomDraw,
    text: str = "",
    url: str = "",
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> DrawPublication:
    """Record the publication of the draw's result (drawn → published)."""
    draws.check_actor(actor, [draw.unit_id])
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InvalidInput.single(
                "url", _("公示网址格式不正确：%(url)s") % {"url": url}
            ) from None
    with transaction.atomic(), attributed(actor):
        draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.status in (Status.DRAFT, Status.COMMITTED):
            raise Conflict(_("该抽查尚未抽取，不能公示"))
        if draw.status == Status.PUBLISHED:
            raise Conflict(_("该抽查结果已公示"))
        when = draws.moment(at)
        publication = DrawPublication.objects.create(
            draw=draw,
            published_at=when,
            published_by=actor if getattr(actor, "pk", None) else None,
            text=text.strip() or default_publication_text(draw),
            url=url,
            deadline=publication_deadline(draw, WorkingCalendar.load()),
        )
        draws.transition(draw, Status.PUBLISHED)
        draw.save(update_fields=["status"])
    return publication


def recompute_deadlines(year: int, calendar: WorkingCalendar) -> int:
    """Recompute the stored deadlines falling in ``year`` or later with the loaded calendar.

    Each changed publication is saved through the model, so the trace records the change.
    """
    changed = 0
    publications = DrawPublication.objects.select_related("draw").filter(deadline__year__gte=year)
    for publication in publications.order_by("pk"):
        deadline = publication_deadline(publication.draw, calendar)
        if deadline is None or deadline == publication.deadline:
            continue
        publication.deadline = deadline
        audit.set_reason(
            publication, _("%(year)d 年节假日安排已载入，重新计算公示期限") % {"year": year}
        )
        publication.save(update_fields=["deadline"])
        changed += 1
    return changed
