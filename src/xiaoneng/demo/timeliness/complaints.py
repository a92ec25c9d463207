"""A year of complaints and reports (投诉举报) in the demo county, through the services: about 500
complaints and 150 reports, most from the 12315 platform; most handled within their limits,
some mediated successfully, some terminated, a few reports filed as cases; some still open now
(a few of them past due); and a handful of entities complained of, founded, three times or more
within the year, whose credit grade is proposed to fall to C.

Every date lies between the entity's registration (or the window's start) and ``now``; stages
follow one another; the officers are those of the entity's station.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.complaints import filing, services
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic

COMPLAINTS = 500
REPORTS = 150
REPEATED_ENTITIES = 6
# Channels, most by the 12315 platform (篇6: 12315 投诉点).
CHANNELS = (Channel.PLATFORM, Channel.HOTLINE, Channel.LETTER, Channel.VISIT, Channel.REFERRAL)
CHANNEL_SHARES = (0.58, 0.24, 0.05, 0.09, 0.04)
TOPICS = tuple(Topic)
TOPIC_SHARES = (0.26, 0.06, 0.13, 0.1, 0.05, 0.14, 0.12, 0.03, 0.03, 0.04, 0.04)
CONTENT = {
    Topic.FOOD: ("购买的食品已过保质期", "饭菜中吃出异物", "餐馆后厨卫生脏乱"),
    Topic.DRUG: ("药店销售处方药未凭处方", "化妆品标签无中文标识"),
    Topic.QUALITY: ("购买的电热水壶使用一周即损坏", "羽绒服含绒量与标注不符"),
    Topic.PRICE: ("商品结算价高于标价", "停车场收费未明码标价"),
    Topic.ADVERTISING: ("宣传单称保健食品可治病", "门头广告使用“最佳”等绝对化用语"),
    Topic.CONTRACT: ("预付卡余额拒不退还", "装修合同约定材料被更换"),
    Topic.ONLINE: ("网购商品与页面描述不符", "直播间购买商品拒绝七日无理由退货"),
    Topic.SPECIAL_EQUIPMENT: ("商场电梯运行异响", "液化气钢瓶超期未检"),
    Topic.MEASUREMENT: ("菜市场电子秤缺斤短两", "加油机计量不准"),
    Topic.UNLICENSED: ("小区内有人无照经营餐饮", "路边摊点无证售卖熟食"),
    Topic.OTHER: ("店铺经营者态度恶劣", "商场消防通道被占用"),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
AGREED_OUTCOMES = ("经调解，经营者退款并赔偿", "经调解，经营者为消费者更换商品", "双方达成和解")
TERMINATED_OUTCOMES = ("被投诉人拒绝调解", "双方分歧较大，未能达成调解协议", "投诉人撤回调解请求")
NOT_FILED_OUTCOMES = (
    "经核查，未发现违法行为",
    "违法行为轻微并及时改正，依法不予立案",
    "举报内容查无实据",
)


@dataclass
class Staff:
    """Who handles a station's complaints: its grid officers and director."""

    officers: list[Officer]
    director: Officer | None


def _staff(organisation: Organisation) -> dict[int, Staff]:
    found: dict[int, Staff] = {}
    for station in organisation.stations:
        people = list(
            Officer.objects.filter(unit=station, is_active=True, roles__code=Role.GRID_OFFICER)
            .distinct()
            .order_by("pk")
        )
        director_id = organisation.directors.get(station.pk)
        director = Officer.objects.filter(pk=director_id).first() if director_id else None
        if people or director:
            found[station.pk] = Staff(people or [director], director)  # type: ignore[list-item]
    return found


def _person(rng: np.random.Generator) -> str:
    given = "".join(GIVEN[int(i)] for i in rng.integers(len(GIVEN), size=int(rng.integers(1, 3))))
    return SURNAMES[int(rng.integers(len(SURNAMES)))] + given


def _phone(rng: np.random.Generator) -> str:
    return "13" + "".join(str(int(d)) for d in rng.integers(10, size=9))


class Builder:
    """Registers and moves the county's complaints, one at a time, through the services."""

    def __init__(
        self, rng: np.random.Generator, organisation: Organisation, today: dt.date
    ) -> None:
        self.rng = rng
        self.today = today
        self.start = today - dt.timedelta(days=365)
        self.calendar = WorkingCalendar.load()
        self.staff = _staff(organisation)
        units = list(self.staff)
        self.entities = list(
            Entity.objects.filter(
                unit_id__in=units,
                status=Entity.Status.OPERATING,
                registered_on__lt=today - dt.timedelta(days=20),
            )
            .order_by("pk")
            .values_list("pk", "unit_id", "registered_on")
        )
        self.counts = {"complaint": 0, "report": 0, "filed": 0, "open": 0}

    def day_after(self, day: dt.date, working_days: int) -> dt.date:
        return self.calendar.add_working_days(day, working_days)

    def received(self, earliest: dt.date) -> dt.date | None:
        first = max(self.start, earliest)
        span = (self.today - first).days
        if span <= 0:
            return None
        return first + dt.timedelta(days=int(self.rng.integers(span)))

    def pick_entity(self) -> tuple[Entity | None, int, dt.date]:
        """An entity of the register (most complaints name one), or none."""
        if not self.entities or self.rng.random() < 0.12:
            unit = list(self.staff)[int(self.rng.integers(len(self.staff)))]
            return None, unit, self.start
        pk, unit, registered = self.entities[int(self.rng.integers(len(self.entities)))]
        return Entity.objects.get(pk=pk), unit, registered

    def officer(self, unit: int) -> Officer:
        people = self.staff[unit].officers
        return people[int(self.rng.integers(len(people)))]

    def register(
        self, kind: str, entity: Entity | None, unit: int, day: dt.date, topic: str | None = None
    ) -> Complaint:
        rng = self.rng
        topic = topic or TOPICS[int(rng.choice(len(TOPICS), p=TOPIC_SHARES))]
        channel = CHANNELS[int(rng.choice(len(CHANNELS), p=CHANNEL_SHARES))]
        texts = CONTENT[Topic(topic)]
        real_name = kind == Complaint.Kind.COMPLAINT or rng.random() < 0.7
        actor = self.officer(unit)
        self.counts[kind] += 1
        return services.register_complaint(
            actor=actor,
            kind=kind,
            channel=channel,
            topic=str(topic),
            received_on=day,
            content=texts[int(rng.integers(len(texts)))],
            person=_person(rng) if real_name else "",
            phone=_phone(rng) if real_name else "",
            real_name=real_name,
            entity=entity,
            respondent="" if entity else "流动摊贩（未登记）",
        )

    # 投诉 --------------------------------------------------------------------------------------

    def complaint(
        self, entity: Entity | None, unit: int, day: dt.date, founded: str | None = None
    ) -> None:
        rng = self.rng
        complaint = self.register(Complaint.Kind.COMPLAINT, entity, unit, day)
        actor = complaint.handler
        late = rng.random() < 0.05
        decided = self.day_after(day, int(rng.integers(8, 11) if late else rng.integers(1, 7)))
        if decided > self.today:
            self.counts["open"] += 1
            return
        if founded is None and rng.random() < 0.08:
            services.refuse(
                complaint=complaint,
                actor=actor,
                on=decided,
                reason="不属于本部门管辖，已告知投诉人向有关部门反映",
            )
            return
        services.accept(complaint=complaint, actor=actor, on=decided)
        late = rng.random() < 0.04
        span = int(rng.integers(46, 52) if late else rng.integers(3, 40))
        ended = self.day_after(decided, span)
        if ended > self.today:
            self.counts["open"] += 1
            return
        agreed = founded is not None or rng.random() < 0.72
        if founded is None:
            founded = str(
                rng.choice(["founded", "partly", "unfounded", ""], p=[0.45, 0.2, 0.15, 0.2])
            )
        amount = None
        if agreed and rng.random() < 0.8:
            amount = f"{float(np.round(rng.lognormal(5.0, 1.0), 2)):.2f}"
        outcomes = AGREED_OUTCOMES if agreed else TERMINATED_OUTCOMES
        services.end_mediation(
            complaint=complaint,
            actor=actor,
            agreed=agreed,
            on=ended,
            outcome=outcomes[int(rng.integers(len(outcomes)))],
            amount_recovered=amount,
            founded=founded if agreed else (founded if founded == "unfounded" else ""),
        )
        if agreed:
            return
        told = self.day_after(
            ended, int(rng.integers(8, 10) if rng.random() < 0.05 else rng.integers(1, 6))
        )
        if told > self.today:
            self.counts["open"] += 1
            return
        services.notify(complaint=complaint, actor=actor, on=told, note="电话告知投诉人和被投诉人")

    # 举报 --------------------------------------------------------------------------------------

    def report(
        self, entity: Entity | None, unit: int, day: dt.date, founded: str | None = None
    ) -> None:
        rng = self.rng
        topic = None
        if entity is None:
            topic = Topic.UNLICENSED
        report = self.register(Complaint.Kind.REPORT, entity, unit, day, topic=topic)
        actor = report.handler
        extended = founded is None and rng.random() < 0.1
        span = int(rng.integers(16, 29) if extended else rng.integers(3, 15))
        decided = self.day_after(day, span)
        if extended:
            asked = self.day_after(day, int(rng.integers(10, 15)))
            director = self.staff[unit].director
            if director is not None and asked <= self.today:
                filing.extend_verification(
                    complaint=report, actor=director, note="需检验检测，同意延长核查期限"
                )
        if decided > self.today:
            self.counts["open"] += 1
            return
        file = founded is None and entity is not None and rng.random() < 0.14
        if founded is None:
            founded = (
                "founded"
                if file
                else str(rng.choice(["founded", "partly", "unfounded"], p=[0.2, 0.15, 0.65]))
            )
        outcomes = ("经核查，举报反映的问题属实，依法立案调查",) if file else NOT_FILED_OUTCOMES
        filing.decide_filing(
            complaint=report,
            actor=actor,
            file=file,
            on=decided,
            founded=founded,
            outcome=outcomes[int(rng.integers(len(outcomes)))],
        )
        if file:
            self.counts["filed"] += 1
        if not report.real_name:
            return
        told = self.day_after(decided, int(rng.integers(1, 5)))
        if told > self.today:
            self.counts["open"] += 1
            return
        services.notify(complaint=report, actor=actor, on=told, note="短信告知举报人")

    # Repeated ----------------------------------------------------------------------------------

    def repeated(self) -> None:
        """A handful of entities with four founded complaints within the year."""
        if not self.entities:
            return
        picks = self.rng.choice(
            len(self.entities), size=min(REPEATED_ENTITIES, len(self.entities)), replace=False
        )
        for index in picks:
            pk, unit, registered = self.entities[int(index)]
            entity = Entity.objects.get(pk=pk)
            for _k in range(4):
                day = self.received(registered)
                # Old enough to have been mediated and decided by now.
                while day is not None and self.day_after(day, 70) > self.today:
                    day = self.received(registered)
                if day is None:
                    break
                founded = "founded" if self.rng.random() < 0.7 else "partly"
                if self.rng.random() < 0.75:
                    self.complaint(entity, unit, day, founded=founded)
                else:
                    self.report(entity, unit, day, founded=founded)


def build_complaints(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
    scale: float = 1.0,
) -> None:
    """About 500 complaints and 150 reports over the year up to ``now`` (times ``scale``, the
    county's size against the 20,000-entity demo)."""
    today = min(timezone.localdate(now), timezone.localdate())
    builder = Builder(rng, organisation, today)
    if not builder.staff:
        return
    with transaction.atomic():
        builder.repeated()
        for kind, full in (("complaint", COMPLAINTS), ("report", REPORTS)):
            count = max(round(full * scale), 10)
            made = builder.counts[kind]
            for _k in range(max(count - made, 0)):
                entity, unit, registered = builder.pick_entity()
                day = builder.received(registered)
                if day is None:
                    continue
                if kind == "complaint":
                    builder.complaint(entity, unit, day)
                else:
                    builder.report(entity, unit, day)
    counts = builder.counts
    progress(
        f"投诉举报：投诉 {counts['complaint']} 件，举报 {counts['report']} 件，"
        f"举报立案 {counts['filed']} 件，未办结 {counts['open']} 件"
    )
