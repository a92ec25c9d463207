"""首问负责制 (篇9) for service cases: the responsible officer changes only by an explicit hand-on,
recorded with its reason in the trace; the case's clock follows."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.permits.checks import clock_of, require_handler, required_text
from xiaoneng.timeliness.permits.models import ServiceCase
from xiaoneng.timeliness.permits.transitions import FINAL


def check_open(case: ServiceCase) -> None:
    """A case is handed on until it is final (办结, 不予受理, 撤回)."""
    if case.status in FINAL:
        raise Conflict(_("办件已%(status)s，不能移交") % {"status": case.get_status_display()})


def hand_on_case(
    *, case: ServiceCase, actor: Officer, officer: Officer | None, reason: str
) -> ServiceCase:
    """首问负责制: the responsible officer changes only here, recorded with the reason; a move to
    an officer of another station moves the case there. The clock follows."""
    require_handler(actor, case)
    check_open(case)
    if officer is None:
        raise InvalidInput.single("officer", _("请选择接办人"))
    if officer.pk == case.responsible_id:
        raise InvalidInput.single(
            "officer", _("接办人就是当前责任人：%(name)s") % {"name": officer}
        )
    if not officer.is_active or not access.can(officer, access.HANDLE_SERVICES):
        raise InvalidInput.single("officer", _("该人员不能承办办件：%(name)s") % {"name": officer})
    if officer.unit is None or not access.in_scope(actor, officer.unit_id):
        raise NotPermitted(_("接办人不在您所在单位的辖区内"))
    reason = required_text("reason", reason, _("请填写移交的理由"))
    unit = officer.unit if officer.unit.kind == Unit.Kind.STATION else None
    moved = unit is not None and unit.pk != case.unit_id
    with transaction.atomic(), audit.attributed(actor):
        case.responsible = officer
        case.handed_on_at = timezone.now()
        fields = ["responsible", "handed_on_at"]
        if moved:
            assert unit is not None
            case.unit, case.region_code = unit, unit.region_code
            fields += ["unit", "region_code"]
        audit.set_reason(case, reason)
        case.save(update_fields=fields)
        clock = clock_of(case)
        if clock is not None and clock.stopped_on is None:
            clocks.hand_on(clock=clock, officer=officer, unit=unit if moved else None, actor=actor)
    return case


def hand_ons(case: ServiceCase) -> list[dict[str, object]]:
    """The case's hand-ons from its trace, oldest first: when, by whom, to whom, why."""
    names = dict(Officer.objects.filter(pk__in=_responsible_ids(case)).values_list("pk", "name"))
    found = []
    for event in reversed(list(audit.history(case))):
        change = (event.changes or {}).get("responsible")
        if event.action == "create" or not change:
            continue
        found.append(
            {
                "at": event.at,
                "actor": event.actor_name,
                "from": names.get(change[0], change[0]),
                "to": names.get(change[1], change[1]),
                "reason": event.reason,
            }
        )
    return found


def _responsible_ids(case: ServiceCase) -> set[int]:
    ids: set[int] = set()
    for event in audit.history(case):
        change = (event.changes or {}).get("responsible")
        if change:
            ids |= {v for v in change if isinstance(v, int)}
    return ids
