"""The demo county's year of service cases (办件, 篇5 and 篇9), as the permits services write them.

About 1,500 applications over the stations' working days: most registrations (one officer
reviews and approves, 一审一核) and food business licences, done within the committed limit;
some told once to bring a missing material (补正, the clock suspended), a few told twice (a
breach of 一次性告知), a few tested or announced, a few late, some refused at the window or
withdrawn, and the latest still open so warnings show. 设立登记 applicants are people and firms
not yet registered (no entity); the other items concern an entity of the station registered
before the application.

Each case is drafted in memory step by step as ``timeliness.permits`` would take it, then all
are written at once (``permit_drafts``: bulk inserts instead of a dozen saves a case). A draft
whose day the services would refuse is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import DomainError
from xiaoneng.demo.days import is_working
from xiaoneng.demo.inspections.context import Context, context
from xiaoneng.demo.names import person_names
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.timeliness.permit_drafts import Draft, write
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks.models import SuspensionReason
from xiaoneng.timeliness.permits import items as item_service
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.models import ItemCategory, ServiceCase, ServiceItem

CASES = 1500
# Share of applications per item code (the rest spread evenly over the other items).
WEIGHTS = {
    "DJ-005": 0.26,  # 个体工商户设立登记
    "DJ-006": 0.08,
    "DJ-007": 0.06,
    "DJ-001": 0.12,  # 公司设立登记
    "DJ-002": 0.08,
    "DJ-003": 0.03,
    "XK-001": 0.14,  # 食品经营许可（新办）
    "XK-002": 0.04,
    "XK-003": 0.05,
    "QT-001": 0.03,
}
FIRM_WORDS = ("鑫源", "顺达", "瑞丰", "天山", "博兴", "金泽", "恒泰", "丝路", "绿洲", "雪莲")
FIRM_TRADES = ("商贸", "餐饮", "农业科技", "建材", "物流", "百货", "汽车服务", "文化传媒")
SHOP_TRADES = ("便利店", "小吃店", "理发店", "五金店", "手机维修部", "烧烤店", "水果店")
RECENT_DAYS = 28  # cases accepted this recently are often still in progress
STALLED = 0.004  # older cases left in progress: overdue, red
OPINIONS = ("材料齐全，符合法定形式", "经审查符合条件", "同意")
S = ServiceCase.Status


@dataclass
class Desk:
    """A station's window: its officers (grid officers and director) and its director."""

    station_id: int
    officers: list[Officer]
    director: Officer


def _desks(ctx: Context) -> list[Desk]:
    staff_ids = {pk for ids in ctx.people.station_staff.values() for pk in ids}
    officers = {o.pk: o for o in Officer.objects.filter(pk__in=staff_ids, is_active=True)}
    desks = []
    for station in ctx.people.stations:
        ids = [pk for pk in ctx.people.station_staff.get(station.pk, []) if pk in officers]
        director = officers.get(ctx.people.directors.get(station.pk, 0))
        if len(ids) >= 2 and director is not None:
            desks.append(Desk(station.pk, [officers[pk] for pk in ids], director))
    return desks


def _working_days(first: dt.date, last: dt.date, calendar: WorkingCalendar) -> list[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if is_working(calendar, d)]


class Builder:
    """One application after another, each as far as its dates allow by today."""

    def __init__(self, ctx: Context, desks: list[Desk], calendar: WorkingCalendar) -> None:
        self.rng, self.today, self.calendar = ctx.rng, ctx.today, calendar
        self.desks = desks
        self.stations = {s.pk: s for s in ctx.people.stations}
        self.items = {i.code: i for i in ServiceItem.objects.filter(active=True)}
        self.entities = {
            desk.station_id: list(
                Entity.objects.filter(unit_id=desk.station_id)
                .order_by("id")
                .values_list("id", "name", "registered_on", "kind")
            )
            for desk in desks
        }
        self.counts = {"cases": 0, "notices": 0, "breaches": 0, "open": 0}
        self.drafts: list[Draft] = []
        self.numbers: dict[int, int] = {}

    def later(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days after ``day`` (``day`` itself for none)."""
        return day if n <= 0 else self.calendar.add_working_days(day, n)

    def number(self, year: int) -> str:
        """The next case number of ``year`` (``permits.services.next_number``)."""
        if year not in self.numbers:
            self.numbers[year] = int(permits.next_number(year).rsplit("-", 1)[1]) - 1
        self.numbers[year] += 1
        return f"{permits.NUMBER_PREFIX}{year}-{self.numbers[year]:06d}"

    def pick_item(self) -> ServiceItem:
        codes = [c for c in self.items if c in WEIGHTS]
        rest = [c for c in self.items if c not in WEIGHTS]
        left = max(0.0, 1 - sum(WEIGHTS[c] for c in codes))
        weights = [WEIGHTS[c] for c in codes] + [left / len(rest)] * len(rest)
        chosen = self.rng.choice(len(weights), p=np.array(weights) / sum(weights))
        return self.items[(codes + rest)[int(chosen)]]

    def applicant(self, item: ServiceItem, desk: Desk, received: dt.date) -> tuple[str, int | None]:
        """Who applies: a new firm or person for 设立登记, else an entity registered before."""
        rng = self.rng
        if item.category == ItemCategory.REGISTRATION and "设立" in item.name:
            if "个体" in item.name:
                person = person_names(rng, 1)[0][0]
                return f"{person}（{rng.choice(FIRM_WORDS)}{rng.choice(SHOP_TRADES)}）", None
            return f"{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_TRADES)}有限公司", None
        pool = self.entities.get(desk.station_id, [])
        for _try in range(6):
            if not pool:
                break
            pk, name, registered, _kind = pool[int(rng.integers(len(pool)))]
            if registered is None or registered <= received:
                return name, pk
        return person_names(rng, 1)[0][0], None

    def build(self, received: dt.date) -> None:
        """One application received on ``received``, taken as far as today allows."""
        rng = self.rng
        desk = self.desks[int(rng.integers(len(self.desks)))]
        item = self.pick_item()
        name, entity_id = self.applicant(item, desk, received)
        receiver = desk.officers[int(rng.integers(len(desk.officers)))]
        station = self.stations[desk.station_id]
        case = Draft(
            case={
                "number": self.number(received.year),
                "item_id": item.pk,
                "applicant": name.strip(),
                "applicant_phone": f"13{int(rng.integers(100000000, 999999999))}",
                "entity_id": entity_id,
                "unit_id": station.pk,
                "region_code": station.region_code,
                "status": S.RECEIVED,
                "first_officer_id": receiver.pk,
                "responsible_id": receiver.pk,
                "received_on": received,
                "accepted_on": None,
                "completed_on": None,
                "outcome": ServiceCase.Outcome.NONE,
                "note": "",
            },
            receiver=receiver,
            today=self.today,
            last=received,
        )
        case.stage(S.RECEIVED, receiver, received)
        self.counts["cases"] += 1
        self.drafts.append(case)
        fate = rng.random()
        if fate < 0.03:
            reason = "不属于本机关职权范围，已告知向有关机关申请"
            case.stage(S.REJECTED, receiver, received, reason)
            case.case["completed_on"] = received
            return
        accepted = self.later(received, int(rng.random() < 0.3))
        if accepted > self.today:
            self.counts["open"] += 1
            return
        case.stage(S.ACCEPTED, receiver, accepted)
        case.case["accepted_on"] = accepted
        case.open_clock(item, accepted, self.calendar)
        self.run(case, item, desk, receiver, accepted, fate)

    def run(
        self,
        case: Draft,
        item: ServiceItem,
        desk: Desk,
        receiver: Officer,
        accepted: dt.date,
        fate: float,
    ) -> None:
        """From acceptance on: notices and suspensions, review, approval, completion."""
        rng, committed = self.rng, item.committed_days
        if fate < 0.045:
            used = int(rng.integers(committed + 1, item.statutory_days + 3))  # late
        else:
            used = int(rng.integers(0, committed + 1))
        day = accepted
        if fate > 0.86 and used >= 1:
            day = self.correction(case, item, receiver, day, second=fate > 0.985)
            if day > self.today:
                return
        elif 0.84 < fate <= 0.86 and item.category == ItemCategory.LICENCE:
            day = self.suspension(case, receiver, day)
            if day > self.today:
                return
        if 0.06 < fate < 0.08:
            on = self.later(day, max(1, used // 2))
            if on <= self.today:
                case.stage(S.WITHDRAWN, receiver, on, "申请人主动撤回申请")
                case.case["completed_on"] = on
                case.stop(on, self.calendar)
            return
        done = self.later(day, used)
        recent = (self.today - accepted).days <= RECENT_DAYS
        if done > self.today or (recent and rng.random() < 0.4) or rng.random() < STALLED:
            self.stall(case, item, receiver, day)
            return
        opinion = OPINIONS[int(rng.integers(len(OPINIONS)))]
        if item.single_review:  # 一审一核: reviewed and approved in one step
            case.stage(S.REVIEWING, receiver, done, opinion)
            case.stage(S.APPROVING, receiver, done, opinion)
        else:
            case.stage(S.REVIEWING, receiver, done, opinion)
            approver = desk.director if desk.director.pk != receiver.pk else desk.officers[0]
            if approver.pk == receiver.pk:
                approver = desk.officers[1]
            case.stage(S.APPROVING, approver, done, "同意")
        outcome = "refused" if rng.random() < 0.02 else "granted"
        case.stage(S.COMPLETED, receiver, done)
        case.case.update(completed_on=done, outcome=outcome)
        case.stop(done, self.calendar)

    def stall(self, case: Draft, item: ServiceItem, officer: Officer, day: dt.date) -> None:
        """Still in progress today: reviewed at most (its clock running, warned when late)."""
        self.counts["open"] += 1
        on = self.later(day, 1)
        if not item.single_review and on <= self.today and self.rng.random() < 0.5:
            case.stage(S.REVIEWING, officer, on, "审查中")

    def correction(
        self, case: Draft, item: ServiceItem, officer: Officer, day: dt.date, *, second: bool
    ) -> dt.date:
        """一次性告知 after a day or two, the materials back after a few working days (told twice
        when ``second``: a breach); the day the clock runs again."""
        rng = self.rng
        lines = item_service.material_lines(item)
        told = self.later(day, int(rng.integers(0, 2)))
        back = self.later(told, int(rng.integers(1, 8)))
        for round_ in range(2 if second else 1):
            if told > self.today:
                return told
            picked = [lines[int(rng.integers(len(lines)))]] if lines else ["补充说明材料"]
            sequence = len(case.notices) + 1
            note = _("一次性告知补正（第 %(n)d 次）：%(m)s") % {
                "n": sequence,
                "m": "、".join(picked),
            }
            case.day(told, case.last)
            suspension = case.suspend(
                SuspensionReason.CORRECTION, note, told, officer, self.calendar
            )
            case.notices.append((told, officer, "\n".join(picked), suspension))
            self.counts["notices"] += 1
            self.counts["breaches"] += round_ > 0
            if back > self.today:
                return back
            case.resume(back, self.calendar)
            told, back = back, self.later(back, int(rng.integers(1, 5)))
        return told

    def suspension(self, case: Draft, officer: Officer, day: dt.date) -> dt.date:
        """A licence's samples tested or its application announced: the clock stands still."""
        rng = self.rng
        reason, note = (("testing", "现场核查抽取样品送检"), ("announcement", "许可事项依法公告"))[
            int(rng.integers(2))
        ]
        start = self.later(day, 1)
        end = self.later(start, int(rng.integers(3, 11)))
        if start > self.today:
            return start
        case.suspend(reason, note, start, officer, self.calendar)
        if end > self.today:
            return end
        case.resume(end, self.calendar)
        return end


def build_permits(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
    cases: int = CASES,
) -> None:
    """The starter service items, and a year of service cases up to ``now``."""
    item_service.load_items()
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    desks = _desks(ctx)
    if not desks:
        return
    calendar = WorkingCalendar.load()
    days = _working_days(ctx.window, ctx.today, calendar)
    builder = Builder(ctx, desks, calendar)
    picks = np.sort(rng.integers(0, len(days), size=cases))
    skipped = 0
    for index in picks.tolist():
        drafted, numbers = len(builder.drafts), dict(builder.numbers)
        try:
            builder.build(days[index])
        except DomainError:
            # A date the services refuse (a calendar gap): left out, its number free again.
            del builder.drafts[drafted:]
            builder.numbers = numbers
            skipped += 1
    with transaction.atomic():
        write(builder.drafts)
    counts = builder.counts
    progress(
        f"办件 service cases: {counts['cases']} ({counts['open']} 在办 open, "
        f"{counts['notices']} 一次性告知 notices, {counts['breaches']} 违反 breaches"
        + (f", {skipped} skipped" if skipped else "")
        + ")"
    )
