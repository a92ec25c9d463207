"""``xiaoneng import chicago FILE.csv``: the city of Chicago's food inspections into the register.

Each licence becomes an entity and each row a signed on-site inspection with one finding per
counted violation (critical → 严重, serious → 较重, minor → 一般), so that the risk model reads
the dataset exactly as it reads the system's own records: the outcome "≥ 1 critical finding"
is the file's ``criticalFound`` (the reader refuses a row where the two disagree). The Chicago
identifiers are kept in ``ExternalEntity`` (License) and ``ExternalInspection``
(Inspection_ID). Only the columns of ``chicago_rows.COLUMNS`` are stored.

The whole file is one transaction, checked before anything is written: a bad row, or an
Inspection_ID imported before, refuses the file. Rows are written with plain bulk INSERTs
(``core.bulk``) and one trace event per new entity, inspection and finding, as the register's
own import does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tabular import ImportRejected, RowError
from xiaoneng.inspections.checklists.models import InspectionKind, Severity
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.records.models import Inspection, InspectionOfficer
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.classification import RiskRules
from xiaoneng.registry.models import ClassificationChange, CreditGrade, Entity
from xiaoneng.registry.services import note_inspections
from xiaoneng.risk.chicago_rows import ChicagoRow, read_rows
from xiaoneng.risk.chicago_setup import (
    SOURCE,
    check_industries,
    dataset_bureau,
    dataset_checklist,
    group_stations,
    industry_for,
    uscc_for,
)
from xiaoneng.risk.models import ExternalEntity, ExternalInspection

CHUNK = 5000  # ids per IN (…) query
DAYS_PER_YEAR = 365  # ageAtInspection is days since the first licence / 365 in the source
SIGNED_AT = dt.time(12)  # the file has days only: a record is taken as signed at noon


@dataclass
class ChicagoImportResult:
    """What an import wrote (entities: new ones; a known licence keeps its entity)."""

    entities: int = 0
    inspections: int = 0
    findings: int = 0


def import_chicago(
    *,
    source: str | Path | IO[bytes],
    filename: str | None = None,
    actor: Officer | None = None,
) -> ChicagoImportResult:
    """Import a Chicago inspections file as one transaction; ``ImportRejected`` lists every
    problem and nothing is written. ``actor`` None is the operator at the command line; an
    officer needs the rights to edit the register and to manage the organisation (the import
    makes units and officers)."""
    if actor is not None:
        access.require(actor, access.EDIT_REGISTER)
        access.require(actor, access.MANAGE_ORGANISATION)
    with bulk.paused_gc():
        rows = read_rows(source, filename=filename)
        reason = _("导入文件 %(name)s（芝加哥食品检查）") % {
            "name": Path(filename or str(source)).name
        }
        with transaction.atomic(), audit.acting_as(actor, source=AuditEvent.Source.IMPORT):
            _refuse_imported(rows)
            return _write(rows, reason=reason, actor=actor)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    return (values[i : i + CHUNK] for i in range(0, len(values), CHUNK))


def _refuse_imported(rows: list[ChicagoRow]) -> None:
    """Refuse a file holding any inspection imported before (a re-import of the same file)."""
    ids = [row.inspection_id for row in rows]
    known: set[int] = set()
    for chunk in _chunks(ids):
        known.update(
            ExternalInspection.objects.filter(source=SOURCE, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    if known:
        repeated = [row for row in rows if row.inspection_id in known]
        message = _("已导入过的检查记录 %(n)d 条（如 %(ids)s），不能重复导入") % {
            "n": len(repeated),
            "ids": "、".join(str(r.inspection_id) for r in repeated[:5]),
        }
        raise ImportRejected([RowError(repeated[0].line, "Inspection_ID", message)])


def _write(rows: list[ChicagoRow], *, reason: str, actor: Officer | None) -> ChicagoImportResult:
    rows = sorted(rows, key=lambda r: (r.day, r.inspection_id))
    by_licence: dict[str, list[ChicagoRow]] = {}
    for row in rows:
        by_licence.setdefault(row.licence, []).append(row)
    known = _known_entities(list(by_licence))
    new = {licence: group for licence, group in by_licence.items() if licence not in known}
    check_industries({industry_for(group[-1].facility) for group in new.values()})
    _refuse_taken_codes(new)
    bureau = dataset_bureau()
    stations = group_stations(bureau, {row.group for row in rows})
    checklist, items = dataset_checklist(rows[0].day, rows[-1].day)
    writer = _Writer(reason=reason, actor=actor, region_code=bureau.region_code)
    entity_ids = writer.entities(new, stations) | known
    slots = {severity: [(i.pk, i.title) for i in found] for severity, found in items.items()}
    findings = writer.inspections(rows, entity_ids, stations, checklist.pk, slots)
    # A licence imported before keeps its entity; its latest inspection day moves forward.
    note_inspections(
        days={
            known[licence]: group[-1].day
            for licence, group in by_licence.items()
            if licence in known
        }
    )
    return ChicagoImportResult(entities=len(new), inspections=len(rows), findings=findings)


def _known_entities(licences: list[str]) -> dict[str, int]:
    """Licence → entity id of the licences imported before."""
    known: dict[str, int] = {}
    for chunk in _chunks(licences):
        known.update(
            ExternalEntity.objects.filter(source=SOURCE, external_id__in=chunk).values_list(
                "external_id", "entity_id"
            )
        )
    return known


def _refuse_taken_codes(new: Mapping[str, list[ChicagoRow]]) -> None:
    """Refuse when another entity already holds the USCC made for a new licence."""
    codes = {uscc_for(licence): group[0] for licence, group in new.items()}
    taken: list[str] = []
    for chunk in _chunks(list(codes)):
        taken += Entity.objects.filter(uscc__in=chunk).values_list("uscc", flat=True)
    if taken:
        first = codes[sorted(taken)[0]]
        message = _("统一社会信用代码 %(code)s 已被其他市场主体使用") % {"code": sorted(taken)[0]}
        raise ImportRejected([RowError(first.line, "License", message)])


class _Writer:
    """The bulk writes of one import, all traced alike (who, when, why)."""

    def __init__(self, *, reason: str, actor: Officer | None, region_code: str) -> None:
        self.reason = reason
        self.actor = actor
        self.region_code = region_code
        self.now = timezone.now()
        self.zone = timezone.get_default_timezone()

    def insert(
        self, model: type[models.Model], columns: dict[str, list[Any]], reprs: list[str]
    ) -> list[int]:
        """Insert rows given as columns; a traced model gets one create event per row."""
        count = len(reprs)
        ids = bulk.insert(model, columns, count, now=self.now)
        if count and audit.is_traced(model):
            context = audit.current_context()
            events = audit.event_columns(
                model,
                object_ids=ids,
                reprs=reprs,
                changes=audit.changes_from_columns(model, columns, count),
                action=AuditEvent.Action.CREATE,
                at=self.now,
                actor=context.resolve_actor(),
                source=context.source,
                reason=self.reason,
            )
            bulk.insert(AuditEvent, events, count, now=self.now)
        return ids

    def entities(
        self, new: Mapping[str, list[ChicagoRow]], stations: Mapping[str, tuple[int, int]]
    ) -> dict[str, int]:
        """One entity per new licence, from its latest row; licence → entity id."""
        rules = RiskRules.load()
        columns: dict[str, list[Any]] = {}
        for licence, group in new.items():
            for name, value in self._entity(licence, group, stations, rules).items():
                columns.setdefault(name, []).append(value)
        if not new:
            return {}
        ids = self.insert(Entity, columns, columns["name"])
        by_licence = dict(zip(new, ids, strict=True))
        self.insert(
            ExternalEntity,
            {
                "entity_id": ids,
                "source": [SOURCE] * len(ids),
                "external_id": list(new),
                "area": [group[-1].zip for group in new.values()],
            },
            [f"{SOURCE}:{licence}" for licence in new],
        )
        self._overrides(columns, ids)
        return by_licence

    def _entity(
        self,
        licence: str,
        group: list[ChicagoRow],
        stations: Mapping[str, tuple[int, int]],
        rules: RiskRules,
    ) -> dict[str, Any]:
        """An entity's columns: the latest row's data, dates from the first and last rows."""
        first, latest = group[0], group[-1]
        industry = industry_for(latest.facility)
        established = (
            None
            if first.age_years is None
            else first.day - dt.timedelta(days=round(first.age_years * DAYS_PER_YEAR))
        )
        return {
            "uscc": uscc_for(licence),
            "name": latest.name,
            "kind": Entity.Kind.ENTERPRISE,
            "industry_id": industry,
            "address": latest.address,
            "longitude": latest.longitude,
            "latitude": latest.latitude,
            "region_code": self.region_code,
            "established": established,
            "status": Entity.Status.OPERATING,
            "risk_class": latest.risk_class,
            # The city's class stands: a reclassification by the rule table keeps it.
            "risk_class_overridden": latest.risk_class != rules.derive(industry),
            "credit_grade": CreditGrade.B,
            # Placed by the dataset, outside every grid: a grid import never moves it.
            "grid_id": None,
            "grid_overridden": True,
            "unit_id": stations[latest.group][0],
            "registered_on": min(established or first.day, first.day),
            "last_inspected_on": latest.day,
        }

    def _overrides(self, columns: dict[str, list[Any]], ids: list[int]) -> None:
        """The history row of each class that differs from the rule table's (as an import
        with a class of its own writes)."""
        rows = [
            (pk, risk_class)
            for pk, risk_class, overridden in zip(
                ids, columns["risk_class"], columns["risk_class_overridden"], strict=True
            )
            if overridden
        ]
        changed_by = self.actor.pk if self.actor is not None else None
        bulk.insert(
            ClassificationChange,
            {
                "entity_id": [pk for pk, _c in rows],
                "field": [ClassificationChange.Field.RISK_CLASS] * len(rows),
                "old_value": [""] * len(rows),
                "new_value": [c for _pk, c in rows],
                "reason": [_("芝加哥数据集的风险等级（Risk）")] * len(rows),
                "changed_by_id": [changed_by] * len(rows),
                "changed_at": [self.now] * len(rows),
            },
            len(rows),
            now=self.now,
        )

    def inspections(
        self,
        rows: list[ChicagoRow],
        entity_ids: Mapping[str, int],
        stations: Mapping[str, tuple[int, int]],
        checklist_id: int,
        slots: Mapping[str, list[tuple[int, str]]],
    ) -> int:
        """One signed record per row, with its officer, identifier and findings; the number
        of findings. No item results: the file says how many problems of each severity a
        visit found, not what was checked."""
        signed = [dt.datetime.combine(r.day, SIGNED_AT, tzinfo=self.zone) for r in rows]
        units = [stations[r.group][0] for r in rows]
        officers = [stations[r.group][1] for r in rows]
        entities = [entity_ids[r.licence] for r in rows]
        n = len(rows)
        columns: dict[str, list[Any]] = {
            "entity_id": entities,
            "unit_id": units,
            "region_code": [self.region_code] * n,
            "origin": [Inspection.Origin.PATROL] * n,
            "kind": [InspectionKind.ONSITE] * n,
            "checklist_id": [checklist_id] * n,
            "status": [Inspection.Status.SIGNED] * n,
            "lead_officer_id": officers,
            "visited_on": [r.day for r in rows],
            "entity_operating": [True] * n,
            "summary": [_summary(r) for r in rows],
            "signed_at": signed,
            "items_failed": [r.critical + r.serious + r.minor for r in rows],
            "created_at": signed,
            "updated_at": signed,
        }
        reprs = [f"{r.name} {r.day:%Y-%m-%d}" for r in rows]
        ids = self.insert(Inspection, columns, reprs)
        self.insert(
            InspectionOfficer,
            {"inspection_id": ids, "officer_id": officers, "signed_at": signed},
            reprs,
        )
        self.insert(
            ExternalInspection,
            {
                "inspection_id": ids,
                "source": [SOURCE] * n,
                "external_id": [r.inspection_id for r in rows],
            },
            reprs,
        )
        return self._findings(rows, ids, entities, units, slots)

    def _findings(
        self,
        rows: list[ChicagoRow],
        ids: list[int],
        entities: list[int],
        units: list[int],
        slots: Mapping[str, list[tuple[int, str]]],
    ) -> int:
        """One resolved finding per counted problem: the k-th of a severity against that
        severity's k-th item (``chicago_setup.SLOTS``)."""
        names = ("inspection_id", "item_id", "entity_id", "unit_id", "severity", "description")
        columns: dict[str, list[Any]] = {name: [] for name in (*names, "status", "found_on")}
        reprs = []
        for row, pk, entity, unit in zip(rows, ids, entities, units, strict=True):
            for severity, count in _counts(row):
                for item, title in slots[severity][:count]:
                    for name, value in zip(
                        names, (pk, item, entity, unit, severity, title), strict=True
                    ):
                        columns[name].append(value)
                    columns["found_on"].append(row.day)
                    reprs.append(f"{row.name}: {title}")
        columns["status"] = [Finding.Status.RESOLVED] * len(reprs)
        self.insert(Finding, columns, reprs)
        return len(reprs)


def _counts(row: ChicagoRow) -> tuple[tuple[str, int], ...]:
    return (
        (Severity.CRITICAL, row.critical),
        (Severity.MAJOR, row.serious),
        (Severity.MINOR, row.minor),
    )


def _summary(row: ChicagoRow) -> str:
    return _(
        "芝加哥食品检查 %(id)d（%(group)s 组）：严重违规 %(critical)d 项，"
        "较重违规 %(serious)d 项，一般违规 %(minor)d 项。"
    ) % {
        "id": row.inspection_id,
        "group": row.group,
        "critical": row.critical,
        "serious": row.serious,
        "minor": row.minor,
    }
