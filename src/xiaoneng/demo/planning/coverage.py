"""The demo county's responsibility table and the sizes of its entities (篇3, 篇5).

Departments: the bureau's divisions and stations, and six outside departments. The table
reproduces 篇3's faults on purpose: a supermarket of 1,000 m² or more is watched for work
safety by the commerce bureau, the emergency-management (safety) bureau and the street office
at once; a filling station by three as well; a restaurant from 500 m² by two; restaurants
under 500 m², salons, bathhouses, repair shops and farms by none. Floor areas and staff are
drawn per trade (log-normal, enterprises larger than individual businesses) and written in
bulk with their trace; a few entities have none recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo import geography
from xiaoneng.demo.rows import REASON
from xiaoneng.org.models import Unit
from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule
from xiaoneng.registry.models import Entity

UNRECORDED_SHARE = 0.03
OUTSIDE = (
    ("COMMERCE", "商务局"),
    ("EMERGENCY", "应急管理局（安监）"),
    ("STREET", "各街道办事处、乡镇人民政府（属地）"),
    ("HEALTH", "卫生健康委员会"),
    ("CULTURE", "文化体育广电和旅游局"),
    ("HOUSING", "住房和城乡建设局"),
)
SAFETY_LAW = "《安全生产法》"
# (department, matter, industry prefix, min m², max m², legal basis)
RULES: tuple[tuple[str, str, str, int | None, int | None, str], ...] = (
    ("STREET", "work_safety", "F52", None, None, SAFETY_LAW + "第九条：乡镇、街道属地监督检查"),
    ("COMMERCE", "work_safety", "F521", 1000, None, "《商业零售经营单位安全生产规定》：行业主管"),
    ("EMERGENCY", "work_safety", "F521", 1000, None, SAFETY_LAW + "第十条：综合监督管理"),
    ("COMMERCE", "work_safety", "H62", 500, None, "《餐饮业经营管理办法（试行）》"),
    ("STREET", "work_safety", "H62", 500, None, SAFETY_LAW + "第九条：乡镇、街道属地监督检查"),
    ("COMMERCE", "work_safety", "F5265", None, None, "《成品油市场管理办法》"),
    ("EMERGENCY", "work_safety", "F5265", None, None, "《危险化学品安全管理条例》"),
    ("EMERGENCY", "work_safety", "F5266", None, None, "《危险化学品安全管理条例》"),
    ("EMERGENCY", "work_safety", "F516", None, None, "《危险化学品安全管理条例》"),
    ("EMERGENCY", "work_safety", "C", None, None, SAFETY_LAW + "：工贸企业安全监管"),
    ("HOUSING", "work_safety", "E", None, None, "《建设工程安全生产管理条例》"),
    ("CULTURE", "work_safety", "R90", None, None, "《娱乐场所管理条例》"),
    ("K04", "food_safety", "H62", None, None, "《食品安全法》第六条"),
    ("K04", "food_safety", "F522", None, None, "《食品安全法》第六条"),
    ("K04", "food_safety", "C13", None, None, "《食品生产许可管理办法》"),
    ("K04", "food_safety", "C14", None, None, "《食品生产许可管理办法》"),
    ("K04", "food_safety", "C15", None, None, "《食品生产许可管理办法》"),
    ("K04", "food_safety", "F5212", None, None, "《食品安全法》第六条"),
    ("K04", "food_safety", "F5213", None, None, "《食品安全法》第六条"),
    ("HEALTH", "food_safety", "H6241", None, None, "《学校食品安全与营养健康管理规定》"),
    ("HEALTH", "public_health", "O8040", None, None, "《公共场所卫生管理条例》"),
    ("HEALTH", "public_health", "O8051", None, None, "《公共场所卫生管理条例》"),
    ("HEALTH", "public_health", "H61", None, None, "《公共场所卫生管理条例》"),
    ("K02", "market_order", "F", None, None, "《反不正当竞争法》《价格法》"),
    ("K01", "market_order", "L72", None, None, "《广告法》第六条"),
    ("CULTURE", "market_order", "R90", None, None, "《娱乐场所管理条例》"),
    ("COMMERCE", "market_order", "F5261", 500, None, "《汽车销售管理办法》"),
)
# Median floor area (m²) of an individual business and of an enterprise, and the spread,
# by the longest matching industry prefix.
AREAS: dict[str, tuple[float, float, float]] = {
    "": (60, 250, 0.8),
    "F5212": (120, 600, 0.9),
    "F5211": (80, 400, 0.9),
    "F5213": (40, 80, 0.5),
    "F5219": (60, 300, 0.8),
    "F5261": (600, 1500, 0.6),
    "F5265": (800, 1500, 0.4),
    "F5266": (800, 1200, 0.4),
    "F51": (150, 500, 0.8),
    "H6210": (120, 350, 0.8),
    "H6220": (50, 150, 0.7),
    "H6291": (30, 80, 0.6),
    "H62": (60, 200, 0.8),
    "H61": (300, 1500, 0.8),
    "O8051": (300, 800, 0.6),
    "O8040": (50, 120, 0.6),
    "R90": (300, 800, 0.6),
    "C": (300, 2000, 1.0),
    "A": (2000, 20000, 1.0),
}
SQUARE_METRES_PER_PERSON = 30


def _departments(
    bureau: Unit, stations: list[Unit], divisions: list[Unit]
) -> dict[str, Department]:
    found = {
        unit.code.rsplit("-", 1)[-1]: Department.objects.create(
            code=unit.code, name=unit.name, bureau=bureau, unit=unit
        )
        for unit in [*divisions, *stations]
    }
    for code, name in OUTSIDE:
        found[code] = Department.objects.create(
            code=f"{geography.REGION_CODE}-{code}", name=f"{geography.COUNTY}{name}", bureau=bureau
        )
    return found


def build_table(bureau: Unit) -> int:
    """Departments and the responsibility table; returns the number of rules."""
    ResponsibilityRule.objects.all().delete()
    Department.objects.all().delete()
    units = Unit.objects.subtree(bureau).exclude(pk=bureau.pk)
    departments = _departments(
        bureau,
        list(units.filter(kind=Unit.Kind.STATION)),
        list(units.filter(kind=Unit.Kind.DIVISION)),
    )
    for code, matter, prefix, low, high, basis in RULES:
        ResponsibilityRule.objects.create(
            department=departments[code],
            matter=matter,
            industry_prefix=prefix,
            min_value=low,
            max_value=high,
            legal_basis=basis,
        )
    return len(RULES)


def _medians(codes: list[str]) -> np.ndarray:
    """(individual median, enterprise median, sigma) for each distinct industry code."""
    table = []
    for code in codes:
        prefix = max((p for p in AREAS if code.startswith(p)), key=len)
        table.append(AREAS[prefix])
    return np.array(table, dtype=np.float64).reshape(-1, 3)


def plan_measures(
    rng: np.random.Generator, industries: list[str], kinds: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floor areas (m², NaN where unrecorded), staff, and which entities have a record."""
    n = len(industries)
    seen: dict[str, int] = {}
    index = np.fromiter((seen.setdefault(c, len(seen)) for c in industries), np.int64, n)
    medians = _medians(list(seen))[index]
    enterprise = np.array([k != Entity.Kind.INDIVIDUAL for k in kinds], dtype=bool)
    median = np.where(enterprise, medians[:, 1], medians[:, 0])
    area = np.round(median * np.exp(rng.normal(0, medians[:, 2], n)), 0).clip(8, None)
    people = np.maximum(
        1, np.round(area / SQUARE_METRES_PER_PERSON * np.exp(rng.normal(0, 0.4, n)))
    ).astype(np.int64)
    recorded = rng.random(n) >= UNRECORDED_SHARE
    return area, people, recorded


def write_measures(area: np.ndarray, people: np.ndarray, ids: np.ndarray) -> int:
    """Insert the measures of ``ids`` and their trace in bulk."""
    columns: dict[str, Any] = {
        "entity_id": ids.tolist(),
        "floor_area_m2": area.tolist(),
        "employees": people.tolist(),
    }
    n = ids.size
    bulk.insert(EntityMeasure, columns, n, ids=columns["entity_id"])
    trace = audit.event_columns(
        EntityMeasure,
        object_ids=columns["entity_id"],
        reprs=[
            f"{pk}: {a} m²"
            for pk, a in zip(columns["entity_id"], columns["floor_area_m2"], strict=True)
        ],
        changes=audit.changes_from_columns(EntityMeasure, columns, n),
        action=AuditEvent.Action.CREATE,
        at=timezone.now(),
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=REASON,
    )
    bulk.insert(AuditEvent, trace, n)
    return n


def build_coverage(
    rng: np.random.Generator, bureau: Unit, *, progress: Callable[[str], None] = print
) -> None:
    """The demo's departments, responsibility table and entity measures, in one transaction."""
    with transaction.atomic(), bulk.paused_gc():
        rules = build_table(bureau)
        # A rebuild follows the demo's reset, which removed the measures with their entities.
        rows = list(Entity.objects.order_by("pk").values_list("pk", "industry_id", "kind"))
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        area, people, recorded = plan_measures(rng, [r[1] for r in rows], [r[2] for r in rows])
        written = write_measures(area[recorded], people[recorded], ids[recorded])
    progress(f"职责表 responsibility table: {rules} 条规则; 经营规模 measures: {written:,}")
