"""Pre-publication filing (发布前备案, 篇1) of medical, drug, medical device, health food and
special cosmetics ads.

《广告法》第四十六条: medical, drug, medical device, pesticide, veterinary drug and health food
ads are reviewed by the competent authority before publication; the review approval number
(广告审查批准文号) is therefore required for those kinds and must not have expired. The ad
text is scanned against the keyword feature library on submission (the hits are kept with
the library version); hits or an expired approval block acceptance, with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.filings.models import Filing, FilingKind
from xiaoneng.ads.filings.transitions import FILING
from xiaoneng.ads.operators.models import Medium
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

S = Filing.Status
# 《广告法》第四十六条: the kinds reviewed before publication.
APPROVAL_REQUIRED = frozenset(
    {"medical", "drug", "medical_device", "pesticide", "veterinary_drug", "health_food"}
)
APPROVAL_BASIS = "《中华人民共和国广告法》第四十六条"
TEXT_LIMIT = 5000


def submit_filing(
    *,
    actor: Officer,
    advertiser: Entity | None,
    kind: str,
    title: str,
    text: str,
    medium: str,
    submitted_on: dt.date | None,
    approval_number: str = "",
    approval_expires_on: dt.date | None = None,
) -> Filing:
    """Register a filing as submitted, its text scanned; refused (nothing written) without an
    approval number where 第四十六条 requires one, or with one expired on submission."""
    common.require(actor)
    approval_number = (approval_number or "").strip()
    errors = common.collect(
        lambda: common.choice(kind, "kind", _("广告类别"), FilingKind.values),
        lambda: common.text(title, "title", _("广告名称"), limit=100),
        lambda: common.text(text, "text", _("广告内容"), limit=TEXT_LIMIT),
        lambda: common.choice(medium, "medium", _("拟发布媒介"), Medium.values),
        lambda: common.day(
            submitted_on,
            "submitted_on",
            _("提交日期"),
            earliest=advertiser.registered_on if advertiser else None,
            earliest_what=_("广告主入册日期"),
        ),
        lambda: _approval(kind, approval_number, approval_expires_on, submitted_on),
    )
    if advertiser is None:
        errors += common.collect(
            lambda: common.fail("advertiser", _("请选择广告主（统一社会信用代码）"))
        )
    common.refuse(errors)
    assert advertiser is not None and submitted_on is not None
    common.require(actor, advertiser.unit_id)
    scan = common.scan_ad(text.strip(), kind)
    with transaction.atomic(), audit.attributed(actor):
        return Filing.objects.create(
            number=common.next_number(Filing, f"BA{submitted_on.year}-"),
            advertiser=advertiser,
            kind=kind,
            title=title.strip(),
            text=text.strip(),
            medium=medium,
            approval_number=approval_number,
            approval_expires_on=approval_expires_on if approval_number else None,
            submitted_on=submitted_on,
            library_version=scan.version,
            hits=scan.hits,
            officer=actor,
            unit_id=advertiser.unit_id,
            region_code=advertiser.region_code,
        )


def _approval(
    kind: str, number: str, expires_on: dt.date | None, submitted_on: dt.date | None
) -> None:
    if kind not in APPROVAL_REQUIRED and not number:
        return
    if not number:
        common.fail(
            "approval_number",
            _("%(kind)s广告须在发布前取得广告审查批准文号（%(basis)s）")
            % {"kind": FilingKind(kind).label, "basis": APPROVAL_BASIS},
        )
    if len(number) > 60 or "广" not in number or not number.endswith("号"):
        common.fail(
            "approval_number",
            _("广告审查批准文号格式不正确（如“X药广审（视）第250101-00001号”）：%(v)s")
            % {"v": number[:60]},
        )
    if expires_on is None:
        common.fail("approval_expires_on", _("请填写批准文号有效期（YYYY-MM-DD）"))
    on = min(submitted_on, common.today()) if submitted_on is not None else None
    if on is not None and expires_on is not None and expires_on < on:
        common.fail(
            "approval_expires_on",
            _("广告审查批准文号已于 %(d)s 过期") % {"d": expires_on},
        )


def blockers(filing: Filing, on: dt.date) -> list[str]:
    """Why ``filing`` cannot be accepted on ``on``: the keyword hits of its text and an
    approval expired by then (empty when it can)."""
    reasons = []
    if filing.approval_expires_on is not None and filing.approval_expires_on < on:
        reasons.append(_("广告审查批准文号已于 %(d)s 过期") % {"d": filing.approval_expires_on})
    for hit in filing.hits:
        reasons.append(
            _("广告内容“%(m)s”涉嫌%(c)s（%(law)s）")
            % {
                "m": hit.get("match", ""),
                "c": common.CATEGORIES.get(hit.get("category", ""), hit.get("category", "")),
                "law": hit.get("law", ""),
            }
        )
    return reasons


def accept_filing(*, filing: Filing, actor: Officer, on: dt.date | None) -> Filing:
    """备案: refused with the reasons while ``blockers`` names any."""
    common.require(actor, filing.unit_id)
    FILING.check(filing, S.ACCEPTED)
    day = common.day(
        on, "decided_on", _("审核日期"), earliest=filing.submitted_on, earliest_what=_("提交日期")
    )
    reasons = blockers(filing, day)
    if reasons:
        raise Conflict(_("不能备案：%(r)s") % {"r": "；".join(reasons)})
    return _move(filing, actor, S.ACCEPTED, day, "")


def return_filing(*, filing: Filing, actor: Officer, on: dt.date | None, reason: str) -> Filing:
    """退回 with the reason (the advertiser corrects the ad and files again)."""
    common.require(actor, filing.unit_id)
    FILING.check(filing, S.RETURNED)
    day = common.day(
        on, "decided_on", _("审核日期"), earliest=filing.submitted_on, earliest_what=_("提交日期")
    )
    reason = common.text(reason, "reason", _("退回理由"), limit=500)
    return _move(filing, actor, S.RETURNED, day, reason)


def revoke_filing(*, filing: Filing, actor: Officer, on: dt.date | None, reason: str) -> Filing:
    """撤销 an accepted filing (the approval withdrawn, the ad found unlawful), with the reason."""
    common.require(actor, filing.unit_id)
    FILING.check(filing, S.REVOKED)
    assert filing.decided_on is not None
    day = common.day(
        on, "decided_on", _("撤销日期"), earliest=filing.decided_on, earliest_what=_("备案日期")
    )
    reason = common.text(reason, "reason", _("撤销理由"), limit=500)
    return _move(filing, actor, S.REVOKED, day, reason)


def _move(filing: Filing, actor: Officer, to: str, day: dt.date, reason: str) -> Filing:
    with transaction.atomic(), audit.attributed(actor):
        current = Filing.objects.select_for_update().filter(pk=filing.pk)
        if current.values_list("status", flat=True).first() != filing.status:
            raise Conflict(_("该备案已被他人更新，请刷新后重试"))
        FILING.move(filing, to)
        filing.decided_on = day
        if reason:
            filing.reason = reason
            audit.set_reason(filing, reason)
        filing.save()
    return filing


def actions_for(filing: Filing, actor: Any) -> list[str]:
    """The actions the page offers ``actor`` on ``filing`` now."""
    if not common.may_act(actor, filing.unit_id):
        return []
    return [
        a
        for a, to in (("accept", S.ACCEPTED), ("return", S.RETURNED), ("revoke", S.REVOKED))
        if FILING.allows(filing.status, to)
    ]
