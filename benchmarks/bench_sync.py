"""Offline sync (issue 15): 50 inspections captured without signal, with 200 photos, synced.

Figure: one ``POST /api/v1/inspections/sync`` (Django's test client, the officer logged in) of
50 offline inspections — each an ad hoc record opened from its entity, its ten checklist items
answered, the check-in from the device's position, four small JPEG photos (about 20 KB each,
their SHA-256 checked), the party's drawn signature and the officer's signature, all with the
device's times, ten a day over the last five days (the two oldest days synced late: their
``latesync`` flags raised) — applied item by item (``records.sync.sync_batch``: a receipt per
item, the photos stored under their digest, the trace checks run at each final signature);
target ≤ 10 s. The same batch sent again (every item a duplicate, nothing written) is in the note.

Baseline, same process and database: the same 50 inspections written by a second officer
through the same services one call at a time, as the online form does (``open_inspection``,
``save_draft``, ``add_attachment`` × 4, ``record_party_signature``, ``sign_inspection``), with
no batch, no receipts and no checks of the device's hashes and times: the ratio is the cost of
the sync's own work (baseline / figure; about 1 means the sync adds little).

    python benchmarks/bench_sync.py [--quick] [--postgres] [--keep] [--items N]
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import uuid
from typing import Any

import common
import entities
from common import Figure, say, timed

NAME = "sync"
LIMIT_SECONDS = 10.0
ITEMS = 50
PHOTOS = 4  # per inspection: 200 in all
CHECKLIST_ITEMS = 10
PER_DAY = 10  # inspections a day: within the trace checks' daily limit (12)


# The records ----------------------------------------------------------------------------


def fill(count: int) -> tuple[list[Any], Any, list[Any]]:
    """One station, two grid officers, ``2 × count`` entities and a ten-item checklist; returns
    the officers, the checklist and the entities (the first officer and half the entities for
    the sync, the others for the baseline)."""
    from xiaoneng.inspections.models import Checklist, ChecklistItem
    from xiaoneng.org import services
    from xiaoneng.org.models import Role
    from xiaoneng.registry.models import Entity

    organisation = common.build_organisation(12, stations=1)
    station = organisation.stations[0]
    officers = [
        services.create_officer(
            username=f"bench_grid{n}",
            name=f"网格员{n}",
            unit=station,
            roles=[Role.GRID_OFFICER],
            certificate_number=f"6500002100{n}",
        )
        for n in (1, 2)
    ]
    entities.write_entities(entities.entity_columns(2 * count, organisation, seed=5))
    chosen = list(Entity.objects.filter(unit=station).order_by("pk")[: 2 * count])
    assert len(chosen) == 2 * count, f"only {len(chosen)} entities in the station"
    checklist = Checklist.objects.create(
        code="bench-sync",
        version=1,
        title="日常监督检查清单",
        kind="onsite",
        effective_on=dt.date(2026, 1, 1),
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            number=str(n),
            position=n,
            title=f"检查事项{n}",
            method="现场查看",
            legal_basis="《中华人民共和国食品安全法》第三十三条",
            severity="minor",
        )
        for n in range(1, CHECKLIST_ITEMS + 1)
    )
    return officers, checklist, chosen


def jpeg(seed: int) -> bytes:
    """A small photo (640×480, about 20 KB), different for each ``seed``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (seed * 37 % 256, seed * 91 % 256, 120))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        x = (seed * 13 + n * 53) % 600
        draw.rectangle([x, n * 38, x + 40, n * 38 + 30], fill=(n * 20, 200 - n * 10, seed % 256))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def signature() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).line([(20, 100), (200, 20), (300, 180), (580, 30)], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def offline_items(entities_: list[Any], checklist: Any, seed: int) -> list[dict[str, Any]]:
    """What the phone queued: one ad hoc inspection per entity, ten a day over the last five
    days (a week with no signal: the items of the two oldest days arrive late)."""
    from django.utils import timezone

    items_ = list(checklist.items.order_by("position").values_list("pk", flat=True))
    party = "data:image/png;base64," + base64.b64encode(signature()).decode()
    now = timezone.now()
    queued = []
    for n, entity in enumerate(entities_):
        photos = []
        for p in range(PHOTOS):
            content = jpeg(seed + n * PHOTOS + p)
            photos.append(
                {
                    "client_id": str(uuid.uuid4()),
                    "name": f"现场{p + 1}.jpg",
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "data": base64.b64encode(content).decode(),
                }
            )
        begun = (
            now
            - dt.timedelta(days=n // PER_DAY, hours=8)
            + dt.timedelta(minutes=40 * (n % PER_DAY))
        )
        queued.append(
            {
                "client_id": str(uuid.uuid4()),
                "uscc": entity.uscc,
                "checklist_id": checklist.pk,
                "kind": "onsite",
                "captured_at": (begun + dt.timedelta(minutes=35)).isoformat(),
                "position": {
                    "longitude": entity.longitude,
                    "latitude": entity.latitude,
                    "accuracy": 10.0,
                    "at": (begun + dt.timedelta(minutes=1)).isoformat(),
                },
                "draft": {
                    "results": [{"item": pk, "result": "pass", "note": ""} for pk in items_],
                    "started_at": begun.isoformat(),
                    "finished_at": (begun + dt.timedelta(minutes=30)).isoformat(),
                    "summary": "证照齐全，经营正常",
                },
                "photos": photos,
                "party_signature": {
                    "signer_name": "王五",
                    "signer_role": "负责人",
                    "statement": "以上情况属实",
                    "image": party,
                    "captured_at": (begun + dt.timedelta(minutes=32)).isoformat(),
                },
                "sign": {"at": (begun + dt.timedelta(minutes=35)).isoformat()},
            }
        )
    return queued


def online_path(officer: Any, checklist: Any, queued: list[dict[str, Any]]) -> None:
    """The baseline: the same inspections through the services, one call at a time."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.dateparse import parse_datetime

    from xiaoneng.inspections.records.attachments import add_attachment
    from xiaoneng.inspections.records.drafts import save_draft
    from xiaoneng.inspections.records.party import decode_image, record_party_signature
    from xiaoneng.inspections.records.services import open_inspection
    from xiaoneng.inspections.records.signing import sign_inspection
    from xiaoneng.registry.models import Entity

    for item in queued:
        record = open_inspection(
            entity=Entity.objects.get(uscc=item["uscc"]),
            officer=officer,
            kind="onsite",
            checklist=checklist,
        )
        values = dict(item["draft"])
        values["results"] = {r["item"]: {"result": r["result"]} for r in values["results"]}
        position = item["position"]
        values |= {
            "checkin_at": position["at"],
            "checkin_longitude": position["longitude"],
            "checkin_latitude": position["latitude"],
            "checkin_accuracy": position["accuracy"],
        }
        record = save_draft(
            inspection=record, officer=officer, revision=record.revision, values=values
        )
        for photo in item["photos"]:
            upload = SimpleUploadedFile(photo["name"], base64.b64decode(photo["data"]))
            add_attachment(inspection=record, officer=officer, upload=upload, kind="photo")
        party = item["party_signature"]
        record_party_signature(
            inspection=record,
            officer=officer,
            values={k: v for k, v in party.items() if k != "image"},
            image=decode_image(party["image"]),
        )
        sign_inspection(inspection=record, officer=officer, at=parse_datetime(item["sign"]["at"]))


# Measuring ------------------------------------------------------------------------------


def measure(count: int) -> list[Figure]:
    from django.test import Client

    from xiaoneng.inspections.models import Attachment, Inspection, SyncReceipt

    (officer, other), checklist, chosen = fill(count)
    queued = offline_items(chosen[:count], checklist, seed=1)
    body = json.dumps({"items": queued})
    photos = sum(len(item["photos"]) for item in queued)
    say(f"batch: {count} inspections, {photos} photos, {len(body) / 1e6:.1f} MB of JSON")
    client = Client()
    client.force_login(officer)

    def send() -> Any:
        return client.post("/api/v1/inspections/sync", body, content_type="application/json")

    # The first request of the process loads the URLs and the API's schemas: not the sync's.
    warm = client.post("/api/v1/inspections/sync", '{"items": []}', content_type="application/json")
    assert warm.status_code == 200, warm.content
    seconds, response = timed(send)
    assert response.status_code == 200, response.content[:500]
    outcomes = [item["outcome"] for item in response.json()["items"]]
    assert outcomes == ["applied"] * count, outcomes
    assert Inspection.objects.filter(status="signed").count() == count
    assert Attachment.objects.count() == photos and SyncReceipt.objects.count() == count
    say(f"synced: {seconds:.2f} s ({seconds / count * 1000:.0f} ms an inspection)")
    again, repeat = timed(send)
    assert [i["outcome"] for i in repeat.json()["items"]] == ["duplicate"] * count
    assert Attachment.objects.count() == photos
    say(f"  sent again (every item a duplicate): {again:.2f} s")

    baseline_items = offline_items(chosen[count:], checklist, seed=10_000)
    baseline, _none = timed(lambda: online_path(other, checklist, baseline_items))
    assert Inspection.objects.filter(status="signed").count() == 2 * count
    say(f"  baseline: the same through the services one call at a time {baseline:.2f} s")
    return [
        Figure(
            benchmark=NAME,
            case=f"{common.vendor()} sync of {count} offline inspections, {photos} photos",
            value=seconds,
            unit="s",
            limit=LIMIT_SECONDS * count / ITEMS,
            baseline=baseline,
            baseline_label="the same through the services one call at a time (no batch)",
            note=f"{len(body) / 1e6:.1f} MB of JSON; sent again (all duplicates) {again:.2f} s",
        )
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, help=f"inspections in the batch (default {ITEMS})")
    options = parser.parse_args()
    count = options.items or (10 if options.quick else ITEMS)
    common.run_on_fresh_media(NAME, options, "inspections", lambda: measure(count))


if __name__ == "__main__":
    main()
