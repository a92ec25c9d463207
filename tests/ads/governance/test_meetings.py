"""Joint meetings: recorded by the bureau's division staff with follow-ups and leads, their
bad input refused with nothing written, and follow-ups done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.ads.governance.factories import make_meeting
from tests.conftest import County
from xiaoneng.ads.governance import meetings
from xiaoneng.ads.governance.models import FollowUpItem, JointMeeting, SharedLead
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


def test_a_meeting_is_the_bureaus_with_its_convener_among_the_members(county: County) -> None:
    meeting = make_meeting(county)
    assert meeting.unit == county.bureau
    assert meeting.member_departments == ["market", "propaganda", "health", "drugs"]
    (item,) = meeting.follow_ups.all()
    assert item.status == FollowUpItem.Status.OPEN and item.owner_department == "health"


def test_only_division_staff_record_meetings(county: County) -> None:
    for who in (county.east_director, county.east_officer, county.leader):
        with pytest.raises(NotPermitted):
            make_meeting(county, actor=who)
    assert not JointMeeting.objects.exists()


def test_bad_meeting_input_is_named_and_nothing_written(county: County) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        make_meeting(
            county,
            day=tomorrow.isoformat(),
            title="",
            convening_department="weather",
            member_departments=["health", "health", "mystery"],
            attendees="",
            topics=" ",
            follow_ups=[meetings.FollowUpDraft("", "nobody", None)],
        )
    assert error.value.by_field == {
        "held_on": f"会议日期不能晚于今天（{timezone.localdate()}）：{tomorrow}",
        "title": "请填写会议名称",
        "convening_department": "未知的部门：weather",
        "member_departments": "成员单位重复",
        "attendees": "请填写参会人员",
        "topics": "请填写议题",
        "follow_ups.1.task": "请填写落实事项",
        "follow_ups.1.owner_department": "未知的部门：nobody",
        "follow_ups.1.deadline": "请填写完成期限（YYYY-MM-DD）",
    }
    assert not JointMeeting.objects.exists() and not FollowUpItem.objects.exists()


def test_a_meeting_with_no_member_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_meeting(county, convening_department="", member_departments=[])
    assert error.value.by_field == {
        "convening_department": "请选择部门",
        "member_departments": "请选择成员单位",
    }


def test_a_deadline_before_the_meeting_is_refused(county: County) -> None:
    draft = meetings.FollowUpDraft("整改", "health", dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as error:
        make_meeting(county, follow_ups=[draft])
    assert error.value.by_field == {
        "follow_ups.1.deadline": "完成期限不能早于会议日期（2026-03-20）：2026-03-01"
    }
    assert not JointMeeting.objects.exists()


def test_the_same_meeting_is_recorded_once(county: County) -> None:
    make_meeting(county)
    with pytest.raises(Conflict, match="该联席会议已登记：2026-03-20 虚假违法广告专项整治联席会议"):
        make_meeting(county)
    assert JointMeeting.objects.count() == 1


@override_settings(AD_JOINT_MEETING_DEPARTMENTS=[("market", "市场监管局"), ("tax", "税务局")])
def test_the_department_list_is_configurable(county: County) -> None:
    meeting = make_meeting(county, member_departments=["tax"], follow_ups=[])
    assert meeting.member_departments == ["market", "tax"]
    with pytest.raises(InvalidInput, match="未知的部门：health"):
        make_meeting(county, day="2026-03-21", member_departments=["health"], follow_ups=[])


def test_a_follow_up_is_done_once_with_its_result(county: County) -> None:
    item = make_meeting(county).follow_ups.get()
    with pytest.raises(InvalidInput) as error:
        meetings.complete_follow_up(
            item=item, done_on=dt.date(2026, 3, 1), result="", actor=county.division_staff
        )
    assert error.value.by_field == {
        "result": "请填写办理结果",
        "done_on": "办结日期不能早于会议日期（2026-03-20）：2026-03-01",
    }
    meetings.complete_follow_up(
        item=item, done_on=dt.date(2026, 4, 20), result="已清理12处", actor=county.division_staff
    )
    item.refresh_from_db()
    assert item.status == FollowUpItem.Status.DONE and item.done_on == dt.date(2026, 4, 20)
    with pytest.raises(Conflict, match="该落实事项已于 2026-04-20 办结"):
        meetings.complete_follow_up(
            item=item, done_on=dt.date(2026, 4, 21), result="再次", actor=county.division_staff
        )


def test_an_open_follow_up_past_its_deadline_is_overdue(county: County) -> None:
    item = make_meeting(county).follow_ups.get()
    assert meetings.is_overdue(item, dt.date(2026, 5, 1))
    assert not meetings.is_overdue(item, dt.date(2026, 4, 30))


def test_a_lead_comes_from_a_member_department(county: County) -> None:
    meeting = make_meeting(county)
    lead = meetings.share_lead(
        meeting=meeting,
        from_department="drugs",
        content="某药店发布处方药广告",
        party_name="城东大药房",
        actor=county.division_staff,
    )
    assert lead.meeting == meeting
    with pytest.raises(InvalidInput) as error:
        meetings.share_lead(
            meeting=meeting,
            from_department="press",
            content="",
            party_name="",
            actor=county.division_staff,
        )
    assert error.value.by_field == {
        "from_department": "该部门不是本次会议的成员单位：press",
        "content": "请填写线索内容",
    }
    assert SharedLead.objects.count() == 1
