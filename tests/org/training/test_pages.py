"""The training pages per role: the list with the seed's sentence and the user's own training,
the filters, the session with the rows the user may read, and the forms with bad input shown
and nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import County, client_for
from tests.org.training.factories import DAY, attend, make_session
from xiaoneng.org.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
A = "attended"


def page(county: County, who: str, url: str) -> str:
    response = client_for(getattr(county, who)).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_says_the_seeds_sentence_and_the_users_own_training(county: County) -> None:
    session = make_session(county)
    attend(session, county.division_staff, [(county.east_officer, A), (county.west_officer, A)])
    make_session(county, title="双随机抽查操作规程培训", topic="business", hours="2")
    text = page(county, "leader", reverse("training:session_list"))
    assert "已举办业务培训2场次，参训人员达到2人次" in text and "双随机抽查操作规程培训" in text
    # A station counts the person-times of its own officers.
    east = page(county, "east_officer", reverse("training:session_list"))
    assert "已举办业务培训2场次，参训人员达到1人次" in east
    assert "年我参加培训 1 场次，共 3 学时。" in east


def test_the_list_filters_and_mine(county: County) -> None:
    make_session(county, title="廉政警示教育", topic="integrity")
    food = make_session(county)
    attend(food, county.division_staff, [(county.east_officer, A)])
    url = reverse("training:session_list")
    text = page(county, "east_officer", f"{url}?topic=food")
    assert "《食品安全法》" in text and "廉政警示教育" not in text
    mine = page(county, "east_officer", f"{url}?mine=1")
    assert "《食品安全法》" in mine and "廉政警示教育" not in mine
    empty = page(county, "east_officer", f"{url}?from=2026-04-01")
    assert "已举办业务培训0场次" in empty
    odd = page(county, "east_officer", f"{url}?topic=cooking&organiser=NOPE")
    assert "未识别的筛选条件：培训类别 = cooking；组织单位 = NOPE，已忽略" in odd
    assert "已举办业务培训2场次" in odd


def test_the_list_offers_the_form_to_those_who_record(county: County) -> None:
    url = reverse("training:session_list")
    assert 'data-testid="create"' in page(county, "east_director", url)
    assert 'data-testid="create"' not in page(county, "east_officer", url)
    response = client_for(county.east_officer).get(reverse("training:session_create"))
    assert response.status_code == 403


def test_a_station_sees_its_own_rows_of_a_divisions_session(county: County) -> None:
    session = make_session(county)
    attend(session, county.division_staff, [(county.east_officer, A), (county.west_officer, A)])
    url = reverse("training:session_detail", args=[session.pk])
    west = page(county, "west_director", url)
    assert str(county.west_officer) in west and str(county.east_officer) not in west
    assert "出席 1 人次" in west and 'data-testid="record"' in west
    assert 'data-testid="edit"' not in west
    division = page(county, "division_staff", url)
    assert str(county.east_officer) in division and 'data-testid="edit"' in division


def test_another_stations_session_is_not_found(county: County) -> None:
    own = make_session(
        county, actor=county.east_director, organiser=county.east, audience=[county.east]
    )
    for name in ("session_detail", "session_edit", "session_attendance"):
        url = reverse(f"training:{name}", args=[own.pk])
        assert client_for(county.west_director).get(url).status_code == 404


def test_a_session_is_recorded_from_the_form(county: County) -> None:
    data = {
        "title": "执法文书制作规范",
        "topic": "enforcement",
        "organiser": county.division.code,
        "held_on": DAY.isoformat(),
        "hours": "2.5",
        "audience": [county.east.code, county.west.code],
        "place": "局会议室",
        "lecturer": "李科长",
    }
    response = client_for(county.division_staff).post(reverse("training:session_create"), data)
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert session.title == "执法文书制作规范" and session.audience.count() == 2


def test_bad_form_input_is_shown_and_nothing_written(county: County) -> None:
    data = {
        "title": "",
        "topic": "cooking",
        "organiser": "NOPE",
        "held_on": "2026-02-30",
        "hours": "30",
        "audience": ["S-E", "XX"],
    }
    client = client_for(county.division_staff)
    text = client.post(reverse("training:session_create"), data).content.decode()
    assert "未找到该单位：NOPE" in text and "未找到该单位：XX" in text
    assert "请填写日期（YYYY-MM-DD）：2026-02-30" in text
    assert not TrainingSession.objects.exists()
    data |= {"organiser": "D1", "held_on": "2026-03-02", "audience": ["S-E"]}
    text = client.post(reverse("training:session_create"), data).content.decode()
    assert "请填写培训专题" in text and "未知的培训类别：cooking" in text
    assert "学时应大于 0 且不超过 24：30" in text
    assert not TrainingSession.objects.exists()


def test_a_session_is_corrected_from_the_form(county: County) -> None:
    session = make_session(county)
    url = reverse("training:session_edit", args=[session.pk])
    form = page(county, "division_staff", url)
    assert "《食品安全法》及实施条例专题培训" in form
    data = {
        "title": "食品安全法解读",
        "topic": "food",
        "organiser": "D1",
        "held_on": "2026-03-03",
        "hours": "4",
        "audience": ["S-E"],
    }
    assert client_for(county.division_staff).post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.title == "食品安全法解读" and list(session.audience.all()) == [county.east]
    assert client_for(county.east_director).get(url).status_code == 403


def test_attendance_is_recorded_from_the_checklist(county: County) -> None:
    session = make_session(county)
    url = reverse("training:session_attendance", args=[session.pk])
    form = page(county, "east_director", url)
    # A director's checklist holds their own station's officers only.
    assert str(county.east_officer) in form and str(county.west_officer) not in form
    data = {f"status-{county.east_officer.pk}": A, f"status-{county.east_director.pk}": "excused"}
    data[f"status-{county.west_officer.pk}"] = A  # not on the director's list: ignored
    response = client_for(county.east_director).post(url, data)
    assert response.status_code == 302
    found = dict(Attendance.objects.values_list("officer__username", "status"))
    assert found == {"east_officer": A, "east_director": "excused"}


def test_bad_attendance_is_shown_and_nothing_written(county: County) -> None:
    session = make_session(county)
    url = reverse("training:session_attendance", args=[session.pk])
    client = client_for(county.division_staff)
    response = client.post(url, {f"status-{county.east_officer.pk}": "late"})
    assert response.status_code == 422 and "未知的出勤情况：late" in response.content.decode()
    response = client.post(url, {})
    assert "请至少登记一名人员的出勤情况" in response.content.decode()
    assert not Attendance.objects.exists()
    assert client_for(county.east_officer).get(url).status_code == 403
