"""Factories for the register: valid USCCs, entities placed by the same rules as the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from stdnum.cn import uscc as uscc_standard

from xiaoneng.registry.models import Entity
from xiaoneng.registry.placement import Resolver

_numbers = itertools.count(1)


def make_uscc(number: int | None = None, *, kind: str = "1", region: str = "654002") -> str:
    """A valid 18-character USCC (registration authority 9 = market regulation)."""
    number = next(_numbers) if number is None else number
    body = f"9{kind}{region}MA{number:07d}"
    return body + uscc_standard.calc_check_digit(body)


def make_entity(**values: Any) -> Entity:
    """An entity saved directly (traced), with class, grid and unit resolved like the services."""
    resolver = Resolver()
    clean: dict[str, Any] = {
        "uscc": make_uscc(),
        "name": "测试餐饮有限公司",
        "kind": Entity.Kind.ENTERPRISE,
        "industry": "H6210",
        "region_code": "654002",
        "longitude": None,
        "latitude": None,
    }
    clean.update(values)
    placement, errors = resolver.resolve(
        clean, {k: v for k, v in values.items() if k in {"grid", "risk_class"}}
    )
    assert not errors and placement is not None, errors
    fields = {
        k: v
        for k, v in clean.items()
        if k not in {"industry", "grid", "licences", "risk_class", "registered_on"}
    }
    entity = Entity(
        **fields,
        industry_id=clean["industry"],
        risk_class=placement.risk_class,
        grid_id=placement.grid_id,
        grid_overridden=placement.grid_overridden,
        unit_id=placement.unit_id,
        registered_on=clean.get("registered_on") or dt.date(2026, 1, 5),
    )
    entity.save()
    return entity
