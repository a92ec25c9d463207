"""The demo county's ad accountability ladders and joint meetings (篇1) over its year.

Reviewers at a few advertising outlets and a few advertisers, operators and publishers with
histories at different rungs of their ladders — some steps confirmed, one declined, some
proposals left pending for a director to decide — and a joint meeting each quarter with its
follow-ups (the older ones done) and shared leads. Everything goes through the services, as
the station director (or, for the bureau's own entities and the meetings, division staff).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db.models import Q
from django.utils import timezone

from xiaoneng.ads.governance import meetings, services
from xiaoneng.ads.governance.meetings import FollowUpDraft
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role
from xiaoneng.registry.models import Entity

AD_INDUSTRIES = ("L7259", "L7251")
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("晓明", "丽华", "建国", "海燕", "志强", "秀英", "文杰", "雪梅")
# Each reviewer's script: (event kind, day offset into the calendar year, decision: None
# pending, True confirm, str declined with that reason) for the step the event completes. The
# reviewer ladder counts within a calendar year, so the offsets stay within one.
REVIEWER_SCRIPTS: tuple[tuple[tuple[str, int, bool | str | None], ...], ...] = (
    (("criticism_notice", 60, True),),
    (("criticism_notice", 40, True), ("criticism_notice", 180, None)),
    (("violation_warning", 100, None),),
    (("violation_warning", 80, True), ("violation_warning", 150, True)),
    (("serious_error", 170, None),),
    (("criticism_notice", 120, "该通报经复核已撤回"),),
    (),
    (),
)
FACTS = {
    "criticism_notice": "所编审的医疗广告含“根治”“无效退款”等用语，被县市场监管局通报批评",
    "violation_warning": "所编审的保健食品广告宣称疾病治疗功能，被下达违规警告通知书",
    "serious_error": "未经审查发布未取得广告审查批准文号的药品广告，造成恶劣影响",
    "illegal_ad": "监测发现其发布含“国家级”“最佳”等绝对化用语的违法广告",
    "warning_notice": "经通报批评后仍不改正，被下发警告通知书",
}
MEMBERS = (
    ["propaganda", "public_security", "health", "drugs", "radio_tv"],
    ["propaganda", "health", "drugs", "cyberspace", "press"],
    ["propaganda", "public_security", "health", "drugs", "discipline"],
    ["propaganda", "health", "drugs", "radio_tv", "cyberspace", "press"],
)
TOPICS = (
    ("通报上季度虚假违法广告监测情况", "部署医疗、药品、保健食品广告专项整治"),
    ("通报户外及印刷品广告清理情况", "研究网络广告监测协作机制"),
    ("通报广告审查员责任追究落实情况", "部署广告经营单位年度核验前的检查"),
    ("总结全年广告监管工作", "研究下一年度联席会议工作要点"),
)
TASKS = (
    ("health", "对违法医疗广告涉及的医疗机构依法查处并反馈结果"),
    ("drugs", "核查药品、保健食品广告审查批准文号"),
    ("radio_tv", "督促广播电视媒体停播违法广告"),
    ("cyberspace", "协调网站平台删除违法广告信息"),
    ("public_security", "对涉嫌犯罪的虚假广告线索依法立案侦查"),
    ("press", "督促报刊媒体落实广告审查员制度"),
)


def year_base(start: dt.date, today: dt.date) -> dt.date:
    """The first day of a calendar year with at least 190 days inside [start, today]."""
    january = dt.date(today.year, 1, 1)
    if (today - january).days >= 190:
        return january
    return max(start, dt.date(today.year - 1, 1, 1))


def _ad_entities(start: dt.date, count: int) -> list[Entity]:
    founded = Q(established__lt=start) | Q(established__isnull=True, registered_on__lt=start)
    rows = Entity.objects.filter(
        founded, industry_id__in=AD_INDUSTRIES, archived_at__isnull=True, status="operating"
    ).order_by("id")
    return list(rows[:count])


def _division_staff(organisation: Organisation) -> Officer | None:
    for officer in Officer.objects.filter(roles__code=Role.DIVISION_STAFF, is_active=True):
        if meetings.meeting_unit(officer) == organisation.bureau:
            return officer
    return None


def _actor(organisation: Organisation, entity: Entity, staff: Officer) -> Officer:
    director = organisation.directors.get(entity.unit_id)
    return Officer.objects.get(pk=director) if director else staff


def _play(
    subject: services.Subject,
    script: tuple[tuple[str, int, bool | str | None], ...],
    start: dt.date,
    today: dt.date,
    actor: Officer,
) -> None:
    for number, (kind, offset, decision) in enumerate(script, 1):
        day = min(start + dt.timedelta(days=offset), today)
        event = services.record_event(
            subject=subject,
            kind=kind,
            occurred_on=day,
            facts=FACTS.get(kind, kind),
            source_document=f"示范县市监广〔{day.year}〕{offset + number}号",
            actor=actor,
        )
        _decide(subject, event.occurred_on, decision, today, actor)


def _decide(
    subject: services.Subject,
    day: dt.date,
    decision: bool | str | None,
    today: dt.date,
    actor: Officer,
) -> None:
    """Decide the proposals an event left pending, as the script says."""
    if decision is None:
        return
    for proposal in services.history(subject).proposals:
        outcomes = subject.ladder.step(proposal.step).outcomes
        services.decide_step(
            subject=subject,
            key=proposal.key,
            confirm=decision is True,
            reason=decision if isinstance(decision, str) else "",
            outcome=outcomes[0][0] if outcomes else "",
            document=f"示范县市监广决〔{day.year}〕{proposal.trigger.id}号",
            decided_on=min(day + dt.timedelta(days=5), today),
            actor=actor,
        )


def _party_scripts(
    start: dt.date, today: dt.date
) -> list[list[tuple[str, int, bool | str | None]]]:
    """The parties' scripts: interviews, then criticism, warnings, the verification step."""
    cycles: list[tuple[str, int, bool | str | None]] = [
        ("illegal_ad", d, True) for d in (20, 60, 100)
    ]
    # Three warning notices in one calendar year: the verification step, confirmed (缓验).
    offsets = [(year_base(start, today) - start).days + day for day in (10, 70, 130)]
    warnings: list[tuple[str, int, bool | str | None]] = [
        ("warning_notice", offset, n == len(offsets) or None) for n, offset in enumerate(offsets, 1)
    ]
    return [
        [("illegal_ad", 30, True)],
        [*cycles, ("illegal_ad", 200, None)],
        [*cycles, ("illegal_ad", 150, True), ("illegal_ad", 260, None)],
        [("serious_error", 240, None)],
        [("illegal_ad", 330, None)],
        warnings,
    ]


def _meetings(
    rng: np.random.Generator, staff: Officer, start: dt.date, today: dt.date, parties: list[Entity]
) -> int:
    made = 0
    for quarter in range(4):
        held_on = start + dt.timedelta(days=45 + 90 * quarter)
        if held_on > today:
            break
        picks = rng.choice(len(TASKS), 2, replace=False)
        members = MEMBERS[quarter]
        drafts = [
            FollowUpDraft(TASKS[i][1], TASKS[i][0], held_on + dt.timedelta(days=30 * (n + 1)))
            for n, i in enumerate(picks)
            if TASKS[i][0] in members
        ]
        meeting = meetings.record_meeting(
            held_on=held_on,
            title=f"{held_on.year}年第{(held_on.month - 1) // 3 + 1}季度虚假违法广告整治联席会议",
            convening_department="market",
            member_departments=members,
            attendees="县市场监管局分管副局长（主持）；各成员单位分管领导、业务股室负责人",
            topics="；".join(TOPICS[quarter]),
            decisions="各成员单位按职责分工落实整治任务，每月互通监测和查处情况",
            follow_ups=drafts,
            actor=staff,
        )
        for item in meeting.follow_ups.all():
            if item.deadline < today - dt.timedelta(days=10):
                meetings.complete_follow_up(
                    item=item,
                    done_on=item.deadline - dt.timedelta(days=5),
                    result="已按期落实，情况已书面反馈召集部门",
                    actor=staff,
                )
        party = parties[quarter % len(parties)] if parties else None
        meetings.share_lead(
            meeting=meeting,
            from_department=members[2],
            content="群众举报其发布含疗效承诺的违法广告，请市场监管部门核查",
            party_name=party.name if party else "",
            actor=staff,
        )
        made += 1
    return made


def build_ads_governance(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Reviewers and parties with ladder histories, and the year's quarterly joint meetings."""
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=364)
    staff = _division_staff(organisation)
    if staff is None:
        return
    entities = _ad_entities(start, 4 + 6)
    outlets, parties = entities[:4], entities[4:]
    reviewers = 0
    for index, script in enumerate(REVIEWER_SCRIPTS):
        if not outlets:
            break
        outlet = outlets[index % len(outlets)]
        actor = _actor(organisation, outlet, staff)
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)]
        number = f"GSC-{today.year}-{index + 1:03d}"
        reviewer = services.register_reviewer(
            name=name, outlet=outlet, certificate_no=number, actor=actor
        )
        _play(services.Subject(reviewer=reviewer), script, year_base(start, today), today, actor)
        reviewers += 1
    for party, steps in zip(parties, _party_scripts(start, today), strict=False):
        actor = _actor(organisation, party, staff)
        _play(services.Subject(party=party), tuple(steps), start, today, actor)
    held = _meetings(rng, staff, start, today, parties)
    progress(f"广告责任追究：审查员 {reviewers} 人，当事人 {len(parties)} 家；联席会议 {held} 次")
