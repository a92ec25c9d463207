"""Notices of advertising supervision (篇1) and confiscated printed matter.

违法违规广告警示通知书 (a warning), 责令改正通知书 (《广告法》第五十五条至第五十八条: 责令停止
发布广告、责令改正) and 停止发布通知 are numbered per kind and year (广警〔2026〕001号), carry a
deadline after their issue date, and end complied or not (checked after the deadline).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.notices.transitions import NOTICE
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

S = AdNotice.Status
K = AdNotice.Kind
PREFIX: dict[str, str] = {K.WARNING: "广警", K.RECTIFY: "广改", K.STOP: "广停"}
MAX_QUANTITY = 10_000_000


def number_head(kind: str, year: int) -> str:
    return f"{PREFIX[kind]}〔{year}〕"


def issue_notice(
    *,
    actor: Officer,
    kind: str,
    issued_on: dt.date | None,
    deadline: dt.date | None,
    content: str,
    entity: Entity | None = None,
    party: str = "",
    ad: MonitoredAd | None = None,
) -> AdNotice:
    """Issue a notice to a party (an entity of the register, or a name), about a monitored ad
    or not; the deadline falls after the issue date."""
    common.require(actor)
    if ad is not None and entity is None:
        entity = ad.advertiser
        party = party or ad.advertiser_name
    party = (party or "").strip() or (entity.name if entity else "")
    earliest, earliest_what = None, ""
    if entity is not None:
        earliest, earliest_what = entity.registered_on, _("当事人入册日期")
    if ad is not None:
        captured = timezone.localdate(ad.captured_at)
        if earliest is None or captured > earliest:
            earliest, earliest_what = captured, _("广告监测日期")
    errors = common.collect(
        lambda: common.choice(kind, "kind", _("文书类别"), K.values),
        lambda: common.text(party, "party", _("当事人"), limit=200),
        lambda: common.text(content, "content", _("违法事实及要求"), limit=2000),
        lambda: common.day(
            issued_on, "issued_on", _("送达日期"), earliest=earliest, earliest_what=earliest_what
        ),
        lambda: _deadline(deadline, issued_on),
    )
    common.refuse(errors)
    assert issued_on is not None and deadline is not None
    unit_id = entity.unit_id if entity else (ad.unit_id if ad else actor.unit_id)
    if unit_id is None:
        raise InvalidInput.single("entity", _("无法确定监管单位：请选择当事人主体"))
    common.require(actor, unit_id)
    region = entity.region_code if entity else (ad.region_code if ad else "")
    with transaction.atomic(), audit.attributed(actor):
        return AdNotice.objects.create(
            kind=kind,
            number=common.next_number(
                AdNotice, number_head(kind, issued_on.year), width=3, tail="号"
            ),
            entity=entity,
            party=party,
            ad=ad,
            issued_on=issued_on,
            deadline=deadline,
            content=content.strip(),
            officer=actor,
            unit_id=unit_id,
            region_code=region,
        )


def _deadline(deadline: dt.date | None, issued_on: dt.date | None) -> None:
    if deadline is None:
        common.fail("deadline", _("请填写履行期限（YYYY-MM-DD）"))
    if issued_on is not None and deadline is not None and deadline <= issued_on:
        common.fail(
            "deadline",
            _("履行期限应晚于送达日期 %(d)s：%(v)s") % {"d": issued_on, "v": deadline},
        )


def record_outcome(
    *, notice: AdNotice, actor: Officer, complied: bool, on: dt.date | None, note: str
) -> AdNotice:
    """已履行 (checked any day from issue), or 逾期未履行 (only once the deadline has passed)."""
    common.require(actor, notice.unit_id)
    to = S.COMPLIED if complied else S.NOT_COMPLIED
    NOTICE.check(notice, to)
    errors = common.collect(
        lambda: common.day(
            on, "outcome_on", _("核实日期"), earliest=notice.issued_on, earliest_what=_("送达日期")
        ),
        lambda: common.text(note, "outcome_note", _("履行情况"), limit=500),
    )
    common.refuse(errors)
    assert on is not None
    if not complied and on <= notice.deadline:
        raise InvalidInput.single(
            "outcome_on",
            _("履行期限 %(d)s 尚未届满，不能认定逾期未履行") % {"d": notice.deadline},
        )
    with transaction.atomic(), audit.attributed(actor):
        current = AdNotice.objects.select_for_update().filter(pk=notice.pk)
        if current.values_list("status", flat=True).first() != notice.status:
            raise Conflict(_("该文书已被他人更新，请刷新后重试"))
        NOTICE.move(notice, to)
        notice.outcome_on = on
        notice.outcome_note = note.strip()
        notice.save()
    return notice


def actions_for(notice: AdNotice, actor: Any) -> list[str]:
    if not common.may_act(actor, notice.unit_id) or notice.status != S.ISSUED:
        return []
    return ["outcome"]


# Confiscations -------------------------------------------------------------------------------


def _quantity(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        common.fail("quantity", _("数量应为正整数：%(v)s") % {"v": value})
        raise AssertionError from None
    if number < 1 or number > MAX_QUANTITY:
        common.fail(
            "quantity",
            _("数量应在 1 至 %(n)d 份之间：%(v)s") % {"n": MAX_QUANTITY, "v": number},
        )
    if str(value).strip() != str(number):
        common.fail("quantity", _("数量应为正整数：%(v)s") % {"v": value})
    return number


def record_confiscation(
    *,
    actor: Officer,
    seized_on: dt.date | None,
    description: str,
    quantity: Any,
    entity: Entity | None = None,
    party: str = "",
    notice: AdNotice | None = None,
) -> Confiscation:
    """Record illegal printed matter (违法印刷品) confiscated from a party."""
    common.require(actor)
    if notice is not None and entity is None:
        entity = notice.entity
        party = party or notice.party
    party = (party or "").strip() or (entity.name if entity else "")
    earliest = entity.registered_on if entity else None
    errors = common.collect(
        lambda: common.text(party, "party", _("当事人"), limit=200),
        lambda: common.text(description, "description", _("印刷品名称"), limit=200),
        lambda: _quantity(quantity),
        lambda: common.day(
            seized_on,
            "seized_on",
            _("收缴日期"),
            earliest=earliest,
            earliest_what=_("当事人入册日期"),
        ),
    )
    common.refuse(errors)
    assert seized_on is not None
    unit_id = entity.unit_id if entity else (notice.unit_id if notice else actor.unit_id)
    if unit_id is None:
        raise InvalidInput.single("entity", _("无法确定监管单位：请选择当事人主体"))
    common.require(actor, unit_id)
    with transaction.atomic(), audit.attributed(actor):
        return Confiscation.objects.create(
            entity=entity,
            party=party,
            seized_on=seized_on,
            description=description.strip(),
            quantity=_quantity(quantity),
            notice=notice,
            officer=actor,
            unit_id=unit_id,
            region_code=entity.region_code if entity else "",
        )
