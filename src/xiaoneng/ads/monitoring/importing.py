"""Import of monitored ads from a JSONL or CSV file (read by ``textscan.io``): one record per
ad with ``id``, ``text``, ``kind`` and ``channel`` (the medium) and the fields ``outlet``,
``advertiser`` (a name), ``uscc`` (a local advertiser) and ``captured_at``. The whole file is
one batch: any bad line refuses it, naming each line, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.monitoring.services import AdInput, check_input, record_many
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

MAX_RECORDS = 20000


def _moment(value: Any) -> dt.datetime | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _read(record: Any, entities: QuerySet[Entity]) -> tuple[AdInput | None, list[FieldError]]:
    extra = record.extra or {}
    uscc = str(extra.get("uscc") or "").strip().upper()
    advertiser = None
    errors: list[FieldError] = []
    if uscc:
        advertiser = entities.filter(uscc=uscc).first()
        if advertiser is None:
            errors.append(
                FieldError("uscc", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": uscc})
            )
    captured = _moment(extra.get("captured_at"))
    if captured is None and extra.get("captured_at"):
        errors.append(
            FieldError(
                "captured_at",
                _("监测时间格式应为 YYYY-MM-DD HH:MM：%(v)s") % {"v": extra.get("captured_at")},
            )
        )
        return None, errors
    ad = AdInput(
        medium=str(record.channel or extra.get("medium") or "").strip(),
        outlet=str(extra.get("outlet") or ""),
        advertiser=advertiser,
        advertiser_name=str(extra.get("advertiser") or ""),
        kind=str(record.kind or "general").strip(),
        text=record.text or "",
        captured_at=captured,
        external_id=str(record.id or "").strip(),
    )
    return ad, errors + check_input(ad)


def import_ads(*, actor: Officer, data: bytes, name: str) -> list[MonitoredAd]:
    """Read, check and record every ad of the file, or refuse the file with every line's
    errors (``第 N 行 字段：…``)."""
    from xiaoneng.textscan import io as textscan_io  # the reader lands beside the engine

    common.require(actor)
    try:
        records = list(textscan_io.read_records(data, name))
    except textscan_io.FileUnreadable as error:
        raise InvalidInput.single("file", str(error)) from None
    except ValueError as error:
        raise InvalidInput.single("file", str(error)) from None
    if not records:
        raise InvalidInput.single("file", _("文件中没有广告记录"))
    if len(records) > MAX_RECORDS:
        raise InvalidInput.single(
            "file", _("一次最多导入 %(n)d 条广告：%(v)d") % {"n": MAX_RECORDS, "v": len(records)}
        )
    entities = scoped(Entity.objects.all(), actor)
    source = _("导入：%(name)s") % {"name": name}
    taken = set(
        MonitoredAd.objects.filter(source=source[:120]).values_list("external_id", flat=True)
    )
    seen: set[str] = set()
    ads: list[AdInput] = []
    errors: list[FieldError] = []
    for record in records:
        if isinstance(record, textscan_io.RecordError):
            errors.append(FieldError(f"第{record.line}行", record.message))
            continue
        ad, problems = _read(record, entities)
        head = f"第{record.line}行"
        errors += [FieldError(head, f"{head}：{p.message}") for p in problems]
        if ad is None or problems:
            continue
        if ad.external_id and (ad.external_id in seen or ad.external_id in taken):
            message = _("编号重复：%(v)s") % {"v": ad.external_id}
            errors.append(FieldError(head, f"{head}：{message}"))
            continue
        seen.add(ad.external_id)
        ads.append(ad)
    if errors:
        shown = "；".join(e.message for e in errors[:20])
        raise InvalidInput(_("导入失败，未写入任何记录：%(e)s") % {"e": shown}, errors=errors)
    return record_many(actor=actor, ads=ads, source=source)
