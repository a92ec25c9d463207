"""Monitored ads (广告监测, 篇1): each ad entered or imported is scanned against the keyword
feature library; a person confirms or dismisses every hit with a note. A confirmed violation
by a local party (an entity of the register) may become a case through ``cases.services``, or
a finding with a rectification order through inspections' follow-up (``findings``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.monitoring import findings
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.operators.models import Medium
from xiaoneng.cases import services as cases
from xiaoneng.cases.models import CaseKind
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

R = MonitoredAd.Review
D = AdHit.Decision
TEXT_LIMIT = 5000
BATCH = 500  # ads written per INSERT by record_many


@dataclass(frozen=True)
class AdInput:
    """One monitored ad as entered or read from a file (checked by ``check_input``)."""

    medium: str
    outlet: str
    advertiser: Entity | None
    advertiser_name: str
    kind: str
    text: str
    captured_at: dt.datetime | None
    external_id: str = ""


def check_input(ad: AdInput) -> list[FieldError]:
    """The field errors of one monitored ad (empty when it may be recorded)."""
    captured = ad.captured_at
    errors = common.collect(
        lambda: common.choice(ad.medium, "medium", _("媒介类型"), Medium.values),
        lambda: common.text(ad.outlet, "outlet", _("发布媒体（位置）"), limit=100),
        lambda: common.choice(ad.kind, "kind", _("广告类别"), common.AD_KINDS),
        lambda: common.text(ad.text, "text", _("广告内容"), limit=TEXT_LIMIT),
        lambda: common.text(
            ad.advertiser_name or (ad.advertiser.name if ad.advertiser else ""),
            "advertiser_name",
            _("广告主名称"),
            limit=200,
        ),
    )
    if captured is None:
        errors += common.collect(lambda: common.fail("captured_at", _("请填写监测时间")))
    elif captured > timezone.now() + dt.timedelta(minutes=5):
        errors += common.collect(
            lambda: common.fail(
                "captured_at",
                _("监测时间不能晚于现在：%(v)s")
                % {"v": timezone.localtime(captured).strftime("%Y-%m-%d %H:%M")},
            )
        )
    elif ad.advertiser is not None and timezone.localdate(captured) < ad.advertiser.registered_on:
        errors += common.collect(
            lambda: common.fail(
                "captured_at",
                _("监测时间不能早于广告主入册日期 %(d)s") % {"d": ad.advertiser.registered_on},
            )
        )
    return errors


def _row(
    ad: AdInput, actor: Officer, hits: list[dict[str, Any]], version: int, source: str
) -> MonitoredAd:
    """The unsaved ad: the unit and region are the advertiser's when local, else the actor's."""
    unit_id = ad.advertiser.unit_id if ad.advertiser else actor.unit_id
    assert unit_id is not None and ad.captured_at is not None  # record_ad checked both
    region = ad.advertiser.region_code if ad.advertiser else _region_of(actor)
    return MonitoredAd(
        medium=ad.medium,
        outlet=ad.outlet.strip(),
        advertiser=ad.advertiser,
        advertiser_name=(ad.advertiser_name or "").strip()
        or (ad.advertiser.name if ad.advertiser else ""),
        kind=ad.kind,
        text=ad.text.strip(),
        captured_at=ad.captured_at,
        review=R.PENDING if hits else R.CLEAN,
        library_version=version,
        source=source[:120],
        external_id=ad.external_id[:60],
        officer=actor,
        unit_id=unit_id,
        region_code=region,
    )


def _hit_rows(record: MonitoredAd, hits: list[dict[str, Any]]) -> list[AdHit]:
    return [
        AdHit(
            ad=record,
            rule=h["rule"][:60],
            category=h["category"][:30],
            law=h["law"][:200],
            severity=h.get("severity", "")[:10],
            match=h["match"][:200],
            start=h["start"],
            end=h["end"],
        )
        for h in hits
    ]


def _create(
    ad: AdInput, actor: Officer, hits: list[dict[str, Any]], version: int, source: str
) -> MonitoredAd:
    record = _row(ad, actor, hits, version, source)
    record.save()
    AdHit.objects.bulk_create(_hit_rows(record, hits))
    return record


def _region_of(actor: Officer) -> str:
    unit = actor.unit
    return str(getattr(unit, "region_code", "") or "")[:6] if unit is not None else ""


def record_ad(*, actor: Officer, ad: AdInput) -> MonitoredAd:
    """Record one monitored ad, scanned on entry; the unit is the advertiser's when local,
    else the actor's."""
    common.require(actor)
    common.refuse(check_input(ad))
    if ad.advertiser is not None:
        common.require(actor, ad.advertiser.unit_id)
    elif actor.unit_id is None:
        raise InvalidInput.single("advertiser", _("无法确定监管单位：请选择本地广告主"))
    scan = common.scan_ad(ad.text.strip(), ad.kind)
    with transaction.atomic(), audit.attributed(actor):
        return _create(ad, actor, scan.hits, scan.version, _("人工录入"))


def record_many(*, actor: Officer, ads: list[AdInput], source: str) -> list[MonitoredAd]:
    """Record already checked ads of one import in one transaction, scanned together.

    Written ``BATCH`` ads at a time: one INSERT of the ads, one of their hits, and the ads'
    trace (the create events that saving each ad would record) in one more."""
    common.require(actor)
    version, found = common.scan_ads([(a.text.strip(), a.kind) for a in ads])
    made: list[MonitoredAd] = []
    with transaction.atomic(), audit.attributed(actor):
        pairs = list(zip(ads, found, strict=True))
        for start in range(0, len(pairs), BATCH):
            chunk = pairs[start : start + BATCH]
            rows = MonitoredAd.objects.bulk_create(
                [_row(ad, actor, hits, version, source) for ad, hits in chunk], batch_size=BATCH
            )
            AdHit.objects.bulk_create(
                [
                    h
                    for row, (_ad, hits) in zip(rows, chunk, strict=True)
                    for h in _hit_rows(row, hits)
                ],
                batch_size=BATCH * 4,
            )
            audit.record_many(
                (row, AuditEvent.Action.CREATE, audit.created_changes(row)) for row in rows
            )
            made += rows
    return made


# Confirming hits ------------------------------------------------------------------------------


def decide_hit(*, hit: AdHit, actor: Officer, confirm: bool, note: str) -> AdHit:
    """Confirm (确认违法) or dismiss (排除) one hit, with the person's note; a hit is decided once.
    The ad's review follows: pending while any hit is open, else a violation when any is
    confirmed, else dismissed."""
    ad = hit.ad
    common.require(actor, ad.unit_id)
    note = common.text(note, "note", _("确认意见"), limit=500)
    with transaction.atomic(), audit.attributed(actor):
        current = (
            AdHit.objects.select_for_update()
            .filter(pk=hit.pk)
            .values_list("decision", flat=True)
            .first()
        )
        if current:
            raise Conflict(_("该命中已%(d)s，不能重复确认") % {"d": D(current).label})
        hit.decision = D.CONFIRMED if confirm else D.DISMISSED
        hit.decided_by = actor
        hit.decided_at = timezone.now()
        hit.note = note
        hit.save()
        _review(ad)
    return hit


def _review(ad: MonitoredAd) -> None:
    decisions = set(ad.hits.values_list("decision", flat=True))
    if not decisions:
        review = R.CLEAN
    elif D.OPEN in decisions:
        review = R.PENDING
    elif D.CONFIRMED in decisions:
        review = R.VIOLATION
    else:
        review = R.DISMISSED
    if ad.review != review:
        ad.review = review
        ad.save(update_fields=["review"])


def file_case(*, ad: MonitoredAd, actor: Officer, on: dt.date | None) -> MonitoredAd:
    """A confirmed violation by a local advertiser becomes a case (虚假违法广告) through the case
    service; an advertiser outside the register is referred instead (no case here)."""
    common.require(actor, ad.unit_id)
    if ad.review != R.VIOLATION:
        raise Conflict(_("只有确认违法的广告才能立案"))
    if ad.case_id is not None:
        raise Conflict(_("该广告已立案：%(n)s") % {"n": ad.case.number})  # type: ignore[union-attr]
    if ad.advertiser is None:
        raise Conflict(_("广告主不是本地登记的市场主体，请移送其所在地市场监管部门处理"))
    captured = timezone.localdate(ad.captured_at)
    day = common.day(
        on, "received_on", _("线索登记日期"), earliest=captured, earliest_what=_("监测日期")
    )
    confirmed = ad.hits.filter(decision=D.CONFIRMED)
    facts = "；".join(f"“{h.match}”（{h.law}）" for h in confirmed)
    with transaction.atomic(), audit.attributed(actor):
        case = cases.open_case(
            actor=actor,
            title=_("违法广告：%(name)s") % {"name": ad.advertiser_name},
            kind=CaseKind.ADVERTISING,
            party=ad.advertiser_name,
            entity=ad.advertiser,
            received_on=day,
            facts=_("%(medium)s“%(outlet)s”发布的广告含有：%(facts)s")
            % {"medium": ad.get_medium_display(), "outlet": ad.outlet, "facts": facts},
            source_note=_("广告监测"),
        )
        ad.case = case
        ad.save(update_fields=["case"])
    return ad


def actions_for(ad: MonitoredAd, actor: Any) -> list[str]:
    """What the page offers ``actor`` on ``ad`` now."""
    if not common.may_act(actor, ad.unit_id):
        return []
    found = []
    if ad.hits.filter(decision=D.OPEN).exists():
        found.append("decide")
    if ad.review == R.VIOLATION and ad.case_id is None and ad.advertiser_id is not None:
        found.append("file_case")
    # 责令改正 (``findings.order_rectification``): follow-up's orders need INSPECT too.
    if findings.offered(ad) and access.can(actor, access.INSPECT):
        found.append("rectify")
    if ad.review == R.VIOLATION:
        found.append("notice")
    return found
