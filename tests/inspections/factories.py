"""Factories for inspections: a checklist with items, and records saved directly.

``make_inspection`` writes rows as a signed record would have them, without the signing
service, so that tests of trace checks, oversight and reports can build exactly the data
they need. Tests of the signing rules themselves go through the service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from xiaoneng.core.states import unlocked
from xiaoneng.inspections.models import (
    Attachment,
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionKind,
    InspectionOfficer,
    ItemResult,
    PartySignature,
    Severity,
    TraceFlag,
)
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

_codes = itertools.count(1)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def make_checklist(
    *,
    items: int = 3,
    kind: str = InspectionKind.ONSITE,
    code: str | None = None,
    version: int = 1,
    severities: Sequence[str] | None = None,
) -> Checklist:
    """A checklist version with ``items`` items (severity minor unless given)."""
    checklist = Checklist.objects.create(
        code=code or f"test-{next(_codes)}",
        version=version,
        title="测试检查清单",
        kind=kind,
        effective_on=dt.date(2026, 1, 1),
    )
    for index in range(items):
        ChecklistItem.objects.create(
            checklist=checklist,
            number=str(index + 1),
            position=index + 1,
            title=f"检查事项{index + 1}",
            method="查看现场",
            legal_basis="《中华人民共和国食品安全法》第三十三条",
            severity=(severities[index] if severities else Severity.MINOR),
        )
    return checklist


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of ``day`` in Asia/Shanghai."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def make_inspection(
    *,
    entity: Entity,
    officers: Sequence[Officer],
    checklist: Checklist | None = None,
    results: Sequence[str] | None = None,
    notes: Sequence[str] | None = None,
    visited_on: dt.date = dt.date(2026, 3, 2),
    minutes: int = 30,
    start_hour: int = 9,
    signed: bool = True,
    signed_at: dt.datetime | None = None,
    checkin: tuple[float, float] | None = None,
    **values: Any,
) -> Inspection:
    """An inspection of ``entity`` by ``officers`` (the first leads), signed unless told.

    ``results`` gives each item's mark in order (default all pass); the check-in defaults to
    the entity's own position, the visit to ``minutes`` from ``start_hour``.
    """
    checklist = checklist or make_checklist()
    items = list(checklist.items.order_by("position"))
    marks = list(results) if results is not None else ["pass"] * len(items)
    started = at(visited_on, start_hour)
    finished = started + dt.timedelta(minutes=minutes)
    if checkin is None and entity.longitude is not None:
        checkin = (entity.longitude, entity.latitude)  # type: ignore[assignment]
    inspection = Inspection(
        entity=entity,
        unit_id=entity.unit_id,
        region_code=entity.region_code,
        origin=values.pop("origin", Inspection.Origin.PATROL),
        kind=values.pop("kind", checklist.kind),
        checklist=checklist,
        lead_officer=officers[0],
        visited_on=visited_on,
        started_at=started,
        finished_at=finished,
        checkin_at=started,
        checkin_longitude=checkin[0] if checkin else None,
        checkin_latitude=checkin[1] if checkin else None,
        summary=values.pop("summary", "检查情况正常"),
        **values,
    )
    if signed:
        with unlocked(inspection):
            inspection.status = Inspection.Status.SIGNED
        inspection.signed_at = signed_at or finished + dt.timedelta(minutes=5)
        inspection.items_failed = marks.count("fail")
        given_notes = list(notes or [])
        inspection.uniform = len(set(marks)) == 1 and not any(given_notes)
    inspection.save()
    for officer in officers:
        InspectionOfficer.objects.create(
            inspection=inspection,
            officer=officer,
            signed_at=inspection.signed_at if signed else None,
        )
    for index, item in enumerate(items):
        ItemResult.objects.create(
            inspection=inspection,
            item=item,
            result=marks[index] if index < len(marks) else "",
            note=(notes[index] if notes and index < len(notes) else ""),
        )
    return inspection


def now() -> dt.datetime:
    return timezone.now()


def make_flag(inspection: Inspection, kind: str = "short", **values: Any) -> TraceFlag:
    """An open trace flag (痕迹疑点) on ``inspection``, saved directly."""
    return TraceFlag.objects.create(
        inspection=inspection,
        unit_id=inspection.unit_id,
        kind=kind,
        detail=values.pop("detail", "现场检查用时 3 分钟（阈值 5 分钟）"),
        raised_at=values.pop("raised_at", timezone.now()),
        **values,
    )


def make_attachment(
    inspection: Inspection, content: bytes = b"%PDF-1.4 test", **values: Any
) -> Attachment:
    """A document attached to ``inspection``, its file written to the storage under its digest."""
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        inspection=inspection,
        kind=values.pop("kind", Attachment.Kind.DOCUMENT),
        original_name=values.pop("original_name", "现场笔录.pdf"),
        content_type=values.pop("content_type", "application/pdf"),
        size=len(content),
        sha256=digest,
        **values,
    )
    attachment.file.save("document.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def signature_png(width: int = 600, height: int = 200, ink: bool = True) -> bytes:
    """A drawing as the phone's canvas sends it: a white PNG with a stroke across it."""
    image = Image.new("RGB", (width, height), "white")
    if ink:
        ImageDraw.Draw(image).line(
            [(20, height // 2), (width // 3, 20), (width // 2, height - 20), (width - 20, 30)],
            fill="black",
            width=5,
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def make_party_signature(
    inspection: Inspection, *, refused: bool = False, **values: Any
) -> PartySignature:
    """The party's signature on ``inspection`` (or its refusal before a witness), written
    directly, its drawing stored under its digest."""
    signature = PartySignature(
        inspection=inspection,
        signer_name=values.pop("signer_name", "王五"),
        signer_role=values.pop("signer_role", "负责人"),
        refused=refused,
        witness_name=values.pop("witness_name", "赵六" if refused else ""),
        captured_at=values.pop("captured_at", timezone.now()),
        **values,
    )
    if not refused:
        content = signature_png()
        signature.sha256 = hashlib.sha256(content).hexdigest()
        signature.width, signature.height = 600, 200
        signature.image.save("signature.png", ContentFile(content), save=False)
    signature.save()
    return signature
