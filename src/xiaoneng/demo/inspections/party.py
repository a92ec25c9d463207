"""The party's signatures on the demo's recent on-site records: most drawn on the officer's
phone (a handwritten-looking stroke, its PNG kept under its SHA-256), every twelfth refused
before a witness, every ninth left to the paper record — so that a record's page and its
现场检查笔录 show all three. Each was captured after the visit ended and before the officers'
final signature (the demo is consistent in time)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from xiaoneng.inspections.checklists.models import InspectionKind
from xiaoneng.inspections.records.models import Inspection, PartySignature, party_signature_path

RECENT_DAYS = 45
LIMIT = 600
REFUSED_EVERY = 12
PAPER_EVERY = 9
ROLES = ("负责人", "法定代表人", "经营者", "店长", "现场负责人")
WITNESSES = (("社区网格员", "社区工作人员"), ("村委会干部", "村委会"), ("市场管理员", "市场管理方"))
SIZE = (600, 200)


def drawing(rng: np.random.Generator) -> bytes:
    """A name written in two or three quick strokes, on a white box as the phone sends it."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    x = int(rng.integers(30, 90))
    for _stroke in range(int(rng.integers(2, 4))):
        points = []
        for _ in range(int(rng.integers(6, 12))):
            x += int(rng.integers(8, 40))
            points.append((min(x, SIZE[0] - 20), int(rng.integers(40, SIZE[1] - 40))))
        draw.line(points, fill=(17, 17, 17), width=int(rng.integers(4, 7)), joint="curve")
        x += int(rng.integers(20, 50))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _captured(record: Inspection) -> dt.datetime:
    """Two minutes after the visit ended, before the final signature."""
    assert record.finished_at is not None and record.signed_at is not None  # filtered
    return min(record.finished_at + dt.timedelta(minutes=2), record.signed_at)


def build_party_signatures(*, now: dt.datetime, also: Iterable[int] = ()) -> tuple[int, int]:
    """The party's signature on recent signed on-site records (and the records ``also``, whose
    笔录 the demo issues); returns (drawn, refused)."""
    signed = Inspection.objects.filter(
        status=Inspection.Status.SIGNED,
        finished_at__isnull=False,
        signed_at__isnull=False,
        signed_at__lt=now,
        party_signature__isnull=True,
    ).select_related("entity", "lead_officer")
    recent = signed.filter(
        kind=InspectionKind.ONSITE, signed_at__gte=now - dt.timedelta(days=RECENT_DAYS)
    )
    records = {r.pk: r for r in recent.order_by("-signed_at", "-id")[:LIMIT]}
    records.update({r.pk: r for r in signed.filter(pk__in=list(also))})
    rng = np.random.default_rng(15)
    rows = []
    refused = 0
    for index, record in enumerate(sorted(records.values(), key=lambda r: r.pk)):
        if index % PAPER_EVERY == PAPER_EVERY - 1:
            continue  # signed on the printed record
        entity = record.entity
        name = entity.legal_representative or "当事人"
        row = PartySignature(
            inspection=record,
            signer_name=name,
            signer_role=ROLES[index % len(ROLES)],
            statement="以上情况属实" if index % 3 else "",
            captured_at=_captured(record),
            recorded_by=record.lead_officer,
        )
        if index % REFUSED_EVERY == REFUSED_EVERY - 1:
            witness, role = WITNESSES[index % len(WITNESSES)]
            row.refused, row.witness_name, row.witness_role = True, witness, role
            row.statement = "当事人对检查结果有异议，拒绝签名"
            refused += 1
        else:
            content = drawing(rng)
            row.sha256 = hashlib.sha256(content).hexdigest()
            row.width, row.height = SIZE
            path = party_signature_path(row, "signature.png")
            if not default_storage.exists(path):
                path = default_storage.save(path, ContentFile(content))
            row.image.name = path
        rows.append(row)
    PartySignature.objects.bulk_create(rows, batch_size=500)
    # recorded_at is auto_now_add: the demo's rows were recorded when they were captured.
    for row in rows:
        row.recorded_at = row.captured_at
    PartySignature.objects.bulk_update(rows, ["recorded_at"], batch_size=500)
    return len(rows) - refused, refused
