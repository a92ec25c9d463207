"""Coverage and overlap (篇3): who supervises each entity, duplicates and blank areas.

篇3 finds two faults in how departments share supervision: a shop above 1,000 m² watched for
work safety by the commerce bureau, the street office and the safety bureau at once (重复执法),
and restaurants, bathhouses, salons below 500 m² that no rule covers (空白区域). The report
applies every rule of one matter (planning.responsibility) to every active entity on arrays
and counts the entities with two or more departments and those with none, by department set,
industry and station. An entity whose measure is not recorded matches no band with a bound.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.core.tabular import Column, write_csv, write_xlsx
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.analysis.models import (
    UNIVERSAL_MATTERS,
    Department,
    Matter,
    Measure,
    ResponsibilityRule,
)
from xiaoneng.planning.analysis.responsibility import rule_text
from xiaoneng.registry.models import Entity, Industry
from xiaoneng.registry.transfer import CONTENT_TYPES, ExportFile


def active_entities(user: Officer) -> QuerySet[Entity]:
    """Entities in business (存续, not archived) that ``user`` may see."""
    return scoped(Entity.objects.operating(), user)


@dataclass
class Population:
    """Active entities as arrays, in id order."""

    ids: np.ndarray
    industry: list[str]  # the distinct codes; ``industry_index`` points into it
    industry_index: np.ndarray
    region: list[str]
    region_index: np.ndarray
    unit_ids: np.ndarray
    measures: dict[str, np.ndarray]  # floor_area, employees; NaN where not recorded


def load_population(queryset: QuerySet[Entity]) -> Population:
    """The columns the rules read, in one query (a LEFT JOIN to the measures)."""
    rows = list(
        queryset.order_by("pk").values_list(
            "pk",
            "industry_id",
            "region_code",
            "unit_id",
            "measure__floor_area_m2",
            "measure__employees",
        )
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6

    def codes(column: Sequence[str]) -> tuple[list[str], np.ndarray]:
        seen: dict[str, int] = {}
        index = np.fromiter((seen.setdefault(c, len(seen)) for c in column), np.int64, len(column))
        return list(seen), index

    industry, industry_index = codes(columns[1])
    region, region_index = codes(columns[2])
    return Population(
        ids=np.array(columns[0], dtype=np.int64),
        industry=industry,
        industry_index=industry_index,
        region=region,
        region_index=region_index,
        unit_ids=np.array(columns[3], dtype=np.int64),
        measures={
            Measure.FLOOR_AREA: np.array(columns[4], dtype=np.float64),
            Measure.EMPLOYEES: np.array(columns[5], dtype=np.float64),
        },
    )


def industry_mask(prefix: str, population: Population) -> np.ndarray:
    """Which entities' industry codes start with ``prefix``."""
    matches = np.array([c.startswith(prefix) for c in population.industry], dtype=bool)
    return matches[population.industry_index] if matches.size else np.zeros(0, dtype=bool)


def rule_mask(rule: ResponsibilityRule, population: Population) -> np.ndarray:
    """Which entities the rule covers."""
    mask = industry_mask(rule.industry_prefix, population)
    if rule.region_code:
        regions = np.array([c.startswith(rule.region_code) for c in population.region], dtype=bool)
        mask &= regions[population.region_index]
    size = population.measures[rule.measure]
    if rule.min_value is not None:
        mask &= size >= float(rule.min_value)  # NaN (not recorded) compares False
    if rule.max_value is not None:
        mask &= size < float(rule.max_value)
    return mask


def field_mask(
    matter: str, rules: Sequence[ResponsibilityRule], population: Population
) -> np.ndarray:
    """The entities the matter concerns: all for a universal matter (every business needs
    work safety); for the others, those of the industries some rule of the matter names,
    whatever their size (a clothes shop is not a public-health blank)."""
    if matter in UNIVERSAL_MATTERS:
        return np.ones(population.ids.size, dtype=bool)
    mask = np.zeros(population.ids.size, dtype=bool)
    for prefix in {r.industry_prefix for r in rules}:
        mask |= industry_mask(prefix, population)
    return mask


@dataclass
class Coverage:
    """Who supervises each entity for one matter."""

    matter: str
    population: Population
    rules: list[ResponsibilityRule]
    departments: list[Department]
    rule_hits: np.ndarray  # bool [rule, entity]
    department_hits: np.ndarray  # bool [department, entity]
    in_field: np.ndarray  # bool [entity]: the entities the matter concerns
    counts: np.ndarray = field(init=False)  # departments per entity

    def __post_init__(self) -> None:
        self.counts = self.department_hits.sum(axis=0)

    def selection(self, kind: str) -> np.ndarray:
        if kind == DUPLICATE:
            return self.counts >= 2
        return (self.counts == 0) & self.in_field

    def departments_of(self, position: int) -> list[Department]:
        return [d for j, d in enumerate(self.departments) if self.department_hits[j, position]]

    def rules_of(self, position: int) -> list[ResponsibilityRule]:
        return [r for j, r in enumerate(self.rules) if self.rule_hits[j, position]]


DUPLICATE, BLANK = "duplicate", "blank"
KINDS = (DUPLICATE, BLANK)


def matter_of(value: str | None) -> str:
    matter = value or Matter.WORK_SAFETY.value
    if matter not in Matter.values:
        raise InvalidInput.single("matter", _("未知的监管事项：%(value)s") % {"value": matter})
    return matter


def compute(*, matter: str, user: Officer) -> Coverage:
    """Apply the matter's rules to the active entities ``user`` may see."""
    matter = matter_of(matter)
    population = load_population(active_entities(user))
    rules = list(ResponsibilityRule.objects.filter(matter=matter).select_related("department"))
    departments = sorted({r.department for r in rules}, key=lambda d: d.code)
    n = population.ids.size
    rule_hits = np.zeros((len(rules), n), dtype=bool)
    department_hits = np.zeros((len(departments), n), dtype=bool)
    position = {d.pk: j for j, d in enumerate(departments)}
    for i, rule in enumerate(rules):
        rule_hits[i] = rule_mask(rule, population)
        department_hits[position[rule.department_id]] |= rule_hits[i]
    in_field = field_mask(matter, rules, population)
    return Coverage(matter, population, rules, departments, rule_hits, department_hits, in_field)


@dataclass
class Group:
    """One line of a summary: a key, its label and its count of entities."""

    key: str
    label: str
    count: int


@dataclass
class Summary:
    matter: str
    total: int
    duplicates: int
    blanks: int
    blanks_without_measure: int
    combinations: list[Group]  # duplicates by the set of departments
    by_industry: dict[str, list[Group]]  # kind → groups
    by_station: dict[str, list[Group]]


def summarise(coverage: Coverage) -> Summary:
    """Counts of duplicates and blanks: by department set, by industry and by station."""
    population = coverage.population
    duplicate, blank = coverage.selection(DUPLICATE), coverage.selection(BLANK)
    unrecorded = np.isnan(population.measures[Measure.FLOOR_AREA])
    names = dict(Industry.objects.filter(code__in=population.industry).values_list("code", "name"))
    units = {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(
            pk__in=np.unique(population.unit_ids).tolist()
        ).values_list("pk", "code", "name")
    }

    def grouped(
        index: np.ndarray, chosen: np.ndarray, keys: Sequence[Any]
    ) -> list[tuple[Any, int]]:
        found, counts = np.unique(index[chosen], return_counts=True)
        pairs = [
            (keys[k] if keys else k, int(c))
            for k, c in zip(found.tolist(), counts.tolist(), strict=True)
        ]
        return sorted(pairs, key=lambda pair: (-pair[1], str(pair[0])))

    by_industry, by_station = {}, {}
    for kind, chosen in ((DUPLICATE, duplicate), (BLANK, blank)):
        by_industry[kind] = [
            Group(code, names.get(code, ""), count)
            for code, count in grouped(population.industry_index, chosen, population.industry)
        ]
        by_station[kind] = [
            Group(*units[pk], count) for pk, count in grouped(population.unit_ids, chosen, [])
        ]
    return Summary(
        matter=coverage.matter,
        total=int(coverage.in_field.sum()),
        duplicates=int(duplicate.sum()),
        blanks=int(blank.sum()),
        blanks_without_measure=int((blank & unrecorded).sum()),
        combinations=_combinations(coverage, duplicate),
        by_industry=by_industry,
        by_station=by_station,
    )


def _combinations(coverage: Coverage, chosen: np.ndarray) -> list[Group]:
    hits = coverage.department_hits[:, chosen].T
    if hits.size == 0:
        return []
    found, counts = np.unique(hits, axis=0, return_counts=True)
    groups = []
    for row, count in zip(found, counts.tolist(), strict=True):
        members = [d for d, hit in zip(coverage.departments, row.tolist(), strict=True) if hit]
        groups.append(
            Group(",".join(d.code for d in members), "、".join(d.name for d in members), count)
        )
    return sorted(groups, key=lambda g: (-g.count, g.key))


@dataclass(frozen=True)
class Drill:
    """Which entities of the report to list: a kind, and optionally an industry prefix, a
    station (unit code) and, for duplicates, the exact set of departments."""

    kind: str = DUPLICATE
    industry: str = ""
    station: str = ""
    departments: str = ""  # department codes joined by commas

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Drill:
        kind = str(params.get("kind") or DUPLICATE)
        if kind not in KINDS:
            raise InvalidInput.single(
                "kind",
                _("应为 duplicate（重复监管）或 blank（监管空白）：%(value)s") % {"value": kind},
            )
        return cls(
            kind,
            str(params.get("industry") or "").strip().upper(),
            str(params.get("station") or "").strip(),
            str(params.get("departments") or "").strip(),
        )


def drill_positions(coverage: Coverage, drill: Drill) -> np.ndarray:
    """Positions (in id order) of the entities ``drill`` asks for."""
    population = coverage.population
    chosen = coverage.selection(drill.kind)
    if drill.industry:
        ok = np.array([c.startswith(drill.industry) for c in population.industry], dtype=bool)
        chosen &= ok[population.industry_index] if ok.size else chosen[:0]
    if drill.station:
        unit = Unit.objects.filter(code=drill.station).values_list("pk", flat=True).first()
        chosen &= population.unit_ids == (unit if unit is not None else -1)
    if drill.departments and drill.kind == DUPLICATE:
        wanted = set(drill.departments.split(","))
        pattern = np.array([d.code in wanted for d in coverage.departments], dtype=bool)
        if wanted - {d.code for d in coverage.departments}:
            chosen &= False
        else:
            chosen &= (coverage.department_hits == pattern[:, None]).all(axis=0)
    return np.flatnonzero(chosen)


@dataclass
class Row:
    """One entity of a drill-down list or export, with its departments and rules."""

    entity: Entity
    floor_area: float | None
    employees: int | None
    departments: list[Department]
    rules: list[ResponsibilityRule]


def rows(coverage: Coverage, positions: np.ndarray, *, chunk: int = 2000) -> Iterator[Row]:
    """The entities at ``positions``, fetched a chunk at a time."""
    population = coverage.population
    for start in range(0, positions.size, chunk):
        part = positions[start : start + chunk]
        ids = population.ids[part].tolist()
        found = Entity.objects.filter(pk__in=ids).select_related("industry", "unit", "grid")
        by_id = {e.pk: e for e in found}
        for position, pk in zip(part.tolist(), ids, strict=True):
            area = population.measures[Measure.FLOOR_AREA][position]
            people = population.measures[Measure.EMPLOYEES][position]
            yield Row(
                by_id[pk],
                None if np.isnan(area) else float(area),
                None if np.isnan(people) else int(people),
                coverage.departments_of(position),
                coverage.rules_of(position),
            )


EXPORT_COLUMNS = [
    Column("uscc", _("统一社会信用代码")),
    Column("name", _("名称")),
    Column("industry", _("行业代码")),
    Column("industry_name", _("行业名称")),
    Column("floor_area_m2", _("建筑面积（平方米）")),
    Column("employees", _("从业人数")),
    Column("unit", _("监管单位")),
    Column("grid", _("网格")),
    Column("departments", _("监管部门")),
    Column("rules", _("适用职责规则")),
]


def export_rows(coverage: Coverage, positions: np.ndarray) -> Iterator[list[Any]]:
    """Rows in ``EXPORT_COLUMNS`` order."""
    for row in rows(coverage, positions):
        entity = row.entity
        yield [
            entity.uscc,
            entity.name,
            entity.industry_id,
            entity.industry.name,
            row.floor_area,
            row.employees,
            entity.unit.name,
            entity.grid.code if entity.grid else "",
            "、".join(d.name for d in row.departments),
            "；".join(f"#{r.pk} {rule_text(r)}" for r in row.rules),
        ]


def export(*, coverage: Coverage, drill: Drill, fmt: str) -> ExportFile:
    """The drill-down's entities as a CSV or XLSX file (core.tabular writers)."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput.single("format", _("只能导出为 csv 或 xlsx：%(fmt)s") % {"fmt": fmt})
    positions = drill_positions(coverage, drill)
    title = _("重复监管") if drill.kind == DUPLICATE else _("监管空白")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, EXPORT_COLUMNS, export_rows(coverage, positions), title=str(title))
        content = buffer.getvalue()
    else:
        text = io.StringIO()
        write_csv(text, EXPORT_COLUMNS, export_rows(coverage, positions))
        content = text.getvalue().encode("utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"coverage-{coverage.matter}-{drill.kind}-{stamp}.{fmt}"
    return ExportFile(content, name, CONTENT_TYPES[fmt])
