"""The responsibility table (篇3): departments, and which matter each supervises where.

A row says: this department supervises this matter (work safety, food safety…) over entities
of an industry (a GB/T 4754 code prefix) whose size lies in the band [min, max) and,
optionally, within a region. The lower bound is included and the upper bound is not, so
"≥ 1,000 m²" and "< 500 m²" read as the rules are written. Administrators and division staff
edit the table; the entities' sizes (EntityMeasure) are kept by those who edit the register.
Every change is traced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar, cast

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.tabular import CellError, parse_decimal
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.analysis.models import (
    Department,
    EntityMeasure,
    Matter,
    Measure,
    ResponsibilityRule,
)
from xiaoneng.registry.models import Entity, Industry

P = ParamSpec("P")
T = TypeVar("T")
MAX_BOUND = Decimal(10) ** 10
RULE_FIELDS = (
    "department",
    "matter",
    "industry_prefix",
    "measure",
    "min_value",
    "max_value",
    "region_code",
    "legal_basis",
    "note",
)
UNITS = {Measure.FLOOR_AREA: "m²", Measure.EMPLOYEES: "人"}


def _edit(service: Callable[P, T]) -> Callable[P, T]:
    """Check the capability, then run in one transaction with the trace attributed to the actor."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        actor = cast(Officer, kwargs["actor"])  # every service decorated takes ``actor: Officer``
        access.require(actor, access.EDIT_RESPONSIBILITY)
        with transaction.atomic(), audit.attributed(actor):
            return service(*args, **kwargs)

    return run


def band_text(measure: str, low: Any, high: Any) -> str:
    """ "≥ 1000 m²", "< 500 m²", "500–1000 m²" or "不限规模"."""
    unit = UNITS.get(Measure(measure), "")

    def number(value: Any) -> str:
        return f"{Decimal(value).normalize():f}"

    if low is None and high is None:
        return _("不限规模")
    if high is None:
        return f"≥ {number(low)} {unit}"
    if low is None:
        return f"< {number(high)} {unit}"
    return f"{number(low)}–{number(high)} {unit}"


def rule_text(rule: ResponsibilityRule) -> str:
    band = band_text(rule.measure, rule.min_value, rule.max_value)
    region = f" · {rule.region_code}" if rule.region_code else ""
    return f"{rule.department.name} · {rule.industry_prefix} · {band}{region}"


def _text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    return "" if value is None else str(value).strip()


def _bound(raw: Mapping[str, Any], name: str, measure: str) -> tuple[Any, str | None]:
    text = _text(raw, name)
    if not text:
        return None, None
    try:
        value = parse_decimal(text, places=2)
    except CellError as error:
        return None, str(error)
    assert value is not None
    if value < 0:
        what = _("面积") if measure == Measure.FLOOR_AREA else _("人数")
        return None, _("%(what)s不能为负数：%(value)s") % {"what": what, "value": text}
    if value >= MAX_BOUND:
        return None, _("数值过大：%(value)s") % {"value": text}
    if measure == Measure.EMPLOYEES and value != value.to_integral_value():
        return None, _("从业人数应为整数：%(value)s") % {"value": text}
    return value, None


def read_rule(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Check one row of the table (strings from a form, or JSON values); all errors at once."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    code = _text(raw, "department")
    department = Department.objects.filter(code=code).first() if code else None
    if not code:
        errors.append(FieldError("department", _("请选择监管部门")))
    elif department is None:
        errors.append(FieldError("department", _("未知的监管部门：%(code)s") % {"code": code}))
    values["department"] = department
    matter = _text(raw, "matter")
    if matter not in Matter.values:
        message = _("请选择监管事项") if not matter else _("未知的监管事项：%(value)s")
        errors.append(FieldError("matter", message % {"value": matter} if matter else message))
    values["matter"] = matter
    prefix = _text(raw, "industry_prefix").upper()
    if not prefix:
        errors.append(FieldError("industry_prefix", _("请填写行业代码")))
    elif not Industry.objects.filter(code=prefix).exists():
        errors.append(
            FieldError(
                "industry_prefix",
                _("未知的行业代码：%(code)s（应为 GB/T 4754 门类、大类、中类或小类代码）")
                % {"code": prefix},
            )
        )
    values["industry_prefix"] = prefix
    measure = _text(raw, "measure") or Measure.FLOOR_AREA
    if measure not in Measure.values:
        errors.append(FieldError("measure", _("未知的规模指标：%(value)s") % {"value": measure}))
        measure = Measure.FLOOR_AREA
    values["measure"] = measure
    for name in ("min_value", "max_value"):
        values[name], problem = _bound(raw, name, measure)
        if problem:
            errors.append(FieldError(name, problem))
    low, high = values["min_value"], values["max_value"]
    if low is not None and high is not None and low >= high:
        errors.append(
            FieldError(
                "min_value",
                _("下限应小于上限：%(low)s ≥ %(high)s")
                % {"low": _text(raw, "min_value"), "high": _text(raw, "max_value")},
            )
        )
    region = _text(raw, "region_code")
    if region and not (region.isascii() and region.isdigit() and len(region) in (2, 4, 6)):
        errors.append(
            FieldError(
                "region_code",
                _("行政区划代码应为 2、4 或 6 位数字：%(value)s") % {"value": region},
            )
        )
    values["region_code"] = region
    values["legal_basis"] = _text(raw, "legal_basis")[:200]
    if not values["legal_basis"]:
        errors.append(FieldError("legal_basis", _("请填写法律依据")))
    values["note"] = _text(raw, "note")[:200]
    return values, errors


def _check(values: Mapping[str, Any], errors: list[FieldError], exclude: int | None) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    same = ResponsibilityRule.objects.filter(
        **{name: values[name] for name in RULE_FIELDS if name not in ("legal_basis", "note")}
    )
    twin = (same.exclude(pk=exclude) if exclude is not None else same).first()
    if twin is not None:
        message = _("已有相同的职责规则（第 %(id)d 条）：%(rule)s") % {
            "id": twin.pk,
            "rule": rule_text(twin),
        }
        raise Conflict(message, errors=[FieldError("rule", message)])


@_edit
def create_rule(*, values: Mapping[str, Any], actor: Officer) -> ResponsibilityRule:
    """A new row of the responsibility table (administrators and division staff)."""
    clean, errors = read_rule(values)
    _check(clean, errors, None)
    access.require_unit(actor, clean["department"].bureau_id)
    return ResponsibilityRule.objects.create(**clean)


@_edit
def update_rule(
    *, rule: ResponsibilityRule, values: Mapping[str, Any], actor: Officer
) -> ResponsibilityRule:
    """Change a row of the table; the trace keeps what it said before."""
    access.require_unit(actor, rule.department.bureau_id)
    clean, errors = read_rule(values)
    _check(clean, errors, rule.pk)
    access.require_unit(actor, clean["department"].bureau_id)
    for name, value in clean.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@_edit
def delete_rule(*, rule: ResponsibilityRule, reason: str, actor: Officer) -> None:
    """Remove a row of the table, with the reason kept in the trace."""
    access.require_unit(actor, rule.department.bureau_id)
    if not reason.strip():
        raise InvalidInput.single("reason", _("请填写删除理由"))
    audit.set_reason(rule, reason.strip())
    rule.delete()


def bureau_of(unit: Unit | None) -> Unit | None:
    """The nearest bureau at or above ``unit``."""
    if unit is None:
        return None
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    found = Unit.objects.filter(id__in=ancestors, kind=Unit.Kind.BUREAU)
    return found.order_by("-depth").first()


def _listing_bureau(unit: Unit | None, actor: Officer) -> Unit | None:
    """The bureau whose table lists a new department: the unit's, else the actor's, else the
    only bureau there is."""
    bureau = bureau_of(unit) or bureau_of(getattr(actor, "unit", None))
    if bureau is None:
        bureaus = list(Unit.objects.filter(kind=Unit.Kind.BUREAU)[:2])
        bureau = bureaus[0] if len(bureaus) == 1 else None
    return bureau


@_edit
def create_department(*, code: str, name: str, unit_code: str = "", actor: Officer) -> Department:
    """A department of the table: one of the bureau's units, or (no unit) an outside one,
    listed by the bureau of that unit (or of the actor)."""
    code, name, unit_code = code.strip(), name.strip(), unit_code.strip()
    errors = []
    if not code:
        errors.append(FieldError("code", _("请填写部门代码")))
    elif Department.objects.filter(code=code).exists():
        errors.append(FieldError("code", _("部门代码已存在：%(code)s") % {"code": code}))
    if not name:
        errors.append(FieldError("name", _("请填写部门名称")))
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    if unit_code and unit is None:
        errors.append(FieldError("unit", _("未知的单位代码：%(code)s") % {"code": unit_code}))
    elif unit is not None and Department.objects.filter(unit=unit).exists():
        errors.append(FieldError("unit", _("该单位已登记为部门：%(code)s") % {"code": unit_code}))
    bureau = _listing_bureau(unit, actor)
    if bureau is None and not (unit_code and unit is None):
        errors.append(FieldError("unit", _("无法确定所属局：请由所属局的人员登记")))
    if errors or bureau is None:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return Department.objects.create(code=code, name=name[:100], bureau=bureau, unit=unit)


def _measure_value(value: Any, field: str, *, integer: bool) -> tuple[Any, FieldError | None]:
    text = "" if value is None else str(value).strip()
    if not text:
        return None, None
    try:
        number = parse_decimal(text, places=0 if integer else 2)
    except CellError as error:
        return None, FieldError(field, str(error))
    assert number is not None
    if number < 0:
        what = _("人数") if integer else _("面积")
        return None, FieldError(
            field, _("%(what)s不能为负数：%(value)s") % {"what": what, "value": text}
        )
    if number >= MAX_BOUND:
        return None, FieldError(field, _("数值过大：%(value)s") % {"value": text})
    return (int(number) if integer else float(number)), None


def set_measure(
    *, entity: Entity, floor_area_m2: Any, employees: Any, actor: Officer
) -> EntityMeasure:
    """Record an entity's floor area and staff (people who may edit the register, in scope)."""
    access.require(actor, access.EDIT_REGISTER)
    access.require_unit(actor, entity.unit_id)
    area, area_error = _measure_value(floor_area_m2, "floor_area_m2", integer=False)
    people, people_error = _measure_value(employees, "employees", integer=True)
    errors = [e for e in (area_error, people_error) if e is not None]
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), audit.attributed(actor):
        measure = EntityMeasure.objects.filter(entity=entity).first() or EntityMeasure(
            entity=entity
        )
        measure.floor_area_m2, measure.employees = area, people
        measure.save()
    return measure
