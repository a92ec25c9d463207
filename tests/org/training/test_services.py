"""Recording sessions and attendance: who may, the rules with their exact messages, and that a
refused write leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.org.training.factories import DAY, TODAY, attend, draft, make_session
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.training import services
from xiaoneng.org.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
ATTENDED, ABSENT, EXCUSED = "attended", "absent", "excused"


def test_a_session_is_recorded_with_its_audience_and_traced(county: County) -> None:
    session = make_session(county)
    assert session.organiser == county.division and session.hours == Decimal("3.0")
    assert set(session.audience.all()) == {county.east, county.west}
    assert session.created_by == county.division_staff
    event = AuditEvent.objects.get(
        content_type__model="trainingsession", object_id=str(session.pk), action="create"
    )
    assert event.actor == county.division_staff


def test_bad_session_input_is_named_and_nothing_written(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_session(
            county, title=" ", topic="cooking", organiser=None, held_on=None, hours="", audience=[]
        )
    assert error.value.by_field == {
        "title": "请填写培训专题",
        "topic": "未知的培训类别：cooking",
        "organiser": "请选择组织单位",
        "held_on": "请填写培训日期（YYYY-MM-DD）",
        "hours": "请填写学时",
        "audience": "请选择参训单位",
    }
    assert (
        not TrainingSession.objects.exists()
        and not AuditEvent.objects.filter(content_type__model="trainingsession").exists()
    )


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "学时应大于 0 且不超过 24：0"),
        ("-2", "学时应大于 0 且不超过 24：-2"),
        ("24.5", "学时应大于 0 且不超过 24：24.5"),
        ("2.25", "学时最多保留一位小数：2.25"),
        ("三", "学时应为数字：三"),
        ("NaN", "学时应为数字：NaN"),
        ("Infinity", "学时应为数字：Infinity"),
    ],
)
def test_hours_out_of_range_are_refused(county: County, hours: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        make_session(county, hours=hours)
    assert error.value.by_field == {"hours": message}
    assert not TrainingSession.objects.exists()


def test_hours_at_the_bounds_and_texts_at_their_limits(county: County) -> None:
    assert make_session(county, hours="24").hours == Decimal("24.0")
    assert make_session(county, hours=Decimal("0.5"), title="廉" * 100).hours == Decimal("0.5")
    with pytest.raises(InvalidInput) as error:
        make_session(
            county, title="廉" * 101, place="地" * 101, lecturer="王" * 51, note="x" * 1001
        )
    assert error.value.by_field == {
        "title": "培训专题不能超过 100 个字",
        "place": "培训地点不能超过 100 个字",
        "lecturer": "授课人不能超过 50 个字",
        "note": "备注不能超过 1000 个字",
    }


def test_topic_missing_and_duplicate_audience(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_session(county, topic="", audience=[county.east, county.east])
    assert error.value.by_field == {"topic": "请选择培训类别", "audience": "参训单位重复"}


def test_a_station_director_records_the_stations_own_training_only(county: County) -> None:
    own = make_session(
        county, actor=county.east_director, organiser=county.east, audience=[county.east]
    )
    assert own.organiser == county.east
    with pytest.raises(InvalidInput) as error:
        make_session(county, actor=county.east_director, organiser=county.division)
    assert error.value.by_field == {
        "organiser": "组织单位不在您的辖区内：信用监管科",
        "audience": "参训单位不在您的辖区内：城西所",
    }
    assert TrainingSession.objects.count() == 1


def test_a_grid_officer_may_not_record_sessions(county: County) -> None:
    with pytest.raises(NotPermitted, match="您的角色无权执行此操作。"):
        make_session(county, actor=county.east_officer, organiser=county.east)
    assert not TrainingSession.objects.exists()


def test_attendance_is_recorded_and_corrected(county: County) -> None:
    session = make_session(county)
    staff = county.division_staff
    attend(session, staff, [(county.east_officer, ATTENDED), (county.west_officer, EXCUSED)])
    attend(session, staff, [(county.west_officer, ATTENDED), (county.east_director, ABSENT)])
    found = dict(Attendance.objects.values_list("officer__username", "status"))
    assert found == {"east_officer": ATTENDED, "west_officer": ATTENDED, "east_director": ABSENT}
    assert Attendance.objects.get(officer=county.west_officer).recorded_by == staff
    changes = AuditEvent.objects.filter(content_type__model="attendance", action="update")
    assert changes.count() == 1


def test_a_duplicate_officer_refuses_the_whole_list(county: County) -> None:
    session = make_session(county)
    entries = [
        (county.east_director, ATTENDED),
        (county.east_officer, ATTENDED),
        (county.east_officer, ABSENT),
    ]
    with pytest.raises(InvalidInput) as error:
        attend(session, county.division_staff, entries)
    assert error.value.by_field == {"entries": f"人员重复：{county.east_officer}"}
    assert not Attendance.objects.exists()


def test_no_attendance_before_the_session_is_held(county: County) -> None:
    session = make_session(county, held_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as error:
        attend(session, county.division_staff, [(county.east_officer, ATTENDED)])
    assert error.value.by_field == {"held_on": "培训尚未举行（2026-07-01），不能登记出勤"}
    assert not Attendance.objects.exists()


def test_unknown_status_and_empty_list_are_refused(county: County) -> None:
    session = make_session(county)
    with pytest.raises(InvalidInput) as error:
        attend(session, county.division_staff, [(county.east_officer, "late")])
    assert error.value.by_field == {"entries": "未知的出勤情况：late"}
    with pytest.raises(InvalidInput) as error:
        attend(session, county.division_staff, [])
    assert error.value.by_field == {"entries": "请至少登记一名人员的出勤情况"}
    assert not Attendance.objects.exists()


def test_only_officers_of_the_invited_units_attend(county: County) -> None:
    session = make_session(county, audience=[county.east])
    with pytest.raises(InvalidInput) as error:
        attend(session, county.division_staff, [(county.west_officer, ATTENDED)])
    assert error.value.by_field == {"entries": f"不属于参训单位的人员：{county.west_officer}"}
    # The organiser's own staff may attend their unit's session.
    attend(session, county.division_staff, [(county.division_staff, ATTENDED)])
    assert Attendance.objects.count() == 1


def test_a_director_records_the_own_stations_officers_at_a_divisions_session(
    county: County,
) -> None:
    session = make_session(county)
    director = county.east_director
    assert services.may_record_attendance(director, session)
    attend(session, director, [(county.east_officer, ATTENDED)])
    with pytest.raises(InvalidInput) as error:
        attend(session, director, [(county.west_officer, ATTENDED)])
    assert error.value.by_field == {"entries": f"不在您辖区内的人员：{county.west_officer}"}
    assert Attendance.objects.count() == 1


def test_who_may_record_attendance(county: County) -> None:
    session = make_session(county, audience=[county.east])
    assert not services.may_record_attendance(county.west_director, session)
    assert not services.may_record_attendance(county.east_officer, session)
    with pytest.raises(NotPermitted, match="该记录不属于您所在单位的辖区。"):
        attend(session, county.west_director, [(county.west_officer, ATTENDED)])
    with pytest.raises(NotPermitted, match="您的角色无权执行此操作。"):
        attend(session, county.east_officer, [(county.east_officer, ATTENDED)])
    assert not Attendance.objects.exists()


def test_a_session_is_corrected_within_its_rules(county: County) -> None:
    session = make_session(county)
    staff = county.division_staff
    updated = services.update_session(
        session=session, actor=staff, draft=draft(county, title="食品安全法解读", hours="2.5")
    )
    assert updated.title == "食品安全法解读" and updated.hours == Decimal("2.5")
    attend(session, staff, [(county.west_officer, ATTENDED)])
    later = TODAY + dt.timedelta(days=3)
    with pytest.raises(InvalidInput) as error:
        services.update_session(
            session=session, actor=staff, draft=draft(county, held_on=later), today=TODAY
        )
    message = f"已登记出勤的培训，日期不能晚于今天（{TODAY}）：{later}"
    assert error.value.by_field == {"held_on": message}
    with pytest.raises(InvalidInput) as error:
        services.update_session(
            session=session, actor=staff, draft=draft(county, audience=[county.east]), today=TODAY
        )
    message = f"已登记出勤的人员不在新的参训单位内：{county.west_officer}"
    assert error.value.by_field == {"audience": message}
    session.refresh_from_db()
    assert session.held_on == DAY and set(session.audience.all()) == {county.east, county.west}


def test_a_station_may_not_change_a_divisions_session(county: County) -> None:
    session = make_session(county)
    with pytest.raises(NotPermitted):
        services.update_session(
            session=session, actor=county.east_director, draft=draft(county, title="改")
        )
    session.refresh_from_db()
    assert session.title == "《食品安全法》及实施条例专题培训"
