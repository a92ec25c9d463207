"""The accountability ladders of 篇1, declared as data, and the pure function that reads a
recorded history and proposes the next steps.

篇1 (二): 一年内因所编审广告被行政管理部门通报批评一次者，由该媒体对其给予批评教育、责令写出检查，
并取消当年评先资格；被通报批评两次者，当年不予晋升职务、职称。一年内因所编审广告被行政管理部门
下达违规警告通知书一次者，由该媒体对其缓聘、留用察看；下达违规警告通知书两次或出现重大错误者，
由该媒体对其解聘，工商部门同时取消广告审查员资格。

篇1 (三): 首先由宣传、工商、广电等部门约请广告主、广告经营者、发布者主要负责人谈话警示；三次约谈后
继续刊播虚假违法广告的，给予通报批评；通报批评后仍不改正的，下发警告通知书，由行业主管部门给予经济
处罚；一年内被下发警告通知书3次或出现重大错误的，核验时予以缓验或不予通过核验。

"一年内" is read as the calendar year (自然年): the measures it leads to are those of "当年"
(the year's award and promotion) and of the annual verification (核验), both calendar-year
matters. Nothing here touches Django: the services feed it events and decisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    """A measure a ladder proposes; a person confirms or declines it."""

    code: str
    label: str
    measure: str  # what the measure is and who carries it out, in the seed's words
    records: str = ""  # the event kind a confirmation adds to the history (a notice issued)
    outcomes: tuple[tuple[str, str], ...] = ()  # one must be chosen when confirming
    supersedes: tuple[str, ...] = ()  # steps of the same period it makes moot
    final: bool = False  # once confirmed, the ladder proposes nothing more


@dataclass(frozen=True)
class Marker:
    """The ``count``-th event of ``kinds`` in the history."""

    kinds: tuple[str, ...]
    count: int = 1


@dataclass(frozen=True)
class Rung:
    """When ``step`` is proposed: ``threshold`` events of ``counts``.

    ``window`` "year" counts within each calendar year (one proposal per year); "all" counts
    over the whole history, from ``requires`` (which must have happened) and from the latest
    event of ``since_latest``, and proposes for the first event not yet decided upon; the rung
    stops applying once any of ``unless`` has happened.
    """

    step: str
    counts: tuple[str, ...]
    threshold: int = 1
    window: str = "year"
    requires: Marker | None = None
    since_latest: tuple[str, ...] = ()
    unless: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Ladder:
    """A ladder: the events that count, the steps, and the rungs that lead to them."""

    code: str
    label: str
    events: dict[str, str]
    steps: tuple[Step, ...]
    rungs: tuple[Rung, ...]
    basis: str = ""
    step_by_code: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "step_by_code", {step.code: step for step in self.steps})

    def step(self, code: str) -> Step:
        return self.step_by_code[code]


@dataclass(frozen=True)
class Happened:
    """One recorded event as the ladder sees it."""

    id: int
    kind: str
    on: dt.date


@dataclass(frozen=True)
class Proposal:
    """A step the history calls for: ``key`` names it for its decision (one per key)."""

    step: str
    key: str
    period: str  # the year ("2026") or the triggering event ("e12")
    trigger: Happened
    because: tuple[Happened, ...]


REVIEWER = Ladder(
    code="reviewer",
    label="广告审查员责任追究",
    basis="篇1：实行广告审查员责任追究制",
    events={
        "criticism_notice": "被通报批评",
        "violation_warning": "被下达违规警告通知书",
        "serious_error": "出现重大错误",
    },
    steps=(
        Step(
            "self_examination",
            "批评教育、责令检查",
            "由该媒体给予批评教育、责令写出检查，取消当年评先资格",
        ),
        Step("no_promotion", "当年不予晋升", "由该媒体当年不予晋升职务、职称"),
        Step("probation", "缓聘、留用察看", "由该媒体对其缓聘、留用察看"),
        Step(
            "dismissal",
            "解聘并取消审查员资格",
            "由该媒体对其解聘，工商部门同时取消广告审查员资格",
            supersedes=("probation",),
            final=True,
        ),
    ),
    rungs=(
        Rung("self_examination", ("criticism_notice",), 1),
        Rung("no_promotion", ("criticism_notice",), 2),
        Rung("probation", ("violation_warning",), 1),
        Rung("dismissal", ("violation_warning",), 2),
        Rung("dismissal", ("serious_error",), 1),
    ),
)

PARTY = Ladder(
    code="party",
    label="广告主、经营者、发布者负责人责任追究",
    basis="篇1：实行对广告主、广告经营者、发布者负责人责任追究制",
    events={
        "illegal_ad": "刊播虚假违法广告",
        "interview": "约谈主要负责人",
        "public_criticism": "通报批评",
        "warning_notice": "下发警告通知书",
        "serious_error": "出现重大错误",
    },
    steps=(
        Step(
            "interview",
            "约谈",
            "由宣传、工商、广电等部门约请主要负责人谈话警示",
            records="interview",
        ),
        Step(
            "public_criticism",
            "通报批评",
            "三次约谈后继续刊播虚假违法广告的，给予通报批评",
            records="public_criticism",
        ),
        Step(
            "warning_penalty",
            "警告通知书并经济处罚",
            "通报批评后仍不改正的，下发警告通知书，由行业主管部门给予经济处罚",
            records="warning_notice",
        ),
        Step(
            "verification",
            "缓验或不予通过核验",
            "一年内被下发警告通知书3次或出现重大错误的，核验时予以缓验或不予通过核验",
            outcomes=(("deferred", "缓验"), ("failed", "不予通过核验")),
        ),
    ),
    rungs=(
        Rung(
            "interview",
            ("illegal_ad",),
            window="all",
            since_latest=("interview",),
            unless=(
                Marker(("interview",), 3),
                Marker(("public_criticism", "warning_notice"), 1),
            ),
        ),
        Rung(
            "public_criticism",
            ("illegal_ad",),
            window="all",
            requires=Marker(("interview",), 3),
            unless=(Marker(("public_criticism", "warning_notice"), 1),),
        ),
        Rung(
            "warning_penalty",
            ("illegal_ad",),
            window="all",
            requires=Marker(("public_criticism",), 1),
            since_latest=("warning_notice",),
        ),
        Rung("verification", ("warning_notice",), 3),
        Rung("verification", ("serious_error",), 1),
    ),
)

LADDERS = {REVIEWER.code: REVIEWER, PARTY.code: PARTY}


def _nth(ordered: Sequence[Happened], marker: Marker) -> int | None:
    """The position in ``ordered`` of the marker's event, or None if it has not happened."""
    seen = 0
    for position, event in enumerate(ordered):
        if event.kind in marker.kinds:
            seen += 1
            if seen == marker.count:
                return position
    return None


def _rung_proposals(
    ladder: Ladder, rung: Rung, ordered: Sequence[Happened], decided: Collection[str]
) -> list[Proposal]:
    if any(_nth(ordered, marker) is not None for marker in rung.unless):
        return []
    start = -1
    if rung.requires is not None:
        required = _nth(ordered, rung.requires)
        if required is None:
            return []
        start = required
    for position, event in enumerate(ordered):
        if event.kind in rung.since_latest:
            start = max(start, position)
    counted = [event for event in ordered[start + 1 :] if event.kind in rung.counts]
    if rung.window == "year":
        years = sorted({event.on.year for event in counted})
        found = []
        for year in years:
            in_year = [event for event in counted if event.on.year == year]
            if len(in_year) >= rung.threshold:
                trigger = in_year[rung.threshold - 1]
                key = f"{rung.step}:{year}"
                found.append(
                    Proposal(rung.step, key, str(year), trigger, tuple(in_year[: rung.threshold]))
                )
        return found
    for index in range(rung.threshold - 1, len(counted)):
        trigger = counted[index]
        key = f"{rung.step}:e{trigger.id}"
        if key not in decided:
            because = tuple(counted[index - rung.threshold + 1 : index + 1])
            return [Proposal(rung.step, key, f"e{trigger.id}", trigger, because)]
    return []


def propose(
    ladder: Ladder, events: Sequence[Happened], decided: Mapping[str, bool]
) -> list[Proposal]:
    """The steps ``events`` call for that are not decided yet, in the ladder's order.

    ``decided`` maps a proposal's key to whether it was confirmed. A step superseded by a
    confirmed or pending step of the same period is left out; after a confirmed final step
    nothing is proposed.
    """
    if any(ok and ladder.step(key.split(":")[0]).final for key, ok in decided.items()):
        return []
    ordered = sorted(events, key=lambda event: (event.on, event.id))
    found: dict[str, Proposal] = {}
    for rung in ladder.rungs:
        for proposal in _rung_proposals(ladder, rung, ordered, decided):
            known = found.get(proposal.key)
            if known is None or (proposal.trigger.on, proposal.trigger.id) < (
                known.trigger.on,
                known.trigger.id,
            ):
                found[proposal.key] = proposal
    pending = [proposal for proposal in found.values() if proposal.key not in decided]
    live = {(p.step, p.period) for p in pending}
    live |= {(key.split(":")[0], key.split(":")[1]) for key, ok in decided.items() if ok}
    kept = []
    for proposal in pending:
        superseded = any(
            (other.code, proposal.period) in live
            for other in ladder.steps
            if proposal.step in other.supersedes
        )
        if not superseded:
            kept.append(proposal)
    order = {step.code: index for index, step in enumerate(ladder.steps)}
    return sorted(kept, key=lambda p: (p.trigger.on, order[p.step], p.trigger.id))
