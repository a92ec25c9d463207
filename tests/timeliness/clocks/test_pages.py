"""The warning pages and API: the list (red first, filters), the detail with the forms only
for who may, handling and clearing with their errors, the policy page, the clocks panel."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.timeliness.clocks.factories import make_clock, set_today
from xiaoneng.timeliness.clocks.models import Level, Warning
from xiaoneng.timeliness.clocks.views import clocks_panel_context
from xiaoneng.timeliness.clocks.warnings import recompute
from xiaoneng.web.todo import todo_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def warned(county: County, monkeypatch: pytest.MonkeyPatch) -> dict[str, Warning]:
    set_today(monkeypatch)(D(2026, 11, 17))
    late = make_clock(county, started_on=D(2026, 11, 2), limit_days=10, subject="逾期办件")
    near = make_clock(county, started_on=D(2026, 11, 2), limit_days=13, subject="临期办件")
    west = make_clock(
        county,
        started_on=D(2026, 11, 2),
        limit_days=10,
        subject="城西办件",
        unit=county.west,
        officer=county.west_officer,
    )
    recompute(today=D(2026, 11, 17))
    return {
        "red": Warning.objects.get(clock=late),
        "yellow": Warning.objects.get(clock=near),
        "west": Warning.objects.get(clock=west),
    }


def test_the_list_shows_red_first_and_only_the_units_own(county: County, warned) -> None:
    html = client_for(county.east_director).get("/warnings/").content.decode()
    assert html.index("逾期办件") < html.index("临期办件")
    assert "城西办件" not in html
    assert "城西办件" in client_for(county.division_staff).get("/warnings/").content.decode()
    yellow = client_for(county.east_director).get("/warnings/?level=yellow")
    assert "逾期办件" not in yellow.content.decode()
    bogus = client_for(county.east_director).get("/warnings/?level=purple")
    assert "未识别的筛选条件：预警 = purple，已忽略" in bogus.content.decode()


def test_the_detail_offers_handle_to_the_officer_and_clear_to_the_director(
    county: County, warned
) -> None:
    url = f"/warnings/{warned['red'].pk}/"
    officer = client_for(county.east_officer).get(url).content.decode()
    assert 'data-testid="handle-form"' in officer and 'data-testid="clear-form"' not in officer
    assert f'href="/services/cases/{warned["red"].clock.subject_id}/"' in officer
    director = client_for(county.east_director).get(url).content.decode()
    assert 'data-testid="handle-form"' not in director and 'data-testid="clear-form"' in director
    assert client_for(county.west_director).get(url).status_code == 404


def test_handling_and_clearing_through_the_pages(county: County, warned) -> None:
    red = warned["red"]
    empty = client_for(county.east_officer).post(f"/warnings/{red.pk}/handle/", {"note": ""})
    assert empty.status_code == 422 and "请填写处理情况" in empty.content.decode()
    done = client_for(county.east_officer).post(f"/warnings/{red.pk}/handle/", {"note": "已督促"})
    assert done.status_code == 302
    red.refresh_from_db()
    assert red.handling == "已督促"
    refused = client_for(county.east_officer).post(
        f"/warnings/{warned['yellow'].pk}/clear/", {"reason_note": "误报"}
    )
    assert refused.status_code == 403
    no_reason = client_for(county.east_director).post(
        f"/warnings/{warned['yellow'].pk}/clear/", {"reason_note": " "}
    )
    assert no_reason.status_code == 422 and "请说明解除预警的理由" in no_reason.content.decode()
    assert Warning.objects.get(pk=warned["yellow"].pk).cleared_at is None


def test_the_policy_page_shows_to_all_and_saves_for_managers(county: County) -> None:
    page = client_for(county.east_officer).get("/warnings/policy/").content.decode()
    assert "80%" in page and 'data-testid="policy-form"' not in page
    assert (
        client_for(county.east_officer)
        .post("/warnings/policy/", {"yellow_share": "0.7", "handle_days": "2"})
        .status_code
        == 403
    )
    bad = client_for(county.division_staff).post(
        "/warnings/policy/", {"yellow_share": "2", "handle_days": "2"}
    )
    assert bad.status_code == 422
    assert "黄色预警用时比例应为 0.10 至 0.99 之间的小数：2" in bad.content.decode()
    ok = client_for(county.division_staff).post(
        "/warnings/policy/", {"yellow_share": "0.70", "handle_days": "3"}
    )
    assert ok.status_code == 302


def test_the_api_lists_and_acts(county: County, warned) -> None:
    api = client_for(county.east_officer)
    listed = api.get("/api/v1/warnings?level=red").json()
    assert [w["subject"] for w in listed["items"]] == ["逾期办件"]
    assert api.get("/api/v1/warnings?level=purple").status_code == 422
    red = warned["red"]
    assert api.get(f"/api/v1/warnings/{warned['west'].pk}").status_code == 404
    empty = api.post(
        f"/api/v1/warnings/{red.pk}/handle", {"note": ""}, content_type="application/json"
    )
    assert empty.status_code == 422
    done = api.post(
        f"/api/v1/warnings/{red.pk}/handle", {"note": "已督促"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["handling"] == "已督促"
    clock = api.get(f"/api/v1/clocks/{red.clock_id}").json()
    assert clock["level"] == Level.RED and clock["due_on"] == "2026-11-16"


def test_the_clocks_panel_and_the_overview_cards(county: County, warned) -> None:
    red = warned["red"]
    context = clocks_panel_context(
        red.clock.subject_type, red.clock.subject_id, county.east_officer
    )
    assert [row["limit"] for row in context["clock_rows"]] == [10]
    cards = {str(c.label): c.count for c in todo_for(county.east_officer, D(2026, 11, 17))}
    assert cards["待我处理的红色预警"] == 1 and cards["待我处理的黄色预警"] == 1
    director = {str(c.label): c.count for c in todo_for(county.east_director, D(2026, 11, 17))}
    assert director["待我处理的红色预警"] == 0


def test_the_figures_count_raised_handled_cleared_and_open(county: County, warned) -> None:
    from xiaoneng.timeliness.clocks import services
    from xiaoneng.timeliness.clocks.figures import warning_figures, warning_figures_by

    services.clear_warning(
        warning=warned["yellow"], reason_note="申请人撤回", actor=county.east_director
    )
    services.handle_warning(warning=warned["red"], note="已督促", actor=county.east_officer)
    today = dt.date.today()
    figures = warning_figures(Warning.objects.all(), D(2026, 11, 1), max(today, D(2026, 11, 30)))
    assert (figures.yellow, figures.red, figures.escalated) == (1, 2, 0)
    assert (figures.handled, figures.cleared, figures.cleared_by_hand) == (1, 1, 1)
    assert figures.open_at_end == 2 and figures.raised == 3
    by_unit = dict(
        warning_figures_by(Warning.objects.all(), D(2026, 11, 1), max(today, D(2026, 11, 30)))
    )
    assert by_unit[("S-W", "城西所")].red == 1


def test_the_clocks_include_shows_used_limit_due_and_level(county: County, warned) -> None:
    from django.template.loader import render_to_string

    clock = warned["red"].clock
    context = clocks_panel_context(clock.subject_type, clock.subject_id, county.east_officer)
    html = render_to_string("timeliness/clocks/_clocks.html", context)
    assert "已用 11 / 10 个工作日" in html and "2026-11-16" in html
    assert 'data-testid="level"' in html and "红色预警" in html


def test_the_clocks_include_shows_the_start_and_a_late_completion(county: County, warned) -> None:
    from django.template.loader import render_to_string

    from xiaoneng.timeliness.clocks import services

    clock = warned["red"].clock
    services.stop(clock=clock, on=D(2026, 11, 17), actor=county.east_officer)
    context = clocks_panel_context(clock.subject_type, clock.subject_id, county.east_officer)
    html = render_to_string("timeliness/clocks/_clocks.html", context)
    assert "起算 2026-11-02" in html and 'data-testid="late"' in html and "超时办结" in html
    assert "按时办结" not in html
