"""What the inspection record tests share: entities and a task of the east station, a second
officer, a draft opened and filled in, and a stand-in for the checklist lookup."""

from __future__ import annotations

import datetime as dt
import io
import sys
import types
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.conftest import County
from tests.inspections.factories import at, make_checklist
from tests.org.factories import OfficerFactory
from tests.registry.factories import make_entity
from xiaoneng.inspections.models import Checklist, Inspection, InspectionKind
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity

D = dt.date
DAY = D(2026, 3, 2)


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, name="城东便民超市", **values)


def west_entity(county: County) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, name="城西副食店")


def east_task(
    county: County,
    entity: Entity,
    *,
    officer: Officer | None = None,
    kind: str = "patrol",
    period: str = "2026-03",
) -> Task:
    plan = Plan.objects.create(
        kind=kind, period=period, unit=county.east, title="三月巡查", capacity=6
    )
    return Task.objects.create(
        plan=plan,
        entity=entity,
        unit=county.east,
        period=period,
        officer=officer or county.east_officer,
        description="日常巡查",
        standard="按检查清单逐项检查",
        responsibility="责任区干部",
        scheduled_on=DAY,
    )


def next_period() -> tuple[str, D]:
    """The period after the current one (YYYY-MM) and its first day."""
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first.strftime("%Y-%m"), first


def second_officer(county: County, username: str = "east_second", **values: Any) -> Officer:
    """Another grid officer of the east station (certified unless told)."""
    return OfficerFactory(username=username, name="李四", unit=county.east, **values)


def draft(
    county: County,
    *,
    entity: Entity | None = None,
    items: int = 3,
    officer: Officer | None = None,
    **options: Any,
) -> Inspection:
    kind = options.pop("kind", InspectionKind.ONSITE)
    return open_inspection(
        entity=entity or east_entity(county),
        officer=officer or county.east_officer,
        kind=kind,
        checklist=options.pop("checklist", None) or make_checklist(items=items, kind=kind),
        **options,
    )


def filled_values(
    inspection: Inspection,
    marks: tuple[str, ...] | None = None,
    notes: tuple[str, ...] | None = None,
    day: D = DAY,
) -> dict[str, Any]:
    items = list(inspection.checklist.items.order_by("position"))
    marks = marks or tuple("pass" for _ in items)
    notes = notes or tuple("" for _ in items)
    lon, lat = inspection.entity.longitude, inspection.entity.latitude
    return {
        "results": {
            item.pk: {"result": mark, "note": note}
            for item, mark, note in zip(items, marks, notes, strict=False)
        },
        "started_at": at(day, 9),
        "finished_at": at(day, 9, 40),
        "checkin_at": at(day, 9, 2),
        "checkin_longitude": lon,
        "checkin_latitude": lat,
        "checkin_accuracy": 12.0,
        "summary": "证照齐全，经营正常",
    }


def fill(inspection: Inspection, officer: Officer, **options: Any) -> Inspection:
    return save_draft(
        inspection=inspection,
        officer=officer,
        revision=inspection.revision,
        values=filled_values(inspection, **options),
    )


def item_ids(inspection: Inspection) -> list[int]:
    return list(inspection.checklist.items.order_by("position").values_list("pk", flat=True))


def always_checklist(monkeypatch: pytest.MonkeyPatch, chosen: Checklist) -> list[tuple[int, str]]:
    """``checklists.checklist_for`` answering ``chosen``; the list records what was asked."""
    asked: list[tuple[int, str]] = []

    def checklist_for(*, entity: Entity, kind: str) -> Checklist:
        asked.append((entity.pk, kind))
        return chosen

    module = types.ModuleType("xiaoneng.inspections.checklists.services")
    module.checklist_for = checklist_for  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xiaoneng.inspections.checklists.services", module)
    return asked


# Pages -------------------------------------------------------------------------------------------


def url(name: str, *args: Any) -> str:
    return reverse(f"inspections:{name}", args=args)


def text(response: Any) -> str:
    return response.content.decode()


def form_post(inspection: Inspection, **values: Any) -> dict[str, Any]:
    """What the phone's form sends: every item's toggle and note, times, check-in, team."""
    lon, lat = inspection.entity.longitude, inspection.entity.latitude
    body: dict[str, Any] = {
        "revision": str(inspection.revision),
        "started_at": "2026-03-02T09:00",
        "finished_at": "2026-03-02T09:40",
        "checkin_at": "2026-03-02T01:02:00Z",
        "checkin_longitude": str(lon),
        "checkin_latitude": str(lat),
        "checkin_accuracy": "15",
        "entity_operating": "1",
        "summary": "经营正常",
        "team_shown": "1",
        "action": "save",
    }
    for item_id in item_ids(inspection):
        body[f"result_{item_id}"] = "pass"
        body[f"note_{item_id}"] = ""
    body.update(values)
    return body


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()
