"""The training API: the paged, filtered and scoped sessions, one session with the rows the
user may read, recording a session and attendance with bad input refused (exact messages,
nothing written), and the figures of a unit's subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.org.training.factories import DAY, attend, make_session
from xiaoneng.org.models import Officer
from xiaoneng.org.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training"
A = "attended"


def post(who: Officer, url: str, body: dict[str, Any]) -> Any:
    return client_for(who).post(url, body, content_type="application/json")


def body(county: County, **changes: Any) -> dict[str, Any]:
    values = {
        "title": "网络交易监督管理办法培训",
        "topic": "law",
        "organiser": county.division.code,
        "held_on": DAY.isoformat(),
        "hours": "3",
        "audience": [county.east.code, county.west.code],
    }
    return values | changes


def test_sessions_are_listed_scoped_and_filtered(county: County) -> None:
    food = make_session(county)
    own = make_session(
        county, actor=county.east_director, organiser=county.east, audience=[county.east]
    )
    attend(own, county.east_director, [(county.east_officer, A)])
    answer = client_for(county.west_officer).get(f"{BASE}/sessions").json()
    assert [s["id"] for s in answer["items"]] == [food.pk] and answer["count"] == 1
    east = client_for(county.east_officer).get(f"{BASE}/sessions?mine=true").json()
    assert [s["id"] for s in east["items"]] == [own.pk]
    item = east["items"][0]
    assert item["organiser"] == "S-E" and item["audience"] == ["S-E"] and item["hours"] == "3.0"
    assert item["topic_label"] == "食品安全"
    leader = client_for(county.leader).get(f"{BASE}/sessions?organiser=D1&from=2026-01-01").json()
    assert [s["id"] for s in leader["items"]] == [food.pk]


def test_bad_list_parameters_are_refused(county: County) -> None:
    client = client_for(county.leader)
    answer = client.get(f"{BASE}/sessions?topic=cooking")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "topic"
    answer = client.get(f"{BASE}/sessions?organiser=NOPE")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "organiser", "message": "未找到该单位：NOPE"}]
    assert client.get(f"{BASE}/sessions?from=2026-02-30").status_code == 422
    assert client.get(f"{BASE}/sessions?page=0").status_code == 422


def test_one_session_shows_the_rows_the_user_may_read(county: County) -> None:
    session = make_session(county)
    attend(session, county.division_staff, [(county.east_officer, A), (county.west_officer, A)])
    answer = client_for(county.west_director).get(f"{BASE}/sessions/{session.pk}").json()
    assert [a["officer"] for a in answer["attendances"]] == ["west_officer"]
    assert answer["attendances"][0]["status_label"] == "出席"
    full = client_for(county.admin).get(f"{BASE}/sessions/{session.pk}").json()
    assert {a["officer"] for a in full["attendances"]} == {"east_officer", "west_officer"}
    own = make_session(
        county, actor=county.east_director, organiser=county.east, audience=[county.east]
    )
    assert client_for(county.west_director).get(f"{BASE}/sessions/{own.pk}").status_code == 404
    assert client_for(county.admin).get(f"{BASE}/sessions/999999").status_code == 404


def test_a_session_is_recorded(county: County) -> None:
    answer = post(county.division_staff, f"{BASE}/sessions", body(county))
    assert answer.status_code == 201
    session = TrainingSession.objects.get()
    assert answer.json()["id"] == session.pk and answer.json()["attendances"] == []
    assert session.created_by == county.division_staff


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "请填写培训专题"),
        ({"title": "培" * 101}, "title", "培训专题不能超过 100 个字"),
        ({"topic": "cooking"}, "topic", "未知的培训类别：cooking"),
        ({"organiser": ""}, "organiser", "请选择组织单位"),
        ({"organiser": "NOPE"}, "organiser", "未找到该单位：NOPE"),
        ({"held_on": None}, "held_on", "请填写培训日期（YYYY-MM-DD）"),
        ({"hours": "0"}, "hours", "学时应大于 0 且不超过 24：0"),
        ({"hours": "25"}, "hours", "学时应大于 0 且不超过 24：25"),
        ({"hours": "x"}, "hours", "学时应为数字：x"),
        ({"audience": []}, "audience", "请选择参训单位"),
        ({"audience": ["S-E", "S-E"]}, "audience", "参训单位重复"),
        ({"audience": ["S-E", "XX"]}, "audience", "未找到该单位：XX"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_written(
    county: County, changes: dict[str, Any], field: str, message: str
) -> None:
    answer = post(county.division_staff, f"{BASE}/sessions", body(county, **changes))
    assert answer.status_code == 422, answer.json()
    assert answer.json()["errors"] == [{"field": field, "message": message}]
    assert not TrainingSession.objects.exists()


def test_malformed_and_missing_fields_are_refused(county: County) -> None:
    answer = post(county.division_staff, f"{BASE}/sessions", {"title": "x"})
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"topic", "organiser", "hours", "audience"}
    answer = post(county.division_staff, f"{BASE}/sessions", body(county, held_on="2026-13-01"))
    assert answer.json()["errors"] == [{"field": "held_on", "message": "应为日期（YYYY-MM-DD）"}]
    assert not TrainingSession.objects.exists()


def test_who_may_record_a_session(county: County) -> None:
    answer = post(county.east_officer, f"{BASE}/sessions", body(county, organiser="S-E"))
    assert answer.status_code == 403
    answer = post(county.east_director, f"{BASE}/sessions", body(county))
    # The division and the west station are outside the east director's scope: not found.
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "organiser", "message": "未找到该单位：D1"}]
    assert not TrainingSession.objects.exists()


def test_attendance_is_recorded(county: County) -> None:
    session = make_session(county)
    entries = [
        {"officer": "east_officer", "status": A},
        {"officer": "west_officer", "status": "excused"},
    ]
    answer = post(
        county.division_staff, f"{BASE}/sessions/{session.pk}/attendance", {"entries": entries}
    )
    assert answer.status_code == 200
    assert {a["officer"]: a["status"] for a in answer.json()["attendances"]} == {
        "east_officer": A,
        "west_officer": "excused",
    }


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([], "请至少登记一名人员的出勤情况"),
        ([{"officer": "nobody", "status": A}], "未找到该人员：nobody"),
        ([{"officer": "east_officer", "status": "late"}], "未知的出勤情况：late"),
        (
            [{"officer": "east_officer", "status": A}, {"officer": "east_officer", "status": A}],
            "人员重复：{east_officer}",
        ),
        ([{"officer": "leader", "status": A}], "不属于参训单位的人员：{leader}"),
    ],
)
def test_bad_attendance_is_refused_and_nothing_written(
    county: County, entries: list[dict[str, str]], message: str
) -> None:
    session = make_session(county, audience=[county.east])
    url = f"{BASE}/sessions/{session.pk}/attendance"
    answer = post(county.division_staff, url, {"entries": entries})
    assert answer.status_code == 422
    expected = message.format(east_officer=county.east_officer, leader=county.leader)
    assert answer.json()["errors"] == [{"field": "entries", "message": expected}]
    assert not Attendance.objects.exists()


def test_attendance_of_a_future_session_or_a_bad_body_is_refused(county: County) -> None:
    later = make_session(county, held_on=dt.date.today() + dt.timedelta(days=2))
    url = f"{BASE}/sessions/{later.pk}/attendance"
    answer = post(
        county.division_staff, url, {"entries": [{"officer": "east_officer", "status": A}]}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "held_on"
    assert post(county.division_staff, url, {"entries": "x"}).status_code == 422
    assert post(county.division_staff, url, {}).status_code == 422
    assert not Attendance.objects.exists()


def test_figures_of_a_units_subtree(county: County) -> None:
    session = make_session(county)
    attend(session, county.division_staff, [(county.east_officer, A), (county.west_officer, A)])
    make_session(county, topic="integrity", title="廉政警示教育", hours="1.5")
    query = "from=2026-01-01&to=2026-12-31"
    answer = client_for(county.admin).get(f"{BASE}/figures?{query}").json()
    assert answer["unit"] == "" and answer["total"] == {
        "sessions": 2,
        "person_times": 2,
        "hours": "4.5",
        "person_hours": "6.0",
    }
    assert [(t["topic"], t["label"], t["sessions"]) for t in answer["by_topic"]] == [
        ("food", "食品安全", 1),
        ("integrity", "廉政教育", 1),
    ]
    assert [(o["code"], o["sessions"]) for o in answer["by_organiser"]] == [("D1", 2)]
    east = client_for(county.east_officer).get(f"{BASE}/figures?{query}").json()
    assert east["unit"] == "S-E" and east["total"]["person_times"] == 1
    leader = client_for(county.leader).get(f"{BASE}/figures?{query}&unit=S-W").json()
    assert leader["unit"] == "S-W" and leader["total"]["person_times"] == 1


def test_bad_figures_parameters(county: County) -> None:
    client = client_for(county.west_officer)
    assert client.get(f"{BASE}/figures?unit=S-E").status_code == 404
    answer = client.get(f"{BASE}/figures?from=2026-05-01&to=2026-04-01")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "to", "message": "结束日期不能早于开始日期"}]
    assert client.get(f"{BASE}/figures?from=1800-01-01").status_code == 422
