"""The ladder services: reviewers, events with their bad input, proposals read from the
recorded history, confirming and declining, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.ads.governance.factories import FOUNDED, east_entity, make_reviewer, record
from tests.conftest import County
from xiaoneng.ads.governance import services
from xiaoneng.ads.governance.models import AdReviewer, LadderDecision, LadderEvent
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def reviewer_subject(county: County) -> services.Subject:
    return services.Subject(reviewer=make_reviewer(county))


def messages(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return error.value.by_field


def test_a_reviewer_is_registered_in_the_outlets_unit(county: County) -> None:
    reviewer = make_reviewer(county)
    assert reviewer.unit == county.east
    assert str(reviewer) == "李审查（GS-2026-001）"


def test_a_reviewer_needs_name_outlet_and_certificate(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        services.register_reviewer(
            name=" ", outlet=None, certificate_no="", actor=county.east_officer
        )
    assert messages(error) == {
        "name": "请填写审查员姓名",
        "certificate_no": "请填写审查员证号",
        "outlet": "请选择所在媒体",
    }
    assert not AdReviewer.objects.exists()


def test_a_certificate_is_registered_once(county: County) -> None:
    make_reviewer(county)
    with pytest.raises(Conflict, match="该审查员证号已登记：GS-2026-001"):
        make_reviewer(county, name="王审查")
    assert AdReviewer.objects.count() == 1


def test_the_west_station_may_not_register_an_east_reviewer(county: County) -> None:
    with pytest.raises(NotPermitted):
        make_reviewer(county, actor=county.west_officer)
    with pytest.raises(NotPermitted):
        make_reviewer(county, actor=county.leader)  # no SUPERVISE_ADS


def test_recorded_events_propose_the_next_step(county: County) -> None:
    subject = reviewer_subject(county)
    first = record(county, subject, "criticism_notice", "2026-03-01")
    found = services.history(subject)
    assert [(p.step, p.trigger.id) for p in found.proposals] == [("self_examination", first.pk)]
    assert found.events == [first]


def test_an_event_in_the_future_is_refused(county: County) -> None:
    subject = reviewer_subject(county)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        record(county, subject, "criticism_notice", tomorrow.isoformat())
    today = timezone.localdate()
    assert messages(error) == {"occurred_on": f"事件日期不能晚于今天（{today}）：{tomorrow}"}
    assert not LadderEvent.objects.exists()


def test_an_event_before_the_entity_was_founded_is_refused(county: County) -> None:
    subject = services.Subject(party=east_entity(county, "城东广告公司"))
    with pytest.raises(InvalidInput) as error:
        record(county, subject, "illegal_ad", "2019-12-31")
    assert messages(error) == {
        "occurred_on": f"事件日期不能早于城东广告公司的成立日期（{FOUNDED}）：2019-12-31"
    }
    assert not LadderEvent.objects.exists()


def test_an_unknown_kind_and_missing_fields_are_named(county: County) -> None:
    subject = reviewer_subject(county)
    with pytest.raises(InvalidInput) as error:
        services.record_event(
            subject=subject,
            kind="interview",  # a party's event, not a reviewer's
            occurred_on=None,
            facts="",
            source_document="",
            actor=county.east_officer,
        )
    assert messages(error) == {
        "kind": "事件类型应为被通报批评、被下达违规警告通知书、出现重大错误之一：interview",
        "facts": "请填写事实",
        "source_document": "请填写来源文书",
        "occurred_on": "请填写事件日期（YYYY-MM-DD）",
    }
    assert not LadderEvent.objects.exists()


def test_an_overlong_source_document_is_refused(county: County) -> None:
    subject = reviewer_subject(county)
    with pytest.raises(InvalidInput) as error:
        record(county, subject, "criticism_notice", "2026-03-01", source_document="文" * 101)
    assert messages(error) == {"source_document": "来源文书不能超过 100 个字"}


def test_the_same_event_is_recorded_once(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01", source_document="通报〔2026〕1号")
    with pytest.raises(Conflict, match="该事件已登记：2026-03-01 被通报批评（通报〔2026〕1号）"):
        record(county, subject, "criticism_notice", "2026-03-01", source_document="通报〔2026〕1号")
    assert LadderEvent.objects.count() == 1


def decide(county: County, subject: services.Subject, key: str, **values: object) -> LadderDecision:
    return services.decide_step(
        subject=subject,
        key=key,
        confirm=bool(values.pop("confirm", True)),
        actor=values.pop("actor", county.east_director),  # type: ignore[arg-type]
        decided_on=values.pop("decided_on", DAY),  # type: ignore[arg-type]
        reason=str(values.pop("reason", "")),
        outcome=str(values.pop("outcome", "")),
        document=str(values.pop("document", "")),
    )


def test_a_confirmed_step_is_recorded_and_no_longer_proposed(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    decision = decide(county, subject, "self_examination:2026")
    assert decision.confirmed and decision.decided_by == county.east_director
    assert services.history(subject).proposals == []


def test_a_decision_on_a_decided_proposal_is_refused(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    decide(county, subject, "self_examination:2026")
    with pytest.raises(Conflict, match="该提议已于 2026-06-01 作出决定"):
        decide(county, subject, "self_examination:2026", confirm=False, reason="重复")
    assert LadderDecision.objects.count() == 1


def test_a_decision_on_no_proposal_is_refused(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, "dismissal:2026")
    assert messages(error) == {"key": "该步骤当前未被提议：dismissal:2026"}
    assert not LadderDecision.objects.exists()


def test_declining_needs_a_reason(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, "self_examination:2026", confirm=False)
    assert messages(error) == {"reason": "不采纳提议须填写理由"}
    declined = decide(county, subject, "self_examination:2026", confirm=False, reason="通报已撤回")
    assert not declined.confirmed and declined.reason == "通报已撤回"
    assert services.history(subject).proposals == []


def test_a_decision_before_its_trigger_or_in_the_future_is_refused(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, "self_examination:2026", decided_on=dt.date(2026, 2, 1))
    assert messages(error) == {
        "decided_on": "决定日期不能早于触发事件的日期（2026-03-01）：2026-02-01"
    }
    later = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, "self_examination:2026", decided_on=later)
    assert messages(error) == {
        "decided_on": f"决定日期不能晚于今天（{timezone.localdate()}）：{later}"
    }
    assert not LadderDecision.objects.exists()


def test_a_grid_officer_records_but_may_not_decide(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "criticism_notice", "2026-03-01")
    with pytest.raises(NotPermitted, match="责任阶梯的步骤由所长或科室人员决定。"):
        decide(county, subject, "self_examination:2026", actor=county.east_officer)
    with pytest.raises(NotPermitted):
        decide(county, subject, "self_examination:2026", actor=county.west_director)
    assert decide(county, subject, "self_examination:2026", actor=county.division_staff)


def test_a_confirmed_dismissal_cancels_the_qualification(county: County) -> None:
    subject = reviewer_subject(county)
    record(county, subject, "serious_error", "2026-04-01")
    decide(county, subject, "dismissal:2026", document="城市监广〔2026〕9号")
    assert subject.reviewer is not None
    subject.reviewer.refresh_from_db()
    assert subject.reviewer.qualification_cancelled_on == DAY
    record(county, subject, "criticism_notice", "2026-05-01")
    assert services.history(subject).proposals == []


def test_the_party_ladder_runs_from_interviews_to_verification(county: County) -> None:
    subject = services.Subject(party=east_entity(county, "城东广告公司"))
    for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
        ad = record(county, subject, "illegal_ad", day)
        (proposal,) = services.history(subject).proposals
        assert proposal.key == f"interview:e{ad.pk}"
        decide(county, subject, proposal.key, decided_on=dt.date.fromisoformat(day))
    interviews = LadderEvent.objects.filter(kind="interview")
    assert interviews.count() == 3 and all(e.decision_id for e in interviews)
    ad = record(county, subject, "illegal_ad", "2026-03-20")
    (proposal,) = services.history(subject).proposals
    assert proposal.key == f"public_criticism:e{ad.pk}"
    decide(county, subject, proposal.key, decided_on=dt.date(2026, 3, 25), document="通报〔1〕")
    assert LadderEvent.objects.get(kind="public_criticism").source_document == "通报〔1〕"
    for day in ("2026-04-10", "2026-05-10", "2026-06-10"):
        record(county, subject, "illegal_ad", day)
        (proposal,) = services.history(subject).proposals
        assert proposal.step == "warning_penalty"
        decide(county, subject, proposal.key, decided_on=dt.date.fromisoformat(day))
    (proposal,) = services.history(subject).proposals
    assert proposal.key == "verification:2026"
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, proposal.key, decided_on=dt.date(2026, 6, 20))
    assert messages(error) == {"outcome": "请选择处理结果"}
    with pytest.raises(InvalidInput) as error:
        decide(county, subject, proposal.key, decided_on=dt.date(2026, 6, 20), outcome="pass")
    assert messages(error) == {"outcome": "处理结果应为缓验、不予通过核验之一：pass"}
    done = decide(
        county, subject, proposal.key, decided_on=dt.date(2026, 6, 20), outcome="deferred"
    )
    assert done.outcome == "deferred"
    assert services.history(subject).proposals == []
