"""A year of monitored ads in the demo county (a few hundred, lawful and unlawful wording),
their hits confirmed or dismissed, violations by local advertisers filed as cases, ordered
rectified (责令改正: a finding and its order through follow-up, most complied with, some left
overdue) or met with notices, the notices' outcomes, and confiscated leaflets, through the ads
services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.ads.monitoring import findings as ad_findings
from xiaoneng.ads.monitoring import services as monitoring
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices import services as notices
from xiaoneng.ads.notices.models import AdNotice
from xiaoneng.core.errors import DomainError
from xiaoneng.demo.ads.operators import directors
from xiaoneng.demo.ads.texts import LAWFUL, VIOLATING
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.followup import services as followup
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.inspections.followup.overdue import overdue, warn_overdue
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

ADS = 320
VIOLATING_SHARE = 0.35
LOCAL_SHARE = 0.5
OUTLETS = {
    "tv": ("伊宁示范县电视台综合频道", "示范县电视台公共频道"),
    "radio": ("示范县人民广播电台交通频率",),
    "newspaper": ("《示范县报》", "《伊犁晚报》分类广告版"),
    "outdoor": ("解放路公交站牌", "人民广场LED大屏", "汽车站候车厅灯箱"),
    "leaflet": ("人民路口散发传单", "农贸市场门口散发传单"),
    "internet": ("示范县融媒体中心网站", "本地生活服务公众号"),
}
MEDIA = tuple(OUTLETS)
MEDIA_SHARES = (0.22, 0.1, 0.12, 0.2, 0.16, 0.2)
RECTIFY_SHARE = 0.6  # of the local violations not filed as a case
RECTIFY_DAYS = (5, 10, 15)
COMPLIED = 0.75  # orders whose deadline passed that were complied with; the rest overdue


def build_monitoring(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=365)
    staff = directors(organisation)
    stations = sorted(staff)
    locals_ = list(
        Entity.objects.filter(
            status=Entity.Status.OPERATING, unit_id__in=stations, registered_on__lt=today
        ).order_by("pk")[:3000]
    )
    counts = {"ads": 0, "cases": 0, "orders": 0, "rectified": 0, "notices": 0, "seized": 0}
    with transaction.atomic():
        for _n in range(ADS):
            ad = _record(rng, staff, stations, locals_, start, today)
            counts["ads"] += 1
            if ad.review == MonitoredAd.Review.PENDING:
                _review(rng, ad, staff, today, counts)
        counts["warned"] = _warn_overdue(today)
    progress(
        f"广告监测：{counts['ads']} 条，立案 {counts['cases']} 件，"
        f"责令改正 {counts['orders']} 件（已整改 {counts['rectified']} 件，"
        f"逾期警示 {counts['warned']} 件），"
        f"文书 {counts['notices']} 份，收缴印刷品 {counts['seized']} 次"
    )


def _warn_overdue(today: dt.date) -> int:
    """The daily job's warning (警示) of each order left overdue, given on the day after its
    re-inspection day as the job would have (earliest first: it warns every order overdue)."""
    orders = Rectification.objects.filter(overdue(today))
    days: set[dt.date] = {
        day for day in orders.values_list("reinspection_task__due_on", flat=True) if day is not None
    }
    return sum(warn_overdue(today=day + dt.timedelta(days=1)) for day in sorted(days))


def _record(
    rng: np.random.Generator,
    staff: dict[int, Officer],
    stations: list[int],
    locals_: list[Entity],
    start: dt.date,
    today: dt.date,
) -> MonitoredAd:
    unlawful = rng.random() < VIOLATING_SHARE
    pool = VIOLATING if unlawful else LAWFUL
    kind, name, text = pool[int(rng.integers(len(pool)))]
    medium = MEDIA[int(rng.choice(len(MEDIA), p=MEDIA_SHARES))]
    outlets = OUTLETS[medium]
    advertiser = None
    if locals_ and rng.random() < LOCAL_SHARE:
        advertiser = locals_[int(rng.integers(len(locals_)))]
    first = max(start, advertiser.registered_on) if advertiser else start
    day = first + dt.timedelta(days=int(rng.integers(max((today - first).days, 0) + 1)))
    moment = dt.datetime.combine(day, dt.time(int(rng.integers(7, 22)), int(rng.integers(60))))
    captured = min(timezone.make_aware(moment), timezone.now() - dt.timedelta(minutes=10))
    unit = advertiser.unit_id if advertiser else stations[int(rng.integers(len(stations)))]
    return monitoring.record_ad(
        actor=staff[unit],
        ad=monitoring.AdInput(
            medium=medium,
            outlet=outlets[int(rng.integers(len(outlets)))],
            advertiser=advertiser,
            advertiser_name="" if advertiser else name,
            kind=kind,
            text=text,
            captured_at=captured,
        ),
    )


def _review(
    rng: np.random.Generator,
    ad: MonitoredAd,
    staff: dict[int, Officer],
    today: dt.date,
    counts: dict[str, int],
) -> None:
    """Hits of ads older than a week are decided; most confirmed, some dismissed."""
    seen = timezone.localdate(ad.captured_at)
    if (today - seen).days < 7:
        return
    actor = staff[ad.unit_id]
    for hit in ad.hits.all():
        confirm = rng.random() < 0.85
        note = "经核实，广告用语违反规定" if confirm else "结合上下文为合法表述，排除"
        monitoring.decide_hit(hit=hit, actor=actor, confirm=confirm, note=note)
    ad.refresh_from_db()
    if ad.review != MonitoredAd.Review.VIOLATION:
        return
    acted = min(seen + dt.timedelta(days=int(rng.integers(1, 6))), today)
    if ad.advertiser_id is not None and rng.random() < 0.3:
        monitoring.file_case(ad=ad, actor=actor, on=acted)
        counts["cases"] += 1
        return
    local = ad.advertiser_id is not None
    if local and rng.random() < RECTIFY_SHARE and _rectify(rng, ad, actor, acted, today, counts):
        return
    kind = ("warning", "rectify", "stop")[int(rng.choice(3, p=(0.5, 0.35, 0.15)))]
    notice = notices.issue_notice(
        actor=actor,
        kind=kind,
        issued_on=acted,
        deadline=acted + dt.timedelta(days=15),
        content=f"你单位在{ad.outlet}发布的广告含有违法用语，请于期限内停止发布并改正。",
        ad=ad,
    )
    counts["notices"] += 1
    _outcome(rng, notice, actor, today)
    if ad.medium == "leaflet":
        notices.record_confiscation(
            actor=actor,
            seized_on=acted,
            description=f"{ad.advertiser_name}宣传单",
            quantity=int(rng.integers(50, 2000)),
            notice=notice,
        )
        counts["seized"] += 1


def _outcome(rng: np.random.Generator, notice: AdNotice, actor: Officer, today: dt.date) -> None:
    complied = rng.random() < 0.85
    on = (
        notice.issued_on + dt.timedelta(days=int(rng.integers(1, 15)))
        if complied
        else notice.deadline + dt.timedelta(days=3)
    )
    if on > today:
        return
    note = "已停止发布并改正" if complied else "期满复查仍在发布"
    notices.record_outcome(notice=notice, actor=actor, complied=complied, on=on, note=note)


def _rectify(
    rng: np.random.Generator,
    ad: MonitoredAd,
    actor: Officer,
    acted: dt.date,
    today: dt.date,
    counts: dict[str, int],
) -> bool:
    """The advertiser ordered rectified on ``acted`` (a finding and its order through
    follow-up); an order whose deadline has passed was mostly complied with before it (on
    documentary proof), else it stands overdue. False when no order could be issued that day
    (no checklist or holiday calendar yet): a notice is sent instead."""
    try:
        ad_findings.order_rectification(
            ad=ad,
            actor=actor,
            working_days=int(rng.choice(RECTIFY_DAYS)),
            today=acted,
        )
    except DomainError:
        return False
    counts["orders"] += 1
    order = ad.finding.rectification if ad.finding else None
    assert order is not None
    span = max((order.deadline - order.issued_on).days, 1)
    on = order.issued_on + dt.timedelta(days=int(rng.integers(1, span + 1)))
    past_deadline = order.deadline < today
    if on > today or (past_deadline and rng.random() >= COMPLIED):
        return True  # still within its term, or overdue
    if not past_deadline and rng.random() < 0.5:
        return True  # not yet reported
    followup.record_rectified(
        rectification=order,
        actor=actor,
        outcome="已停止发布并删除违法用语，提交整改报告及发布截图，经核实整改到位",
        today=on,
    )
    counts["rectified"] += 1
    return True
