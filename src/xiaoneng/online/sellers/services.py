"""What a person decides for a flagged seller (篇6: 以网管网 — hits on local entities become
inspections, the rest are handed on): an inspection task, a referral (移送), or dismissal with
a reason; and what comes back of a referral.

A task is created through the campaign service (a list campaign of the one entity, placed on
its grid officer's calendar like any campaign task): the monitoring decision is the
authority for it, so the decider needs MONITOR_ONLINE, not MANAGE_CAMPAIGNS.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.online.sellers.models import Referral, Seller
from xiaoneng.online.sellers.transitions import REFERRAL, SELLER
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.planning.campaigns.services import CampaignInput, create_campaign
from xiaoneng.registry.models import Entity

S = Seller.Status
TASK_DAYS = 30  # the check is due within a month of the decision
REASON_LIMIT = 500


def _require(actor: Officer, seller: Seller) -> None:
    access.require(actor, access.MONITOR_ONLINE)
    access.require_unit(actor, seller.unit_id)


def _pending_flagged(seller: Seller, to: str) -> None:
    if not seller.flagged:
        raise Conflict(_("该卖家未被标记，无需处理"))
    SELLER.check(seller, to)


def _reason(value: str | None, *, required: bool) -> str:
    text = (value or "").strip()
    if required and len(text) < 2:
        raise InvalidInput.single("reason", _("请填写理由"))
    if len(text) > REASON_LIMIT:
        raise InvalidInput.single("reason", _("理由不能超过 %(n)d 个字") % {"n": REASON_LIMIT})
    return text


def _decided(seller: Seller, to: str, actor: Officer, reason: str) -> None:
    SELLER.move(seller, to)
    seller.decision_reason = reason
    seller.decided_by = actor
    seller.decided_at = timezone.now()


def decide_task(
    *, seller: Seller, actor: Officer, reason: str = "", today: dt.date | None = None
) -> Seller:
    """Turn the hits of a seller linked to a local entity in business into an inspection task."""
    _require(actor, seller)
    _pending_flagged(seller, S.TASK)
    text = _reason(reason, required=False)
    entity = seller.entity
    if entity is None:
        raise Conflict(_("该卖家未对应本地市场主体，不能转检查任务，请移送"))
    if entity.status != Entity.Status.OPERATING:
        raise Conflict(
            _("对应主体登记状态为“%(s)s”，不能转检查任务") % {"s": entity.get_status_display()}
        )
    today = today or timezone.localdate()
    with transaction.atomic(), audit.attributed(actor):
        campaign = create_campaign(
            data=CampaignInput(
                title=_("网络交易监测核查：%(shop)s（%(n)d）")
                % {"shop": (seller.shop or seller.seller_id)[:60], "n": seller.pk},
                theme="list",
                checkpoints=(_("核查网络交易违法线索：%(r)s") % {"r": seller.flag_reason})[:300],
                description=text,
                start_on=today,
                end_on=today + dt.timedelta(days=TASK_DAYS),
                usccs=[entity.uscc],
                unit_code=entity.unit.code if entity.unit_id else None,
            ),
            actor=None,
            today=today,
        )
        seller.campaign = campaign
        _decided(seller, S.TASK, actor, text)
        seller.save()
    return seller


def decide_referral(
    *,
    seller: Seller,
    actor: Officer,
    to_kind: str,
    to_name: str,
    referred_on: dt.date | None,
    reason: str = "",
) -> Referral:
    """Hand a flagged seller on (移送) to its platform or to the authority where it is."""
    _require(actor, seller)
    _pending_flagged(seller, S.REFERRAL)
    if to_kind not in Referral.To.values:
        raise InvalidInput.single(
            "to_kind", _("移送对象类型应为 platform 或 jurisdiction：%(v)s") % {"v": to_kind}
        )
    name = (to_name or "").strip()
    if len(name) < 2:
        raise InvalidInput.single("to_name", _("请填写移送对象"))
    if len(name) > 200:
        raise InvalidInput.single("to_name", _("移送对象不能超过 200 个字"))
    if referred_on is None:
        raise InvalidInput.single("referred_on", _("请填写移送日期（YYYY-MM-DD）"))
    if referred_on > timezone.localdate():
        raise InvalidInput.single(
            "referred_on", _("移送日期不能晚于今天：%(d)s") % {"d": referred_on}
        )
    text = _reason(reason, required=False)
    with transaction.atomic(), audit.attributed(actor):
        referral = Referral.objects.create(
            seller=seller,
            to_kind=to_kind,
            to_name=name,
            referred_on=referred_on,
            created_by=actor,
        )
        _decided(seller, S.REFERRAL, actor, text)
        seller.save()
    return referral


def dismiss(*, seller: Seller, actor: Officer, reason: str) -> Seller:
    """Dismiss a flagged seller (排除), with the reason."""
    _require(actor, seller)
    _pending_flagged(seller, S.DISMISSED)
    text = _reason(reason, required=True)
    with transaction.atomic(), audit.attributed(actor):
        _decided(seller, S.DISMISSED, actor, text)
        seller.save()
    return seller


def record_answer(
    *, referral: Referral, actor: Officer, to: str, on: dt.date | None, answer: str = ""
) -> Referral:
    """Record that the receiver took the referral, or what it did with it."""
    _require(actor, referral.seller)
    if to not in (Referral.Status.RECEIVED, Referral.Status.ANSWERED):
        raise InvalidInput.single("status", _("状态应为 received 或 answered：%(v)s") % {"v": to})
    REFERRAL.check(referral, to)
    if on is None:
        raise InvalidInput.single("on", _("请填写日期（YYYY-MM-DD）"))
    if on > timezone.localdate() or on < referral.referred_on:
        raise InvalidInput.single(
            "on",
            _("日期应在移送日期 %(a)s 与今天之间：%(d)s") % {"a": referral.referred_on, "d": on},
        )
    text = (answer or "").strip()
    if to == Referral.Status.ANSWERED and len(text) < 2:
        raise InvalidInput.single("answer", _("请填写反馈情况"))
    if len(text) > 2000:
        raise InvalidInput.single("answer", _("反馈情况不能超过 2000 个字"))
    with transaction.atomic(), audit.attributed(actor):
        REFERRAL.move(referral, to)
        if to == Referral.Status.ANSWERED:
            referral.answer = text
            referral.answered_on = on
        referral.save()
    return referral
