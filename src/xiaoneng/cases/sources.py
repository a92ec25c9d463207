"""Where a case comes from: an inspection, a finding, a rectification order, an exit check, an
unlicensed operator or a failed sample. Opening a case from one escalates it (转立案).

``KINDS`` is the one list of them: the case form, the API and the panels read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import CaseKind
from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.states import Transitions
from xiaoneng.inspections import transitions as tables
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    UnlicensedOperator,
)
from xiaoneng.registry.models import Entity


@dataclass
class Source:
    """A case's source, what it gives the case, and the record that moves to escalated."""

    field: str
    record: models.Model
    entity: Entity | None
    party: str
    unit_id: int
    region_code: str
    since: dt.date  # a lead cannot be received before its source
    moved: models.Model | None = None
    table: Transitions | None = None
    to: str = ""

    def check(self) -> None:
        """Refuse (the table's message) unless the source may still be escalated."""
        if self.moved is not None and self.table is not None:
            self.table.check(self.moved, self.to)

    def escalate(self, case_number: str) -> None:
        """Move the source to escalated and save it; its trace names the case."""
        if self.moved is None or self.table is None:
            return
        self.table.move(self.moved, self.to)
        audit.set_reason(self.moved, _("转立案：%(number)s") % {"number": case_number})
        self.moved.save()


def _inspection(record: Inspection) -> Source:
    if record.status != Inspection.Status.SIGNED:
        raise InvalidInput.single("inspection", _("只能依据已签名的检查记录立案"))
    entity = record.entity
    return Source(
        field="inspection",
        record=record,
        entity=entity,
        party=entity.name,
        unit_id=record.unit_id,
        region_code=record.region_code,
        since=record.visited_on,
    )


def _finding(record: Finding) -> Source:
    entity = record.entity
    return Source(
        field="finding",
        record=record,
        entity=entity,
        party=entity.name,
        unit_id=record.unit_id,
        region_code=entity.region_code,
        since=record.found_on,
        moved=record,
        table=tables.FINDING,
        to=Finding.Status.ESCALATED,
    )


def _rectification(record: Rectification) -> Source:
    entity = record.entity
    return Source(
        field="rectification",
        record=record,
        entity=entity,
        party=entity.name,
        unit_id=record.unit_id,
        region_code=entity.region_code,
        since=record.issued_on,
        moved=record,
        table=tables.RECTIFICATION,
        to=Rectification.Status.ESCALATED,
    )


def _exit_check(record: ExitCheck) -> Source:
    entity = record.entity
    return Source(
        field="exit_check",
        record=record,
        entity=entity,
        party=entity.name,
        unit_id=record.unit_id,
        region_code=entity.region_code,
        since=record.found_on,
        moved=record,
        table=tables.EXIT_CHECK,
        to=ExitCheck.Status.ESCALATED,
    )


def _unlicensed(record: UnlicensedOperator) -> Source:
    party = record.name + (f"（{record.operator}）" if record.operator else "")
    return Source(
        field="unlicensed_operator",
        record=record,
        entity=None,
        party=party,
        unit_id=record.unit_id,
        region_code=record.region_code,
        since=record.found_on,
        moved=record,
        table=tables.UNLICENSED,
        to=UnlicensedOperator.Status.ESCALATED,
    )


def _sample(record: Sample) -> Source:
    if record.result != Sample.Result.FAIL:
        raise InvalidInput.single("sample", _("只能依据检验不合格的抽样批次立案"))
    follow_up = SampleFollowUp.objects.filter(sample=record).first()
    if follow_up is None:
        raise InvalidInput.single("sample", _("该抽样批次还没有不合格后处理记录"))
    return Source(
        field="sample",
        record=record,
        entity=record.entity,
        party=record.firm_name,
        unit_id=record.unit_id,
        region_code=record.region_code,
        since=record.reported_on or record.sampled_on,
        moved=follow_up,
        table=tables.SAMPLE_FOLLOW_UP,
        to=SampleFollowUp.Status.ESCALATED,
    )


@dataclass(frozen=True)
class SourceKind:
    """A kind of record a case can be opened from: how a request names it (``param``: the case
    form's ``?unlicensed=ID``, the API's field), the Case field that keeps it, its model, what
    a case from it is usually about, and how it becomes a ``Source``."""

    param: str
    field: str
    model: type[models.Model]
    title: Any  # a lazy translation: the case's default title
    case_kind: str
    build: Callable[[Any], Source]


# Every source of a case, in the order the form lists them.
KINDS = (
    SourceKind(
        "inspection",
        "inspection",
        Inspection,
        gettext_lazy("检查发现违法行为"),
        CaseKind.OTHER,
        _inspection,
    ),
    SourceKind(
        "finding", "finding", Finding, gettext_lazy("检查发现问题"), CaseKind.OTHER, _finding
    ),
    SourceKind(
        "rectification",
        "rectification",
        Rectification,
        gettext_lazy("逾期未整改"),
        CaseKind.OTHER,
        _rectification,
    ),
    SourceKind(
        "exit_check",
        "exit_check",
        ExitCheck,
        gettext_lazy("注销（吊销）后仍从事经营活动"),
        CaseKind.UNLICENSED,
        _exit_check,
    ),
    SourceKind(
        "unlicensed",
        "unlicensed_operator",
        UnlicensedOperator,
        gettext_lazy("无照经营"),
        CaseKind.UNLICENSED,
        _unlicensed,
    ),
    SourceKind(
        "sample",
        "sample",
        Sample,
        gettext_lazy("销售不合格产品"),
        CaseKind.PRODUCT_QUALITY,
        _sample,
    ),
)
BY_FIELD = {kind.field: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}
FIELDS = tuple(BY_FIELD)


def resolve(records: dict[str, models.Model | None]) -> Source | None:
    """The one source given (``{field: record or None}``), or None; two at once are refused."""
    given = [(field, record) for field, record in records.items() if record is not None]
    if len(given) > 1:
        raise InvalidInput.single(
            "source",
            _("一个案件只能有一个线索来源，收到了：%(fields)s")
            % {"fields": "、".join(field for field, _r in given)},
        )
    if not given:
        return None
    field, record = given[0]
    source: Source = BY_FIELD[field].build(record)
    return source


def source_of(case: Any) -> tuple[str, models.Model] | None:
    """``(field, record)`` of the case's source, or None."""
    for field in FIELDS:
        record = getattr(case, field)
        if record is not None:
            return field, record
    return None
