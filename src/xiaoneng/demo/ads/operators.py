"""Ad operators and media of the demo county, their annual qualification checks in the first
quarter, and pre-publication filings, through the ads services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.ads.filings import services as filings
from xiaoneng.ads.operators import services as operators
from xiaoneng.ads.operators.models import AdOperator, QualificationCheck
from xiaoneng.core.errors import DomainError
from xiaoneng.demo.ads.texts import LAWFUL, VIOLATING
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.records import drafts, signing
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

OPERATORS = 24
MEDIA = (
    ("tv", "伊宁示范县电视台综合频道", "王芳、李强"),
    ("radio", "示范县人民广播电台", "赵敏"),
    ("newspaper", "《示范县报》", "陈静、刘洋"),
    ("internet", "示范县融媒体中心网站", "周杰"),
)
OUTCOMES = ("qualified", "rectify", "deregister", "investigate")
OUTCOME_SHARES = (0.8, 0.12, 0.04, 0.04)
FILINGS = 40
FILING_KINDS = ("health_food", "medical", "drug", "medical_device", "special_cosmetics")
APPROVAL = {
    "health_food": "新食健广审（视）第{y}{n:04d}-00{n:03d}号",
    "medical": "（新）医广【{y}】第{n:02d}-01-{n:03d}号",
    "drug": "新药广审（文）第{y}{n:04d}-00{n:03d}号",
    "medical_device": "新械广审（视）第{y}{n:04d}-00{n:03d}号",
    "special_cosmetics": "",
}


def directors(organisation: Organisation) -> dict[int, Officer]:
    """Each station's director: who records the station's ad supervision in the demo."""
    found = Officer.objects.in_bulk(list(organisation.directors.values()))
    return {
        station: found[officer]
        for station, officer in organisation.directors.items()
        if officer in found
    }


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    span = max((last - first).days, 0)
    return first + dt.timedelta(days=int(rng.integers(span + 1)))


def build_operators(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> tuple[np.ndarray, np.ndarray]:
    """The operators and media and their year's qualification checks, each a signed visit;
    returns the visits' entity ids and day numbers, for the patrol plans to read."""
    today = timezone.localdate(now)
    year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    staff = directors(organisation)
    candidates = list(
        Entity.objects.filter(
            industry__code__startswith="L725",
            status=Entity.Status.OPERATING,
            unit_id__in=list(staff),
            registered_on__lt=dt.date(year, 1, 1),
        ).order_by("pk")
    )
    chosen = [candidates[int(i)] for i in rng.permutation(len(candidates))[: OPERATORS + 4]]
    made: list[AdOperator] = []
    with transaction.atomic():
        for index, entity in enumerate(chosen):
            actor = staff[entity.unit_id]
            since = max(entity.registered_on, dt.date(year - 1, 6, 1))
            if index < len(MEDIA):
                medium, outlet, reviewers = MEDIA[index]
                made.append(
                    operators.register_operator(
                        actor=actor,
                        entity=entity,
                        role="medium",
                        since=since,
                        medium=medium,
                        outlet=outlet,
                        reviewers=reviewers,
                    )
                )
            else:
                role = "publisher" if index % 5 == 0 else "operator"
                made.append(
                    operators.register_operator(actor=actor, entity=entity, role=role, since=since)
                )
        checks = _checks(rng, made, staff, year, today)
    progress(f"广告：{len(made)} 家广告经营单位，{checks} 次年度资格检查")
    visits = QualificationCheck.objects.filter(year=year).values_list(
        "operator__entity_id", "checked_on"
    )
    entity_ids = np.array([e for e, _d in visits], dtype=np.int64)
    days = np.array([d for _e, d in visits], dtype="datetime64[D]").astype(np.int64)
    return entity_ids, days


def build_filings(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The year's pre-publication filings, scanned with the keyword library on submission."""
    today = timezone.localdate(now)
    with transaction.atomic():
        cases = decide_checks(rng, organisation, today)
        filed = _filings(rng, organisation, directors(organisation), today)
    progress(f"广告：{cases} 次资格检查立案调查，{filed} 件发布前备案")


def _checks(
    rng: np.random.Generator,
    made: list[AdOperator],
    staff: dict[int, Officer],
    year: int,
    today: dt.date,
) -> int:
    count = 0
    for operator in made:
        actor = staff[operator.unit_id]
        first = max(dt.date(year, 1, 5), operator.since)
        # A day before today, so that the visit and its signature are in the past.
        checked = _day(rng, first, min(dt.date(year, 3, 31), today - dt.timedelta(days=1)))
        check = operators.start_check(operator=operator, actor=actor, year=year, checked_on=checked)
        outcome = OUTCOMES[int(rng.choice(len(OUTCOMES), p=OUTCOME_SHARES))]
        _visit(rng, check.inspection, actor, checked, failed=outcome in {"rectify", "investigate"})
        # A case (立案调查) is opened once the year's cases are built (``decide_checks``),
        # so that the case numbers stay in the order the case builder gives them.
        if outcome != "investigate":
            _decide(rng, check, actor, outcome, today)
        count += 1
    return count


NOTES = {
    "qualified": "",
    "rectify": "广告业务承接登记台账不完整，审查记录缺少签字",
    "deregister": "已停止广告经营业务，申请注销广告经营资格",
    "investigate": "检查发现代理发布未经审查的保健食品广告",
}


def _decide(
    rng: np.random.Generator,
    check: QualificationCheck,
    actor: Officer,
    outcome: str,
    today: dt.date,
) -> None:
    decided = min(check.checked_on + dt.timedelta(days=int(rng.integers(1, 10))), today)
    operators.decide_check(
        check=check,
        actor=actor,
        outcome=outcome,
        on=decided,
        deadline=decided + dt.timedelta(days=30) if outcome == "rectify" else None,
        note=NOTES[outcome],
    )


def decide_checks(rng: np.random.Generator, organisation: Organisation, today: dt.date) -> int:
    """The checks left open by ``build_operators``: those whose finding leads to a case."""
    staff = directors(organisation)
    pending = list(
        QualificationCheck.objects.filter(decided_on__isnull=True)
        .select_related("inspection")
        .order_by("pk")
    )
    for check in pending:
        _decide(rng, check, staff[check.unit_id], "investigate", today)
    return len(pending)


def _visit(
    rng: np.random.Generator, inspection: Inspection, officer: Officer, day: dt.date, failed: bool
) -> None:
    """The check's visit as the team records it: on site that day between 10:00 and 17:00, every
    item answered (the first one failed when the outcome is a rectification or a case), signed
    a few minutes after it ended."""
    start = timezone.make_aware(
        dt.datetime.combine(day, dt.time(10)) + dt.timedelta(minutes=int(rng.integers(0, 420)))
    )
    end = start + dt.timedelta(minutes=int(rng.integers(30, 90)))
    items = list(inspection.results.order_by("item__position").values_list("item_id", flat=True))
    results = {
        str(item): {"result": "fail", "note": "广告业务档案不全"}
        if failed and n == 0
        else {"result": "pass"}
        for n, item in enumerate(items)
    }
    entity = inspection.entity
    drafts.save_draft(
        inspection=inspection,
        officer=officer,
        revision=inspection.revision,
        values={
            "results": results,
            "started_at": start,
            "finished_at": end,
            "checkin_at": start,
            "checkin_longitude": entity.longitude if entity.longitude is not None else 81.33,
            "checkin_latitude": entity.latitude if entity.latitude is not None else 43.91,
            "checkin_accuracy": 12,
            "summary": "广告经营资格年度检查",
        },
    )
    signing.sign_inspection(
        inspection=inspection,
        officer=officer,
        at=end + dt.timedelta(minutes=int(rng.integers(2, 20))),
    )


def _filings(
    rng: np.random.Generator, organisation: Organisation, staff: dict[int, Officer], today: dt.date
) -> int:
    start = today - dt.timedelta(days=330)
    advertisers = list(
        Entity.objects.filter(
            status=Entity.Status.OPERATING,
            unit_id__in=list(staff),
            registered_on__lt=start,
        ).order_by("pk")[:2000]
    )
    texts = [t for t in LAWFUL + VIOLATING if t[0] in ("health_food", "medical", "drug")]
    count = 0
    for number in range(1, FILINGS + 1):
        entity = advertisers[int(rng.integers(len(advertisers)))]
        actor = staff[entity.unit_id]
        kind = FILING_KINDS[int(rng.integers(len(FILING_KINDS)))]
        _kind, who, text = texts[int(rng.integers(len(texts)))]
        submitted = _day(rng, start, today - dt.timedelta(days=3))
        expires = submitted + dt.timedelta(days=int(rng.integers(20, 700)))
        approval = APPROVAL[kind].format(y=submitted.year % 100, n=number)
        try:
            filing = filings.submit_filing(
                actor=actor,
                advertiser=entity,
                kind=kind,
                title=f"{entity.name}{who[-4:]}广告",
                text=text,
                medium=("tv", "newspaper", "internet", "outdoor")[number % 4],
                submitted_on=submitted,
                approval_number=approval,
                approval_expires_on=expires if approval else None,
            )
        except DomainError:
            continue
        decided = min(submitted + dt.timedelta(days=int(rng.integers(1, 6))), today)
        reasons = filings.blockers(filing, decided)
        if reasons:
            filings.return_filing(filing=filing, actor=actor, on=decided, reason=reasons[0][:500])
        else:
            filings.accept_filing(filing=filing, actor=actor, on=decided)
            if rng.random() < 0.05:
                filings.revoke_filing(
                    filing=filing, actor=actor, on=decided, reason="发布内容与备案内容不一致"
                )
        count += 1
    return count
