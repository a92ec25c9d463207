"""Trace flag pages, endpoints and the CLI: scoped, counting, resolving through the service."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import County, client_for
from tests.inspections.trace.test_flags import east_record, raise_flag
from xiaoneng.inspections.models import TraceFlag


@pytest.fixture
def flag(county: County) -> TraceFlag:
    return raise_flag(east_record(county, visited_on=dt.date(2026, 3, 2)))


def test_the_list_shows_counts_per_kind_and_the_open_flags(county: County, flag: TraceFlag) -> None:
    raise_flag(east_record(county), "late")
    response = client_for(county.east_director).get("/trace/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="kind-counts"' in page
    assert f"/trace/{flag.pk}/" in page and "现场检查用时 3 分钟" in page
    assert response.context["counts"][1] == ("short", "检查时长过短", 1)
    assert response.context["page"].paginator.count == 2
    only_late = client_for(county.east_director).get("/trace/?kind=late&status=open")
    assert [f.kind for f in only_late.context["page"]] == ["late"]
    # The counts stay those of every kind under the other filters.
    assert only_late.context["counts"][1][2] == 1


def test_the_list_filters_by_officer_unit_and_date(county: County, flag: TraceFlag) -> None:
    client = client_for(county.division_staff)
    assert client.get("/trace/?officer=east_officer").context["page"].paginator.count == 1
    assert client.get("/trace/?officer=west_officer").context["page"].paginator.count == 0
    assert client.get("/trace/?unit=S-W").context["page"].paginator.count == 0
    assert client.get("/trace/?date_from=2026-03-03").context["page"].paginator.count == 0
    assert client.get("/trace/?date_to=2026-03-02&status=all").context["page"].paginator.count == 1


def test_another_station_sees_no_flag_and_gets_404_for_one(county: County, flag: TraceFlag) -> None:
    west = client_for(county.west_director)
    assert west.get("/trace/").context["page"].paginator.count == 0
    assert west.get(f"/trace/{flag.pk}/").status_code == 404
    assert (
        west.post(f"/trace/{flag.pk}/", {"decision": "clear", "reason": "经核实属实的"}).status_code
        == 404
    )
    assert west.get(f"/api/v1/trace-flags/{flag.pk}").status_code == 404
    assert west.get("/api/v1/trace-flags").json()["count"] == 0
    answer = west.post(
        f"/api/v1/trace-flags/{flag.pk}/resolve",
        {"confirmed": False, "reason": "经核实属实的"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    flag.refresh_from_db()
    assert flag.status == "open"


def test_the_detail_page_resolves_a_flag(county: County, flag: TraceFlag) -> None:
    client = client_for(county.east_director)
    page = client.get(f"/trace/{flag.pk}/")
    assert page.status_code == 200 and 'data-testid="resolve-form"' in page.content.decode()
    assert f"/inspections/{flag.inspection_id}/" in page.content.decode()
    done = client.post(f"/trace/{flag.pk}/", {"decision": "confirm", "reason": "未到现场，已约谈"})
    assert done.status_code == 302
    flag.refresh_from_db()
    assert flag.status == "confirmed" and flag.resolution == "未到现场，已约谈"


def test_the_detail_page_shows_a_missing_reason_next_to_the_field(
    county: County, flag: TraceFlag
) -> None:
    response = client_for(county.east_director).post(
        f"/trace/{flag.pk}/", {"decision": "clear", "reason": "短"}
    )
    assert response.status_code == 200
    assert response.context["errors"] == {"reason": "请填写核实意见，至少 5 个字：“短”"}
    flag.refresh_from_db()
    assert flag.status == "open"


def test_a_grid_officer_reads_the_flag_but_may_not_resolve_it(
    county: County, flag: TraceFlag
) -> None:
    client = client_for(county.east_officer)
    page = client.get(f"/trace/{flag.pk}/")
    assert page.status_code == 200 and "resolve-form" not in page.content.decode()
    assert client.post(f"/trace/{flag.pk}/", {"reason": "本人确在现场检查"}).status_code == 403
    refused = client.post(
        f"/api/v1/trace-flags/{flag.pk}/resolve",
        {"confirmed": False, "reason": "本人确在现场检查"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    flag.refresh_from_db()
    assert flag.status == "open"


def test_the_api_lists_counts_and_resolves(county: County, flag: TraceFlag) -> None:
    client = client_for(county.division_staff)
    body = client.get("/api/v1/trace-flags?kind=short").json()
    assert body["count"] == 1 and body["counts"]["short"] == 1 and body["counts"]["far"] == 0
    item = body["items"][0]
    assert item["inspection_id"] == flag.inspection_id and item["unit"] == "S-E"
    assert item["lead_officer"] == "east_officer" and item["kind_label"] == "检查时长过短"
    refused = client.post(
        f"/api/v1/trace-flags/{flag.pk}/resolve",
        {"confirmed": True, "reason": "短"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "reason", "message": "请填写核实意见，至少 5 个字：“短”"}
    ]
    done = client.post(
        f"/api/v1/trace-flags/{flag.pk}/resolve",
        {"confirmed": True, "reason": "未到现场，已约谈"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert done.json()["resolved_by"] == "division"


def test_the_cli_checks_and_prints_counts_per_kind(county: County) -> None:
    east_record(county, minutes=2)
    out = StringIO()
    call_command("trace", "check", stdout=out)
    text = out.getvalue()
    assert "检查已签名记录 checked: 1" in text
    assert "新增痕迹疑点 new flags: 1" in text
    assert "检查时长过短 short: 1" in text and "签到位置远离主体 far: 0" in text
    again = StringIO()
    call_command("trace", "check", "--since", "2026-01-01", "--json", stdout=again)
    assert json.loads(again.getvalue()) == {"checked": 1, "raised": {}}


def test_the_cli_refuses_a_bad_date(county: County) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("trace", "check", "--since", "2026-13-01")
    assert refused.value.returncode == 2
    assert "--since" in str(refused.value)
