"""The follow-up (后处理) of a failed batch: order, re-inspection, closing, overdue lists.

《产品质量监督抽查管理暂行办法》第四十六条 (rectify within 60 days of the order) and
第四十七条 (re-inspect within 75 days of it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.sampling.test_services import (
    TODAY,
    east_entity,
    fail,
    make_plan,
    make_sample,
    west_entity,
    written,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections import transitions
from xiaoneng.inspections.models import SampleFollowUp
from xiaoneng.inspections.sampling import followup as sampling_followup

D = dt.date
ORDERED = D(2026, 3, 25)


@pytest.fixture
def follow_up(county: County) -> SampleFollowUp:
    sample = fail(county, make_sample(county, make_plan(county), entity=east_entity(county)))
    return SampleFollowUp.objects.get(sample=sample)


def rectify(county: County, follow_up: SampleFollowUp, **values: Any) -> SampleFollowUp:
    options: dict[str, Any] = {
        "follow_up": follow_up,
        "actor": county.east_officer,
        "actions": "责令停止销售同一产品，限期整改并报送整改报告",
        "deadline": D(2026, 5, 24),
        "ordered_on": ORDERED,
        "today": D(2026, 3, 25),
    }
    options.update(values)
    return sampling_followup.start_rectifying(**options)


def reinspect(county: County, follow_up: SampleFollowUp, **values: Any) -> SampleFollowUp:
    options: dict[str, Any] = {
        "follow_up": follow_up,
        "actor": county.east_officer,
        "passed": True,
        "reinspected_on": D(2026, 5, 28),
        "today": TODAY,
    }
    options.update(values)
    return sampling_followup.record_reinspection(**options)


def test_the_whole_follow_up_from_order_to_closing(
    county: County, follow_up: SampleFollowUp
) -> None:
    rectify(county, follow_up)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.ordered_on, follow_up.deadline) == (
        "rectifying",
        ORDERED,
        D(2026, 5, 24),
    )
    assert sampling_followup.reinspection_due(follow_up) == D(2026, 6, 8)  # 75 days after the order
    reinspect(county, follow_up, note="复检总养分合格")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.reinspection_passed, follow_up.reinspection_note) == (
        "reinspected",
        True,
        "复检总养分合格",
    )
    sampling_followup.close_follow_up(follow_up=follow_up, actor=county.east_director, today=TODAY)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == ("closed", TODAY)


def test_the_deadline_is_at_most_sixty_days_after_the_order(
    county: County, follow_up: SampleFollowUp
) -> None:
    before = written()
    with pytest.raises(InvalidInput) as refused:
        rectify(county, follow_up, deadline=D(2026, 5, 25))
    assert refused.value.message == (
        "deadline: 整改期限自责令之日起不得超过六十日（最晚 2026-05-24）：2026-05-25"
    )
    assert written() == before
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"actions": " "}, "actions", "请填写处理措施"),
        ({"deadline": None}, "deadline", "请填写整改期限（YYYY-MM-DD）"),
        ({"deadline": D(2026, 3, 24)}, "deadline", "整改期限不能早于今天：2026-03-24"),
        ({"ordered_on": D(2026, 3, 26)}, "ordered_on", "责令整改日期不能晚于今天：2026-03-26"),
        (
            {"ordered_on": D(2026, 3, 19)},
            "ordered_on",
            "责令整改日期不能早于检验报告日期 2026-03-20：2026-03-19",
        ),
    ],
)
def test_a_bad_order_is_refused_with_its_message_and_nothing_written(
    county: County, follow_up: SampleFollowUp, values: dict[str, Any], field: str, message: str
) -> None:
    before = written()
    with pytest.raises(InvalidInput) as refused:
        rectify(county, follow_up, **values)
    assert refused.value.message == f"{field}: {message}"
    assert written() == before


def test_a_failed_reinspection_needs_a_note_and_cannot_be_closed(
    county: County, follow_up: SampleFollowUp
) -> None:
    rectify(county, follow_up)
    with pytest.raises(InvalidInput) as refused:
        reinspect(county, follow_up, passed=False)
    assert refused.value.message == "note: 复查不合格请填写复查情况"
    reinspect(county, follow_up, passed=False, note="总养分仍不合格")
    before = written()
    with pytest.raises(Conflict) as closing:
        sampling_followup.close_follow_up(
            follow_up=follow_up, actor=county.east_officer, note="已整改"
        )
    assert closing.value.message == "复查仍不合格，不能办结，请移送立案"
    assert written() == before
    sampling_followup.mark_escalated(follow_up=follow_up, actor=county.east_director)
    follow_up.refresh_from_db()
    assert follow_up.status == "escalated"
    assert sampling_followup.escalate_url(follow_up) == f"/cases/new/?sample={follow_up.sample_id}"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"reinspected_on": None}, "reinspected_on", "请填写复查日期（YYYY-MM-DD）"),
        ({"reinspected_on": D(2026, 6, 2)}, "reinspected_on", "复查日期不能晚于今天：2026-06-02"),
        (
            {"reinspected_on": D(2026, 3, 24)},
            "reinspected_on",
            "复查日期不能早于责令整改日期 2026-03-25：2026-03-24",
        ),
    ],
)
def test_a_bad_reinspection_is_refused(
    county: County, follow_up: SampleFollowUp, values: dict[str, Any], field: str, message: str
) -> None:
    rectify(county, follow_up)
    before = written()
    with pytest.raises(InvalidInput) as refused:
        reinspect(county, follow_up, **values)
    assert refused.value.message == f"{field}: {message}"
    assert written() == before


def test_closing_an_open_follow_up_needs_a_note(county: County, follow_up: SampleFollowUp) -> None:
    with pytest.raises(InvalidInput) as refused:
        sampling_followup.close_follow_up(follow_up=follow_up, actor=county.east_officer)
    assert refused.value.message == "note: 未经整改复查即办结，请填写办结说明"
    sampling_followup.close_follow_up(
        follow_up=follow_up, actor=county.east_officer, note="异议复检结论为合格", today=TODAY
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closing_note) == ("closed", "异议复检结论为合格")


def test_a_reinspection_before_the_order_is_refused(
    county: County, follow_up: SampleFollowUp
) -> None:
    before = written()
    with pytest.raises(Conflict) as refused:
        reinspect(county, follow_up)
    assert refused.value.message == "不合格后处理状态为“待处理”，不能改为“已复检”"
    assert written() == before


def test_a_rectifying_follow_up_cannot_be_closed_before_the_reinspection(
    county: County, follow_up: SampleFollowUp
) -> None:
    rectify(county, follow_up)
    with pytest.raises(Conflict) as refused:
        sampling_followup.close_follow_up(follow_up=follow_up, actor=county.east_officer, note="x")
    assert refused.value.message == "不合格后处理状态为“整改中”，不能改为“已办结”"


def test_a_closed_follow_up_is_final(county: County, follow_up: SampleFollowUp) -> None:
    sampling_followup.close_follow_up(
        follow_up=follow_up, actor=county.east_officer, note="异议成立"
    )
    with pytest.raises(Conflict):
        rectify(county, follow_up)
    with pytest.raises(Conflict):
        sampling_followup.mark_escalated(follow_up=follow_up, actor=county.east_officer)


def test_the_follow_up_table() -> None:
    table = transitions.SAMPLE_FOLLOW_UP
    assert table["open"] == {"rectifying", "closed", "escalated"}
    assert table["rectifying"] == {"reinspected", "escalated"}
    assert table["reinspected"] == {"closed", "escalated"}
    assert table["closed"] == frozenset() and table["escalated"] == frozenset()


def test_another_stations_officer_cannot_act_on_the_follow_up(
    county: County, follow_up: SampleFollowUp
) -> None:
    with pytest.raises(NotPermitted) as refused:
        rectify(county, follow_up, actor=county.west_officer)
    assert refused.value.message == "该记录不属于您所在单位的辖区。"
    with pytest.raises(NotPermitted) as leader:
        rectify(county, follow_up, actor=county.leader)  # sees it, but does not inspect
    assert leader.value.message == "您的角色无权执行此操作。"
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_overdue_lists_open_and_rectifying_past_their_deadline(county: County) -> None:
    plan = make_plan(county)
    late_open = fail(
        county, make_sample(county, plan, batch_number="A", entity=east_entity(county))
    )
    rectifying = fail(county, make_sample(county, plan, batch_number="B"))
    on_time = fail(
        county,
        make_sample(county, plan, batch_number="C", entity=west_entity(county)),
        reported_on=D(2026, 5, 1),
    )
    rectify(
        county,
        SampleFollowUp.objects.get(sample=rectifying),
        actor=county.division_staff,
        deadline=D(2026, 4, 30),
    )
    today = D(2026, 5, 20)  # open ones from 2026-03-20 fell due on 2026-05-19
    found = sampling_followup.overdue(SampleFollowUp.objects.all(), today)
    assert {f.sample_id for f in found} == {late_open.pk, rectifying.pk}
    assert on_time.pk not in {f.sample_id for f in found}
    west = sampling_followup.overdue(
        sampling_followup.visible_follow_ups(county.west_officer), today
    )
    assert not west.exists()
    east = sampling_followup.overdue(
        sampling_followup.visible_follow_ups(county.east_officer), today
    )
    assert [f.sample_id for f in east] == [late_open.pk]
