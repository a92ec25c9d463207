"""The day the 行政处罚告知书 or the 行政处罚决定书 reached the party (送达), which starts the
party's statement and payment periods (cases.limits).

Recorded by the delivery of the document (documents.delivery, which decides who may record it);
cases never read documents. The first delivery counts: the party's period runs from the day it
first received the document of the kind, so a re-issued version delivered later changes nothing,
and one delivered earlier than the day recorded moves the day back. The day may not precede the
stage's own date (告知日期 / 决定日期) nor lie in the future.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org.models import Officer

NOTICE = "notice"
DECISION = "decision"


@dataclass(frozen=True)
class Served:
    """Where a kind's day of service is kept, the stage date it may not precede, their names."""

    field: str
    stage_field: str
    what: Promise
    stage_what: Promise
    not_yet: Promise


KINDS = {
    NOTICE: Served(
        "notice_served_on",
        "notified_on",
        gettext_lazy("告知书送达日期"),
        gettext_lazy("告知日期"),
        gettext_lazy("案件尚未告知，不能登记行政处罚告知书的送达"),
    ),
    DECISION: Served(
        "decision_served_on",
        "decided_on",
        gettext_lazy("决定书送达日期"),
        gettext_lazy("决定日期"),
        gettext_lazy("案件尚未作出处罚决定，不能登记行政处罚决定书的送达"),
    ),
}


def record_service(
    case: Case,
    *,
    kind: str,
    day: dt.date,
    actor: Officer | None,
    field: str | None = None,
    today: dt.date | None = None,
) -> bool:
    """Record that the case's notice (``kind`` "notice") or decision ("decision") reached the
    party on ``day``; whether the case changed (False when an earlier or the same day is kept).

    Refused, writing nothing, before the stage's date or after ``today`` (the error names
    ``field``, by default the case's field). The change is traced, attributed to ``actor``.
    """
    served = KINDS[kind]
    name = field or served.field
    today = today or timezone.localdate()
    with transaction.atomic(), audit.attributed(actor):
        current = Case.objects.select_for_update().get(pk=case.pk)
        stage_day: dt.date | None = getattr(current, served.stage_field)
        if stage_day is None:
            raise Conflict(str(served.not_yet))
        if day < stage_day:
            raise InvalidInput.single(
                name,
                _("%(what)s不能早于%(earliest_what)s %(earliest)s：%(date)s")
                % {
                    "what": served.what,
                    "earliest_what": served.stage_what,
                    "earliest": stage_day,
                    "date": day,
                },
            )
        if day > today:
            raise InvalidInput.single(
                name, _("%(what)s不能晚于今天：%(date)s") % {"what": served.what, "date": day}
            )
        recorded: dt.date | None = getattr(current, served.field)
        if recorded is not None and recorded <= day:
            setattr(case, served.field, recorded)
            return False
        setattr(current, served.field, day)
        current.save(update_fields=[served.field])
    setattr(case, served.field, day)
    return True
