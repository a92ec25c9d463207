"""Offline inspections synced from the phone (issue 15, docs/offline-sync.md).

A grid officer without signal captures whole inspections on the phone — the draft's values,
photos, the check-in, the party's signature and their own signature, each with the device's
time and position — and the phone sends them, when the connection returns, as one batch.

Each item is applied in its own transaction through the same services as the online form
(``open_inspection``, ``save_draft``, ``add_attachment``, ``record_party_signature``,
``sign_inspection``), so every rule holds offline too; an item is applied whole or not at all,
and one bad item never stops the others. Its outcome is one of

- ``applied``: written; the record's id, revision and status;
- ``duplicate``: the device's ``client_id`` was applied before (the answer was lost): the stored
  outcome again, nothing written (``SyncReceipt``);
- ``conflict``: the draft moved on since the device's revision, or the record was signed
  elsewhere (who and when): nothing written, the phone must reload;
- ``refused``: what is wrong, by field — a photo whose bytes do not hash to the SHA-256 the
  device declared, a time in the future, a record out of the officer's scope…

Times are the device's: the check-in, the party's and the officer's signatures carry the time of
capture, never the time of the sync, but a device time later than the server's by more than
``CLOCK_SKEW`` is refused. An item synced more than ``TRACE_CHECKS["max_sync_delay_hours"]``
(72 h) after its capture raises the trace flag ``latesync`` on its record at once.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.checklists.models import Checklist
from xiaoneng.inspections.records.attachments import add_attachment
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.models import Attachment, Inspection, TraceFlag
from xiaoneng.inspections.records.party import decode_image, record_party_signature
from xiaoneng.inspections.records.services import (
    CLOCK_SKEW,
    DRAFT,
    SIGNED,
    check_revision,
    local_time,
    locked,
    open_inspection,
)
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.inspections.records.sync_models import SyncReceipt
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity

MAX_ITEMS = 50
MAX_PHOTOS = 20
DEFAULT_LATE_HOURS = 72.0
APPLIED, DUPLICATE, CONFLICT, REFUSED = "applied", "duplicate", "conflict", "refused"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
DRAFT_KEYS = (
    "results",
    "summary",
    "started_at",
    "finished_at",
    "checkin_at",
    "checkin_longitude",
    "checkin_latitude",
    "checkin_accuracy",
    "entity_operating",
    "enforcement",
    "team",
)


def _figure(value: float) -> str:
    """Hours for a sentence: whole numbers without decimals, others with one."""
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def late_hours() -> float:
    """Hours after its capture beyond which a sync raises the ``latesync`` flag."""
    return float(settings.TRACE_CHECKS.get("max_sync_delay_hours", DEFAULT_LATE_HOURS))


# The batch ------------------------------------------------------------------------------------


def client_id_of(value: Any, field: str, errors: list[FieldError]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        errors.append(FieldError(field, _("应为 UUID：%(value)s") % {"value": value}))
        return None


def check_batch(items: Any) -> list[uuid.UUID]:
    """Refuse a malformed batch as a whole (422, nothing written): not a list, more than
    ``MAX_ITEMS`` items, an item that is no object, a ``client_id`` that is no UUID or that
    appears twice. Returns the items' ids."""
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise InvalidInput.single("items", _("应为列表"))
    if len(items) > MAX_ITEMS:
        raise InvalidInput.single(
            "items",
            _("一次最多同步 %(max)d 条离线记录，本批有 %(n)d 条，请分批同步")
            % {"max": MAX_ITEMS, "n": len(items)},
        )
    errors: list[FieldError] = []
    ids: list[uuid.UUID] = []
    seen: set[uuid.UUID] = set()
    for position, item in enumerate(items):
        field = f"items.{position}.client_id"
        if not isinstance(item, Mapping):
            errors.append(FieldError(f"items.{position}", _("应为对象")))
            continue
        found = client_id_of(item.get("client_id"), field, errors)
        if found is None:
            continue
        if found in seen:
            errors.append(FieldError(field, _("同一批次中 client_id 重复：%(id)s") % {"id": found}))
        seen.add(found)
        ids.append(found)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return ids


def sync_batch(
    *,
    officer: Officer,
    items: Sequence[Mapping[str, Any]],
    received_at: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Apply each offline item of ``officer`` (dicts as ``SyncItemIn`` gives them) in its own
    transaction; the outcome of each, in the batch's order (see the module's text)."""
    ids = check_batch(items)
    received_at = received_at or timezone.now()
    return [
        _sync_item(officer, client_id, item, received_at)
        for client_id, item in zip(ids, items, strict=True)
    ]


# One item -------------------------------------------------------------------------------------


def outcome(
    client_id: uuid.UUID,
    kind: str,
    detail: str,
    *,
    errors: Sequence[FieldError] = (),
    record: Inspection | None = None,
    photos: Sequence[dict[str, Any]] = (),
    late: bool = False,
    synced_at: dt.datetime | None = None,
) -> dict[str, Any]:
    return {
        "client_id": str(client_id),
        "outcome": kind,
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
        "inspection_id": record.pk if record is not None else None,
        "revision": record.revision if record is not None else None,
        "status": record.status if record is not None else None,
        "photos": list(photos),
        "late_sync": late,
        "synced_at": synced_at.isoformat() if synced_at else None,
    }


class _Seen(Exception):
    """Another request applied the same item first (a retry racing the first attempt)."""


def _duplicate(client_id: uuid.UUID, receipt: SyncReceipt) -> dict[str, Any]:
    stored = dict(receipt.outcome)
    stored.update(
        outcome=DUPLICATE,
        detail=_("该离线记录已于 %(at)s 同步（检查记录 #%(id)s），本次未重复写入")
        % {"at": local_time(receipt.received_at), "id": stored.get("inspection_id")},
        synced_at=receipt.received_at.isoformat(),
        client_id=str(client_id),
    )
    return stored


def receipt_of(officer: Officer, client_id: uuid.UUID) -> SyncReceipt | None:
    """The receipt of ``officer``'s item ``client_id``, if it was applied before."""
    return SyncReceipt.objects.filter(officer=officer, client_id=client_id).first()


def _sync_item(
    officer: Officer, client_id: uuid.UUID, item: Mapping[str, Any], received_at: dt.datetime
) -> dict[str, Any]:
    receipt = receipt_of(officer, client_id)
    if receipt is not None:
        return _duplicate(client_id, receipt)
    try:
        captured_at, photos = _checked(item, received_at)
        with transaction.atomic(), audit.attributed(officer):
            try:
                with transaction.atomic():
                    receipt = SyncReceipt.objects.create(
                        officer=officer,
                        client_id=client_id,
                        captured_at=captured_at,
                        received_at=received_at,
                        **_position(item),
                    )
            except IntegrityError:
                raise _Seen() from None
            record, stored, late = _apply(officer, item, captured_at, photos, received_at)
            answer = outcome(
                client_id,
                APPLIED,
                _("已同步：检查记录 #%(id)s（%(entity)s），%(status)s，修订号 %(revision)d")
                % {
                    "id": record.pk,
                    "entity": record.entity.name,
                    "status": record.get_status_display(),
                    "revision": record.revision,
                },
                record=record,
                photos=stored,
                late=late,
                synced_at=received_at,
            )
            receipt.inspection = record
            receipt.outcome = answer
            receipt.save(update_fields=["inspection", "outcome"])
        return answer
    except _Seen:
        return _duplicate(client_id, SyncReceipt.objects.get(officer=officer, client_id=client_id))
    except Conflict as error:
        return outcome(client_id, CONFLICT, error.message, errors=error.errors)
    except DomainError as error:
        detail = "；".join(dict.fromkeys(e.message for e in error.errors)) or error.message
        return outcome(client_id, REFUSED, detail, errors=error.errors)


def _moment(value: Any, field: str, label: str, now: dt.datetime) -> dt.datetime:
    """A device time: ISO 8601, not later than the server's time beyond ``CLOCK_SKEW``."""
    try:
        moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value).strip())
    except ValueError:  # well formed, but no such day or hour
        moment = None
    if moment is None:
        raise InvalidInput.single(
            field,
            _("%(label)s应为 ISO 8601 格式的时间：%(value)s") % {"label": label, "value": value},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        raise InvalidInput.single(
            field,
            _("%(label)s %(at)s 晚于服务器时间 %(now)s，请校准手机时间后再同步")
            % {"label": label, "at": local_time(moment), "now": local_time(now)},
        )
    return moment


@dataclass(frozen=True)
class Photo:
    client_id: str
    name: str
    sha256: str
    content: bytes


def _photo(position: int, given: Any) -> Photo:
    field = f"photos.{position}"
    if not isinstance(given, Mapping):
        raise InvalidInput.single(field, _("应为对象"))
    name = str(given.get("name") or "photo.jpg").strip() or "photo.jpg"
    declared = str(given.get("sha256") or "").strip().lower()
    if not HEX64.match(declared):
        raise InvalidInput.single(
            f"{field}.sha256",
            _("照片“%(name)s”的 SHA-256 应为 64 位十六进制数") % {"name": name},
        )
    text = str(given.get("data") or "").strip()
    if text.startswith("data:") and ";base64," in text:
        text = text.split(";base64,", 1)[1]
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        content = b""
    if not content:
        raise InvalidInput.single(
            f"{field}.data", _("照片“%(name)s”不是有效的 Base64 编码") % {"name": name}
        )
    if hashlib.sha256(content).hexdigest() != declared:
        raise InvalidInput.single(
            f"{field}.sha256",
            _("照片“%(name)s”的内容与其 SHA-256 不符，可能在传输中损坏或被篡改，未同步")
            % {"name": name},
        )
    return Photo(str(given.get("client_id") or ""), name, declared, content)


def _checked(item: Mapping[str, Any], now: dt.datetime) -> tuple[dt.datetime, list[Photo]]:
    """What can be judged before touching the database: the device's times and the photos."""
    if item.get("captured_at") in (None, ""):
        raise InvalidInput.single("captured_at", _("请提供设备采集时间（captured_at）"))
    captured_at = _moment(item["captured_at"], "captured_at", _("采集时间"), now)
    sign = item.get("sign")
    if isinstance(sign, Mapping) and sign.get("at") not in (None, ""):
        _moment(sign["at"], "sign.at", _("签名时间"), now)
    given = item.get("photos") or []
    if len(given) > MAX_PHOTOS:
        raise InvalidInput.single(
            "photos",
            _("一条离线记录最多附 %(max)d 张照片，本条有 %(n)d 张")
            % {"max": MAX_PHOTOS, "n": len(given)},
        )
    errors: list[FieldError] = []
    photos: list[Photo] = []
    for position, photo in enumerate(given):
        given_id = photo.get("client_id") if isinstance(photo, Mapping) else None
        if client_id_of(given_id, f"photos.{position}.client_id", errors) is None:
            continue
        try:
            photos.append(_photo(position, photo))
        except InvalidInput as error:
            errors.extend(error.errors)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return captured_at, photos


def _position(item: Mapping[str, Any]) -> dict[str, float | None]:
    position = item.get("position")
    if not isinstance(position, Mapping):
        return {"longitude": None, "latitude": None, "accuracy": None}
    return {key: position.get(key) for key in ("longitude", "latitude", "accuracy")}


def _prefixed(
    error: DomainError, prefix: str, *, rename: Mapping[str, str] | None = None
) -> DomainError:
    """``error`` with its fields named under ``prefix`` (``draft.results.3``)."""
    names = rename or {}
    errors = [FieldError(prefix + names.get(e.field, e.field), e.message) for e in error.errors]
    return type(error)(error.message, errors=errors)


# Applying -------------------------------------------------------------------------------------


def _apply(
    officer: Officer,
    item: Mapping[str, Any],
    captured_at: dt.datetime,
    photos: list[Photo],
    received_at: dt.datetime,
) -> tuple[Inspection, list[dict[str, Any]], bool]:
    """Write the item (inside the caller's transaction): the record, its photos, whether the
    late-sync flag was raised."""
    record = _target(officer, item, captured_at)
    values = _draft_values(item, captured_at)
    if values:
        try:
            record = save_draft(
                inspection=record, officer=officer, revision=record.revision, values=values
            )
        except DomainError as error:
            raise _prefixed(error, "draft.") from None
    stored = [_attach(record, officer, position, photo) for position, photo in enumerate(photos)]
    party = item.get("party_signature")
    if isinstance(party, Mapping):
        try:
            record_party_signature(
                inspection=record,
                officer=officer,
                values={k: v for k, v in party.items() if k not in ("image", "revision")}
                | {"captured_at": party.get("captured_at") or captured_at},
                image=decode_image(str(party.get("image") or "")),
            )
        except DomainError as error:
            raise _prefixed(error, "party_signature.") from None
    sign = item.get("sign")
    if isinstance(sign, Mapping):
        at = sign.get("at")
        moment = _moment(at, "sign.at", _("签名时间"), received_at) if at else captured_at
        try:
            record = sign_inspection(inspection=record, officer=officer, at=moment)
        except DomainError as error:
            raise _prefixed(error, "sign.", rename={"signed_at": "at"}) from None
    record.refresh_from_db()
    late = flag_if_late(record, captured_at, received_at)
    return record, [s for s in stored if s is not None], late


def _target(officer: Officer, item: Mapping[str, Any], captured_at: dt.datetime) -> Inspection:
    """The draft the item fills: the device's draft at its revision, or a new one."""
    if item.get("inspection_id") is not None:
        return _existing(officer, item)
    if item.get("task_id") is not None:
        task = scoped(Task.objects.select_related("plan", "entity"), officer).filter(
            pk=item["task_id"]
        )
        found_task = task.first()
        if found_task is None:
            raise InvalidInput.single(
                "task_id",
                _("任务 #%(id)s 不存在，或不在您的辖区内") % {"id": item["task_id"]},
            )
        draft = (
            Inspection.objects.filter(task_id=found_task.pk, amends__isnull=True, status=DRAFT)
            .select_related("updated_by")
            .first()
        )
        if draft is not None:
            message = _(
                "该任务已有检查记录草稿 #%(id)s（%(who)s 于 %(at)s 修改），"
                "请先在手机上下载该草稿，再录入并同步"
            ) % {
                "id": draft.pk,
                "who": draft.updated_by or _("他人"),
                "at": local_time(draft.updated_at),
            }
            raise Conflict(message, errors=[FieldError("task_id", message)])
        return _opened(officer, item, captured_at, task=found_task)
    uscc = str(item.get("uscc") or "").strip().upper()
    if not uscc:
        raise InvalidInput.single(
            "inspection_id", _("请指定已有草稿（inspection_id）、任务（task_id）或市场主体（uscc）")
        )
    entity = scoped(Entity.objects.all(), officer).filter(uscc=uscc).first()
    if entity is None:
        raise InvalidInput.single(
            "uscc", _("市场主体 %(uscc)s 不存在，或不在您的辖区内") % {"uscc": uscc}
        )
    return _opened(officer, item, captured_at, entity=entity)


def _existing(officer: Officer, item: Mapping[str, Any]) -> Inspection:
    pk = item["inspection_id"]
    found = scoped(Inspection.objects.all(), officer).filter(pk=pk).first()
    if found is None:
        raise InvalidInput.single(
            "inspection_id", _("检查记录 #%(id)s 不存在，或不在您的辖区内") % {"id": pk}
        )
    current = locked(found)
    if current.status == SIGNED:
        signers = current.team.filter(signed_at__isnull=False).select_related("officer")
        names = "、".join(str(row.officer) for row in signers.order_by("signed_at")) or _("他人")
        message = _(
            "检查记录 #%(id)s 已由 %(who)s 于 %(at)s 签名，离线修改未同步；如需更正，请提出更正"
        ) % {"id": current.pk, "who": names, "at": local_time(current.signed_at)}
        raise Conflict(message, errors=[FieldError("inspection_id", message)])
    if item.get("revision") is None:
        raise InvalidInput.single(
            "revision", _("同步已有草稿须提供手机上该草稿的修订号（revision）")
        )
    check_revision(current, item["revision"])
    return current


def _opened(
    officer: Officer,
    item: Mapping[str, Any],
    captured_at: dt.datetime,
    *,
    task: Task | None = None,
    entity: Entity | None = None,
) -> Inspection:
    """A new draft for an item captured offline, dated the day of its capture."""
    checklist = None
    if item.get("checklist_id") is not None:
        checklist = Checklist.objects.filter(pk=item["checklist_id"]).first()
        if checklist is None:
            raise InvalidInput.single(
                "checklist_id", _("检查清单不存在：%(id)s") % {"id": item["checklist_id"]}
            )
    record = open_inspection(
        entity=entity,
        officer=officer,
        kind=str(item.get("kind") or "onsite"),
        origin=item.get("origin") if task is None else None,
        task=task,
        checklist=checklist,
    )
    day = timezone.localdate(captured_at)
    if record.visited_on != day:
        Inspection.objects.filter(pk=record.pk).update(visited_on=day)
        record.visited_on = day
    return record


def _draft_values(item: Mapping[str, Any], captured_at: dt.datetime) -> dict[str, Any]:
    """The draft's values the item gives; the device's position is the check-in unless the
    draft names one, taken at the position's own time (else the time of capture)."""
    draft = item.get("draft")
    given: Mapping[str, Any] = draft if isinstance(draft, Mapping) else {}
    values = {k: v for k, v in given.items() if k in DRAFT_KEYS and v is not None}
    unknown = sorted(set(given) - set(DRAFT_KEYS))
    if unknown:
        raise InvalidInput.single(
            f"draft.{unknown[0]}", _("未知字段：%(name)s") % {"name": unknown[0]}
        )
    if "results" in values:
        rows = values["results"]
        if isinstance(rows, Sequence) and not isinstance(rows, str):
            values["results"] = {
                row.get("item"): {k: v for k, v in row.items() if k != "item"}
                for row in rows
                if isinstance(row, Mapping)
            }
    position = item.get("position")
    if isinstance(position, Mapping) and "checkin_longitude" not in values:
        values["checkin_longitude"] = position.get("longitude")
        values["checkin_latitude"] = position.get("latitude")
        values["checkin_accuracy"] = position.get("accuracy")
        values.setdefault("checkin_at", position.get("at") or captured_at)
    return values


def _attach(
    record: Inspection, officer: Officer, position: int, photo: Photo
) -> dict[str, Any] | None:
    """Attach one photo; one the record already holds (same SHA-256) is not added again."""
    same = Attachment.objects.filter(inspection_id=record.pk, sha256=photo.sha256).first()
    if same is None:
        upload = SimpleUploadedFile(photo.name, photo.content)
        try:
            same = add_attachment(
                inspection=record, officer=officer, upload=upload, kind=Attachment.Kind.PHOTO
            )
        except DomainError as error:
            raise _prefixed(error, f"photos.{position}", rename={"file": ""}) from None
    return {"client_id": photo.client_id, "attachment_id": same.pk, "sha256": same.sha256}


def flag_if_late(record: Inspection, captured_at: dt.datetime, received_at: dt.datetime) -> bool:
    """Raise ``latesync`` on ``record`` when the item arrived implausibly long after its
    capture (once per record: a flag already raised, even cleared, stays as it is)."""
    limit = late_hours()
    hours = (received_at - captured_at).total_seconds() / 3600
    if hours <= limit:
        return False
    kind = TraceFlag.Kind.LATE_SYNC
    if TraceFlag.objects.filter(inspection_id=record.pk, kind=kind).exists():
        return True
    flag = TraceFlag(
        inspection=record,
        unit_id=record.unit_id,
        kind=kind,
        detail=_(
            "离线记录于 %(captured)s 采集，%(received)s 才同步，"
            "相隔 %(hours)s 小时（阈值 %(limit)s 小时）"
        )
        % {
            "captured": local_time(captured_at),
            "received": local_time(received_at),
            "hours": _figure(hours),
            "limit": _figure(limit),
        },
        raised_at=received_at,
    )
    with audit.acting_as(None, source=AuditEvent.Source.SYSTEM):
        audit.set_reason(flag, _("离线同步时自动发现"))
        flag.save()
    return True
