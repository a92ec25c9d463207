"""What advertising supervision adds to the entity dossier (ADR 0012): the entity's ad roles
and annual checks, its filings, the monitored ads it placed and the notices it received, newest
first, as the user's units see them.

Registered from ``AdsConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads.filings.models import Filing
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices.models import AdNotice
from xiaoneng.ads.operators.models import QualificationCheck
from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow

ROWS = 8


@panels.register
class EntityAds(DossierPanel):
    """广告监管 of the entity: checks, filings, monitored ads and notices in one timeline."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity, user = self.entity(), self.user
        rows: list[HistoryRow] = []
        for check in scoped(QualificationCheck.objects.filter(operator__entity=entity), user)[
            :ROWS
        ]:
            rows.append(
                HistoryRow(
                    day=check.checked_on,
                    text=_("%(y)d年度广告经营资格检查") % {"y": check.year},
                    url=reverse("ads:operator_detail", args=[check.operator_id]),
                    status=check.get_status_display(),
                )
            )
        for filing in scoped(Filing.objects.filter(advertiser=entity), user)[:ROWS]:
            rows.append(
                HistoryRow(
                    day=filing.submitted_on,
                    text=_("发布前备案 %(n)s %(t)s") % {"n": filing.number, "t": filing.title},
                    url=reverse("ads:filing_detail", args=[filing.pk]),
                    status=filing.get_status_display(),
                )
            )
        for ad in scoped(MonitoredAd.objects.filter(advertiser=entity), user)[:ROWS]:
            rows.append(
                HistoryRow(
                    day=timezone.localdate(ad.captured_at),
                    text=_("监测广告（%(m)s）：%(t)s")
                    % {"m": ad.get_medium_display(), "t": ad.text[:30]},
                    url=reverse("ads:monitored_detail", args=[ad.pk]),
                    status=ad.get_review_display(),
                    tone="danger" if ad.review == MonitoredAd.Review.VIOLATION else "light",
                )
            )
        for notice in scoped(AdNotice.objects.filter(entity=entity), user)[:ROWS]:
            rows.append(
                HistoryRow(
                    day=notice.issued_on,
                    text=f"{notice.number} {notice.get_kind_display()}",
                    url=reverse("ads:notice_detail", args=[notice.pk]),
                    status=notice.get_status_display(),
                )
            )
        if not rows:
            return None

        def day(row: HistoryRow) -> dt.date:
            value = row.day
            return value.date() if isinstance(value, dt.datetime) else value or dt.date.min

        rows.sort(key=day, reverse=True)
        return HistoryCard("ads", _("广告监管"), rows[:ROWS], len(rows))
