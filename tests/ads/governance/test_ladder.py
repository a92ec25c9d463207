"""The declared ladders of 篇1 as pure functions: what a history proposes, rung by rung,
within the calendar year, and what a decision changes."""

from __future__ import annotations

import datetime as dt

from xiaoneng.ads.governance.ladder import PARTY, REVIEWER, Happened, propose


def events(*items: tuple[str, str]) -> list[Happened]:
    """Events from (kind, "YYYY-MM-DD"), numbered in order."""
    return [Happened(n, kind, dt.date.fromisoformat(day)) for n, (kind, day) in enumerate(items, 1)]


def steps(history: list[Happened], decided: dict[str, bool] | None = None, ladder=REVIEWER):  # type: ignore[no-untyped-def]
    return [(p.step, p.key) for p in propose(ladder, history, decided or {})]


# The reviewer ladder -----------------------------------------------------------------------------


def test_no_event_proposes_nothing() -> None:
    assert steps([]) == []
    assert steps([], ladder=PARTY) == []


def test_one_criticism_proposes_self_examination_for_its_year() -> None:
    history = events(("criticism_notice", "2026-03-01"))
    assert steps(history) == [("self_examination", "self_examination:2026")]


def test_two_criticisms_in_a_year_add_no_promotion() -> None:
    history = events(("criticism_notice", "2026-03-01"), ("criticism_notice", "2026-09-01"))
    assert steps(history, {"self_examination:2026": True}) == [
        ("no_promotion", "no_promotion:2026")
    ]
    proposal = propose(REVIEWER, history, {"self_examination:2026": True})[0]
    assert [e.id for e in proposal.because] == [1, 2]
    assert proposal.trigger.id == 2


def test_two_criticisms_across_the_year_boundary_are_two_first_rungs() -> None:
    history = events(("criticism_notice", "2025-12-31"), ("criticism_notice", "2026-01-01"))
    assert steps(history) == [
        ("self_examination", "self_examination:2025"),
        ("self_examination", "self_examination:2026"),
    ]


def test_one_violation_warning_proposes_probation() -> None:
    history = events(("violation_warning", "2026-05-10"))
    assert steps(history) == [("probation", "probation:2026")]


def test_two_violation_warnings_propose_dismissal_which_supersedes_probation() -> None:
    history = events(("violation_warning", "2026-05-10"), ("violation_warning", "2026-06-10"))
    assert steps(history) == [("dismissal", "dismissal:2026")]


def test_warnings_in_two_years_do_not_add_up_to_dismissal() -> None:
    history = events(("violation_warning", "2025-11-10"), ("violation_warning", "2026-02-10"))
    assert steps(history) == [("probation", "probation:2025"), ("probation", "probation:2026")]


def test_a_serious_error_proposes_dismissal_at_once() -> None:
    history = events(("serious_error", "2026-04-01"))
    assert steps(history) == [("dismissal", "dismissal:2026")]


def test_a_decided_proposal_is_not_proposed_again() -> None:
    history = events(("criticism_notice", "2026-03-01"))
    assert steps(history, {"self_examination:2026": False}) == []


def test_after_a_confirmed_dismissal_nothing_more_is_proposed() -> None:
    history = events(("serious_error", "2025-04-01"), ("criticism_notice", "2026-03-01"))
    assert steps(history, {"dismissal:2025": True}) == []


def test_a_declined_dismissal_leaves_probation_to_decide() -> None:
    history = events(("violation_warning", "2026-05-10"), ("violation_warning", "2026-06-10"))
    assert steps(history, {"dismissal:2026": False}) == [("probation", "probation:2026")]


# The party ladder --------------------------------------------------------------------------------


def test_an_illegal_ad_proposes_an_interview() -> None:
    history = events(("illegal_ad", "2026-02-01"))
    assert steps(history, ladder=PARTY) == [("interview", "interview:e1")]


def test_after_an_interview_only_a_later_illegal_ad_proposes_another() -> None:
    history = events(("illegal_ad", "2026-02-01"), ("interview", "2026-02-05"))
    assert steps(history, {"interview:e1": True}, ladder=PARTY) == []
    history.append(Happened(3, "illegal_ad", dt.date(2026, 3, 1)))
    assert steps(history, {"interview:e1": True}, ladder=PARTY) == [("interview", "interview:e3")]


def test_still_publishing_after_three_interviews_proposes_public_criticism() -> None:
    history = events(
        ("interview", "2026-01-05"),
        ("interview", "2026-02-05"),
        ("interview", "2026-03-05"),
        ("illegal_ad", "2026-04-01"),
    )
    assert steps(history, ladder=PARTY) == [("public_criticism", "public_criticism:e4")]


def test_an_illegal_ad_before_the_third_interview_does_not_count_for_criticism() -> None:
    history = events(
        ("interview", "2026-01-05"),
        ("interview", "2026-02-05"),
        ("illegal_ad", "2026-02-20"),
        ("interview", "2026-03-05"),
    )
    assert steps(history, ladder=PARTY) == []


def test_not_corrected_after_criticism_proposes_warning_and_penalty() -> None:
    history = events(
        ("interview", "2026-01-05"),
        ("interview", "2026-02-05"),
        ("interview", "2026-03-05"),
        ("public_criticism", "2026-04-05"),
        ("illegal_ad", "2026-05-01"),
    )
    assert steps(history, ladder=PARTY) == [("warning_penalty", "warning_penalty:e5")]


def test_each_further_illegal_ad_after_a_warning_proposes_another_warning() -> None:
    history = events(
        ("public_criticism", "2026-01-05"),
        ("illegal_ad", "2026-02-01"),
        ("warning_notice", "2026-02-10"),
        ("illegal_ad", "2026-03-01"),
    )
    assert steps(history, {"warning_penalty:e2": True}, ladder=PARTY) == [
        ("warning_penalty", "warning_penalty:e4")
    ]


def test_three_warning_notices_in_a_year_propose_the_verification_step() -> None:
    history = events(
        ("warning_notice", "2026-02-10"),
        ("warning_notice", "2026-05-10"),
        ("warning_notice", "2026-08-10"),
    )
    assert steps(history, ladder=PARTY) == [("verification", "verification:2026")]


def test_three_warning_notices_across_the_year_boundary_do_not() -> None:
    history = events(
        ("warning_notice", "2025-08-10"),
        ("warning_notice", "2025-12-31"),
        ("warning_notice", "2026-01-01"),
    )
    assert steps(history, ladder=PARTY) == []


def test_a_serious_error_of_a_party_proposes_the_verification_step() -> None:
    history = events(("serious_error", "2026-06-01"))
    assert steps(history, ladder=PARTY) == [("verification", "verification:2026")]


def test_the_verification_step_offers_deferral_or_failure() -> None:
    assert dict(PARTY.step("verification").outcomes) == {
        "deferred": "缓验",
        "failed": "不予通过核验",
    }


def test_every_rung_names_a_declared_step_and_declared_events() -> None:
    for ladder in (REVIEWER, PARTY):
        codes = {step.code for step in ladder.steps}
        for rung in ladder.rungs:
            assert rung.step in codes
            assert set(rung.counts) <= set(ladder.events)
        for step in ladder.steps:
            assert not step.records or step.records in ladder.events
