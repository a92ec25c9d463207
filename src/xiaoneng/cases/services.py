"""Cases: registering a lead (``open_case``) with its number; the moves of the state machine
live in ``cases.moves`` and are named here too, so that ``cases.services`` is the one place
callers look (``file_case``, ``decide``, ``apply_transition``…), as is ``record_service``
(cases.service_days: the day the notice or decision reached the party).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.cases import money, sources
from xiaoneng.cases.checks import check_day, parse_day
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.cases.moves import (
    APPROVERS,
    MOVES,
    allowed_moves,
    apply_transition,
    close_case,
    decide,
    extend_time_limit,
    file_case,
    notify,
    refuse_filing,
    start_execution,
    start_investigation,
    withdraw,
)
from xiaoneng.cases.service_days import record_service
from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity

__all__ = [
    "APPROVERS",
    "MOVES",
    "allowed_moves",
    "apply_transition",
    "close_case",
    "decide",
    "extend_time_limit",
    "file_case",
    "next_number",
    "notify",
    "number_head",
    "open_case",
    "parse_day",
    "record_service",
    "refuse_filing",
    "start_execution",
    "start_investigation",
    "withdraw",
]

# Numbers --------------------------------------------------------------------------------------


def number_head(unit: Unit, year: int) -> str:
    """The part of a case number before the sequence: 伊市监案〔2026〕 (a station adds its name)."""
    prefix = settings.DOCUMENT_NUMBER_PREFIX
    tag = "" if unit.kind == Unit.Kind.BUREAU else unit.name
    return f"{prefix}{tag}案〔{year}〕"


def next_number(unit: Unit, year: int) -> str:
    """The next case number of ``unit`` in ``year``, e.g. 伊市监案〔2026〕0001号.

    The caller holds a lock on the unit's row, so two cases opened at once get two numbers.
    """
    head = number_head(unit, year)
    pattern = re.compile(re.escape(head) + r"(\d+)号$")
    taken = Case.objects.filter(number__startswith=head).values_list("number", flat=True)
    highest = max((int(m.group(1)) for n in taken if (m := pattern.match(n))), default=0)
    return f"{head}{highest + 1:04d}号"


# Opening a case ---------------------------------------------------------------------------------


def _check_open(
    *,
    actor: Officer,
    title: str,
    kind: str,
    party: str,
    facts: str,
    source_note: str,
    handler: Officer,
    co_handler: Officer | None,
) -> list[FieldError]:
    errors = []
    if not title.strip():
        errors.append(FieldError("title", _("请填写案由")))
    elif len(title.strip()) > 200:
        errors.append(FieldError("title", _("案由不能超过 200 个字")))
    if kind not in CaseKind.values:
        errors.append(FieldError("kind", _("未知的案件类别：%(v)s") % {"v": kind}))
    if not party.strip():
        errors.append(FieldError("party", _("请填写当事人")))
    elif len(party.strip()) > 200:
        errors.append(FieldError("party", _("当事人不能超过 200 个字")))
    if len(source_note.strip()) > 200:
        errors.append(FieldError("source_note", _("线索来源不能超过 200 个字")))
    if len(facts) > 20_000:
        errors.append(FieldError("facts", _("案情不能超过 20000 个字")))
    if not handler.is_active or not in_scope(actor, handler.unit_id):
        errors.append(FieldError("handler", _("主办人不在您的辖区内：%(v)s") % {"v": handler}))
    if co_handler is not None:
        if co_handler.pk == handler.pk:
            errors.append(FieldError("co_handler", _("协办人不能与主办人相同")))
        elif not co_handler.is_active or not in_scope(actor, co_handler.unit_id):
            errors.append(
                FieldError("co_handler", _("协办人不在您的辖区内：%(v)s") % {"v": co_handler})
            )
    return errors


def open_case(
    *,
    actor: Officer,
    title: str,
    kind: str,
    party: str,
    entity: Entity | None = None,
    received_on: dt.date | None,
    facts: str = "",
    source_note: str = "",
    handler: Officer | None = None,
    co_handler: Officer | None = None,
    inspection: Any = None,
    finding: Any = None,
    rectification: Any = None,
    exit_check: Any = None,
    unlicensed_operator: Any = None,
    sample: Any = None,
    case_value: Any = 0,
    major: bool = False,
) -> Case:
    """Register a lead (线索): a new case with its number, from a source or not.

    A source (inspection, finding, rectification order, exit check, unlicensed operator,
    failed sample) gives the case its entity, party and unit, and moves to escalated.
    """
    access.require(actor, access.HANDLE_CASES)
    source = sources.resolve(
        {
            "inspection": inspection,
            "finding": finding,
            "rectification": rectification,
            "exit_check": exit_check,
            "unlicensed_operator": unlicensed_operator,
            "sample": sample,
        }
    )
    if source is not None:
        access.require_unit(actor, source.unit_id)
        source.check()
        if entity is not None and source.entity is not None and entity.pk != source.entity.pk:
            raise InvalidInput.single(
                "entity", _("当事人主体与线索来源不一致：%(v)s") % {"v": entity.name}
            )
        entity = source.entity or entity
    elif entity is not None:
        access.require_unit(actor, entity.unit_id)
    # The source names the party; without one, the registered entity's name is the default.
    if source is not None:
        party = source.party
    party = (party or "").strip() or (entity.name if entity else "")
    unit_id = source.unit_id if source else (entity.unit_id if entity else actor.unit_id)
    if unit_id is None:
        raise InvalidInput.single("unit", _("无法确定承办单位：请选择当事人主体"))
    access.require_unit(actor, unit_id)
    handler = handler or actor
    assert handler is not None
    errors = _check_open(
        actor=actor,
        title=title or "",
        kind=kind,
        party=party,
        facts=facts or "",
        source_note=source_note or "",
        handler=handler,
        co_handler=co_handler,
    )
    try:
        check_day(
            received_on,
            "received_on",
            _("线索登记日期"),
            source.since if source else None,
            _("线索来源的日期"),
        )
    except InvalidInput as error:
        errors += error.errors
    try:
        value = money.parse_amount(case_value, field="case_value")
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert received_on is not None
    with transaction.atomic(), audit.attributed(actor):
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        case = Case(
            number=next_number(unit, received_on.year),
            title=title.strip(),
            kind=kind,
            entity=entity,
            party=party,
            unit=unit,
            region_code=(source.region_code if source else "")
            or (entity.region_code if entity else unit.region_code),
            handler=handler,
            co_handler=co_handler,
            source_note=(source_note or "").strip(),
            facts=(facts or "").strip(),
            major=bool(major),
            case_value=value,
            received_on=received_on,
            stage_started_on=received_on,
        )
        if source is not None:
            setattr(case, source.field, source.record)
        case.save()
        if source is not None:
            source.escalate(case.number)
    return case
