"""A confirmed violation by a local advertiser ordered rectified (责令改正) — the lighter path
beside a case (``services.file_case``): the ad becomes a finding (问题) of the advertiser with
a rectification order and its deadline through inspections' follow-up
(``inspections.followup.sources.issue_for_source``), which plans the re-inspection, warns it
when overdue and closes it when rectified, as for an inspection's findings.

The finding is against the item of the advertising checklist (广告经营者监督检查清单) whose
legal basis names the same article of the Advertising Law as a confirmed hit (the most serious
such item; 第二十八条 无虚假广告 when none does); its description lists the confirmed wording
with each hit's legal basis.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads import common
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.operators.services import qualification_checklist
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict
from xiaoneng.inspections.checklists.models import ChecklistItem, Severity
from xiaoneng.inspections.followup import sources as followup_sources
from xiaoneng.org.models import Officer

R = MonitoredAd.Review
ARTICLE = re.compile(r"第([〇一二三四五六七八九十百零]+)条")
FALSE_AD_ARTICLE = "二十八"  # 《广告法》第二十八条 虚假广告: the item when no article matches
WORST_FIRST: dict[str, int] = {Severity.CRITICAL: 0, Severity.MAJOR: 1, Severity.MINOR: 2}


def advertising_articles(law: str) -> set[str]:
    """The articles of the Advertising Law named in ``law`` (“第九条” → “九”)."""
    found: set[str] = set()
    for part in re.split(r"[；;]", law or ""):
        if "广告法" in part:
            found.update(ARTICLE.findall(part))
    return found


def checklist_item(hits: list[AdHit], on: dt.date) -> ChecklistItem:
    """The advertising checklist's item for the confirmed ``hits``: the most serious item
    citing an article a hit cites, else the 虚假广告 item (第二十八条)."""
    items = list(qualification_checklist(on).items.order_by("position"))
    cited = set().union(*(advertising_articles(h.law) for h in hits)) if hits else set()

    def articles(item: ChecklistItem) -> set[str]:
        return set(ARTICLE.findall(item.legal_basis))

    matching = [i for i in items if articles(i) & cited]
    if matching:
        return min(matching, key=lambda i: (WORST_FIRST.get(i.severity, 3), i.position))
    fallback = [i for i in items if FALSE_AD_ARTICLE in articles(i)]
    return (fallback or items)[0]


def prefilled(ad: MonitoredAd) -> dict[str, str]:
    """The finding's description (the confirmed wording and their laws) and the order's
    requirements, as the form first shows them."""
    hits = ad.hits.filter(decision=AdHit.Decision.CONFIRMED).order_by("start", "id")
    wording = "；".join(f"“{h.match}”（{h.law}）" for h in hits)
    captured = timezone.localdate(ad.captured_at)
    return {
        "description": _("%(day)s 在%(medium)s“%(outlet)s”发布的广告含有违法用语：%(wording)s")
        % {
            "day": captured.isoformat(),
            "medium": ad.get_medium_display(),
            "outlet": ad.outlet,
            "wording": wording,
        },
        "requirements": _(
            "立即停止发布上述广告，删除或修改违法用语；整改后的广告发布前送监管单位核对，"
            "并于期限内提交书面整改报告。"
        ),
    }


def offered(ad: MonitoredAd) -> bool:
    """Whether the order applies to ``ad`` now: confirmed, a local advertiser, none yet."""
    return ad.review == R.VIOLATION and ad.advertiser_id is not None and ad.finding_id is None


def order_rectification(
    *,
    ad: MonitoredAd,
    actor: Officer,
    working_days: Any = None,
    deadline: dt.date | None = None,
    description: str | None = None,
    requirements: str | None = None,
    today: dt.date | None = None,
) -> MonitoredAd:
    """Order the local advertiser of a confirmed violation to rectify it (责令改正) by a
    deadline (exactly one of 1–60 ``working_days`` or a ``deadline`` date after the day of
    issue, hence after the capture): a finding and its order through follow-up, the ad linked
    to the finding. ``description`` and ``requirements`` default to ``prefilled``. Refused
    (nothing written) when the ad is not a confirmed violation, the advertiser is not in the
    register, or the ad was already ordered rectified."""
    common.require(actor, ad.unit_id)
    with transaction.atomic(), audit.attributed(actor):
        # The row locked: a second order for the same ad, sent at once, waits and is refused.
        locked = MonitoredAd.objects.select_for_update().get(pk=ad.pk)
        if locked.review != R.VIOLATION:
            raise Conflict(_("只有确认违法的广告才能责令改正"))
        if locked.advertiser_id is None:
            raise Conflict(_("广告主不是本地登记的市场主体，请移送其所在地市场监管部门处理"))
        if locked.finding is not None:
            order = locked.finding.rectification
            raise Conflict(_("该广告已责令改正：%(n)s") % {"n": order.number if order else ""})
        issued = today or timezone.localdate()
        captured = timezone.localdate(locked.captured_at)
        hits = list(locked.hits.filter(decision=AdHit.Decision.CONFIRMED))
        decided = [timezone.localdate(h.decided_at) for h in hits if h.decided_at]
        # Found when the last hit was confirmed (never before the capture, nor after the issue).
        found_on = max(captured, min(max(decided, default=captured), issued))
        filled = prefilled(locked)
        assert locked.advertiser is not None
        order = followup_sources.issue_for_source(
            entity=locked.advertiser,
            item=checklist_item(hits, issued),
            description=filled["description"] if description is None else description,
            requirements=filled["requirements"] if requirements is None else requirements,
            source=_("广告监测：%(medium)s“%(outlet)s”（%(day)s）")
            % {"medium": locked.get_medium_display(), "outlet": locked.outlet, "day": captured},
            source_url=reverse("ads:monitored_detail", args=[locked.pk]),
            found_on=found_on,
            actor=actor,
            working_days=working_days,
            deadline=deadline,
            today=issued,
        )
        locked.finding = order.findings.get()
        locked.save(update_fields=["finding"])
    ad.finding = locked.finding
    return ad
