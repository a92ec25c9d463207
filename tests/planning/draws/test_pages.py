"""Draw pages and API: scoped to the organising unit, seed hidden until the draw, forms refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.planning.draws.factories import LATER, make_draw, populate, run
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import ConflictDeclaration, RandomDraw

EAST_DRAW = "城东所自行组织的抽查"


@pytest.fixture
def east_draw(county: County) -> RandomDraw:
    """A drawn draw organised by the east station (by its administrator, whose scope is all),
    its teams from the east station and the division: nothing of the west station's."""
    populate(county)
    draw = make_draw(
        county,
        name=EAST_DRAW,
        unit=county.east,
        pool_units=[county.east, county.division],
        actor=county.admin,
    )
    return draws.run_draw(draw=draw, actor=county.admin, at=LATER)


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8")


@pytest.mark.parametrize(
    "path",
    ["/draws/", "/api/v1/draws", "/draws/conflicts/", "/api/v1/conflicts"],
)
def test_lists_hide_another_units_draws(county: County, east_draw: RandomDraw, path: str) -> None:
    draw_conflicts.declare_conflict(
        officer=county.east_officer,
        entity=east_draw.selections.first().entity,  # type: ignore[union-attr]
        reason="其兄经营该店",
        actor=None,
    )
    hidden = client_for(county.west_director).get(path)
    assert hidden.status_code == 200
    assert EAST_DRAW not in _text(hidden) and "其兄经营该店" not in _text(hidden)
    shown = client_for(county.east_director).get(path)
    if "conflicts" in path:
        assert "其兄经营该店" in _text(shown)
    else:
        assert EAST_DRAW in _text(shown)


@pytest.mark.parametrize(
    "path",
    [
        "/draws/{pk}/",
        "/draws/{pk}/verify/",
        "/draws/{pk}/snapshots/population/",
        "/api/v1/draws/{pk}",
        "/api/v1/draws/{pk}/result",
        "/api/v1/draws/{pk}/verify",
        "/api/v1/draws/{pk}/snapshots/pool",
    ],
)
def test_another_units_draw_answers_404(county: County, east_draw: RandomDraw, path: str) -> None:
    url = path.format(pk=east_draw.pk)
    assert client_for(county.west_director).get(url).status_code == 404
    assert client_for(county.east_director).get(url).status_code == 200
    assert client_for(county.leader).get(url).status_code == 200


@pytest.mark.parametrize(
    "path", ["/draws/{pk}/run/", "/draws/{pk}/publish/", "/api/v1/draws/{pk}/publish"]
)
def test_actions_on_another_units_draw_answer_404_and_change_nothing(
    county: County, east_draw: RandomDraw, path: str
) -> None:
    url = path.format(pk=east_draw.pk)
    response = client_for(county.west_director).post(url, "{}", content_type="application/json")
    assert response.status_code == 404
    assert RandomDraw.objects.get(pk=east_draw.pk).status == RandomDraw.Status.DRAWN


def test_detail_shows_the_seed_hash_before_and_the_seed_after_the_draw(county: County) -> None:
    populate(county)
    draw = make_draw(county)
    page = _text(client_for(county.division_staff).get(f"/draws/{draw.pk}/"))
    assert draw.seed_sha256 in page and draw.population_digest in page
    assert draw.held_seed not in page
    api = client_for(county.division_staff).get(f"/api/v1/draws/{draw.pk}").json()
    assert api["seed"] == "" and api["seed_sha256"] == draw.seed_sha256
    assert draw.held_seed not in json.dumps(api)
    response = client_for(county.division_staff).post(f"/draws/{draw.pk}/run/")
    assert response.status_code == 302
    draw.refresh_from_db()
    page = _text(client_for(county.division_staff).get(f"/draws/{draw.pk}/"))
    assert draw.seed in page and draw.seed_sha256 in page and "抽中主体与检查组" in page
    verified = _text(client_for(county.division_staff).get(f"/draws/{draw.pk}/verify/"))
    assert "已复核" in verified


def test_the_population_snapshot_downloads_as_the_text_its_digest_is_of(county: County) -> None:
    import hashlib

    populate(county)
    draw = make_draw(county)
    response = client_for(county.leader).get(f"/draws/{draw.pk}/snapshots/population/")
    assert hashlib.sha256(response.content).hexdigest() == draw.population_digest


def test_the_api_creates_runs_verifies_and_publishes_a_draw(county: County) -> None:
    populate(county)
    client = client_for(county.division_staff)
    payload = {
        "name": "接口创建的抽查",
        "unit": "D1",
        "items": ["R02"],
        "selection": "ratio",
        "ratios": {"A": "0.5", "B": "0.5", "C": "1", "D": "1"},
        "pool": ["B"],
        "team_size": 2,
        "workload_cap": 20,
        "inspections_end": "2099-12-31",
    }
    created = client.post("/api/v1/draws", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "committed" and body["population_count"] == 24
    # 2099's holidays are not loaded: 20 weekdays after 2099-12-31, marked provisional.
    assert body["publication_deadline"] == "2100-01-28"
    assert body["publication_deadline_provisional"] is True
    result = client.post(f"/api/v1/draws/{body['id']}/run", {}, content_type="application/json")
    assert list(result.json())[:4] == ["draw_id", "seed_sha256", "population_digest", "selected"]
    assert client.get(f"/api/v1/draws/{body['id']}/verify").json() == {
        "draw_id": body["id"],
        "verified": True,
        "problems": [],
    }
    published = client.post(
        f"/api/v1/draws/{body['id']}/publish",
        {"url": "https://example.gov.cn/gs/1"},
        content_type="application/json",
    )
    assert published.json()["publication"]["url"] == "https://example.gov.cn/gs/1"


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"team_size": 1}, 422, "team_size: 每组检查人员至少 2 人：1"),
        ({"ratios": {"A": "2"}}, 422, "ratio: 抽查比例应在 0 至 1 之间：A=2"),
        ({"unit": "NOPE"}, 422, "unit: 未知的单位代码：NOPE"),
        ({"pool": ["S-E", "X"]}, 422, "pool: 未知的单位代码：X"),
        (
            {"population_filter": {"grid": "G-W", "credit_grade": "D", "status": "revoked"}},
            400,
            "抽查对象为空：没有符合范围条件的市场主体",
        ),
        ({"inspections_end": "2026-02-30"}, 422, "请求数据无效"),
    ],
)
def test_the_api_refuses_bad_draws_and_writes_nothing(
    county: County, change: dict[str, Any], status: int, detail: str
) -> None:
    populate(county)
    payload = {
        "name": "坏请求",
        "unit": "D1",
        "items": ["R02"],
        "selection": "ratio",
        "ratios": {"A": "0.5"},
        "pool": ["B"],
        "workload_cap": 20,
        "inspections_end": "2099-12-31",
        **change,
    }
    response = client_for(county.division_staff).post(
        "/api/v1/draws", payload, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert response.json()["detail"] == detail
    assert not RandomDraw.objects.exists()


def test_a_station_officer_cannot_create_a_draw_by_api_or_page(county: County) -> None:
    populate(county)
    client = client_for(county.east_officer)
    assert client.get("/draws/new/").status_code == 403
    response = client.post(
        "/api/v1/draws",
        {
            "name": "x",
            "unit": "S-E",
            "items": ["R02"],
            "selection": "count",
            "count": 1,
            "pool": ["S-E"],
            "workload_cap": 5,
            "inspections_end": "2099-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权执行此操作。"
    assert not RandomDraw.objects.exists()


def _form(**change: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "页面创建的抽查",
        "unit": "D1",
        "items": ["R02"],
        "selection": "ratio",
        "ratio_A": "0.5",
        "ratio_B": "0.5",
        "ratio_C": "1",
        "ratio_D": "1",
        "pool_units": ["B"],
        "team_size": "2",
        "workload_cap": "20",
        "inspections_end": "2099-12-31",
        "action": "commit",
    }
    values.update(change)
    return values


def test_the_form_creates_and_commits_a_draw(county: County) -> None:
    populate(county)
    response = client_for(county.division_staff).post("/draws/new/", _form())
    draw = RandomDraw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/draws/{draw.pk}/"
    assert draw.status == RandomDraw.Status.COMMITTED and draw.population_count == 24


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ratio_B": "1.2"}, "ratio_A", "抽查比例应在 0 至 1 之间：B=1.2"),
        ({"team_size": "1"}, "team_size", "每组检查人员至少 2 人：1"),
        ({"team_size": ""}, "team_size", "每组检查人员至少 2 人："),
        ({"workload_cap": "-3"}, "workload_cap", "每人检查户数上限应为正整数：-3"),
        ({"items": []}, "items", "请至少选择一项检查事项"),
        ({"pool_units": []}, "pool_units", "请指定检查人员库的单位"),
        ({"grid": "G-E,G-404"}, "grid", "未知的网格编号：G-404"),
        ({"inspections_end": "tomorrow"}, "inspections_end", "请填写检查截止日期（YYYY-MM-DD）"),
        ({"inspections_end": "2026-02-30"}, "inspections_end", "请填写检查截止日期（YYYY-MM-DD）"),
        ({"selection": "count", "count": "lots"}, "count", "抽取数量应为正整数：lots"),
    ],
)
def test_the_form_shows_each_bad_value_at_its_field_and_writes_nothing(
    county: County, change: dict[str, Any], field: str, message: str
) -> None:
    populate(county)
    response = client_for(county.division_staff).post("/draws/new/", _form(**change))
    assert response.status_code == 200
    assert f'data-testid="error-{field}">{message}<' in _text(response)
    assert not RandomDraw.objects.exists()


def test_the_form_shows_a_refused_draw_as_a_message(county: County) -> None:
    populate(county)
    response = client_for(county.division_staff).post(
        "/draws/new/", _form(pool_units=["S-E"], team_size="3")
    )
    assert "检查人员库只有 2 名持证执法人员，不足每组 3 人" in _text(response)
    assert not RandomDraw.objects.exists()


def test_a_draft_saved_on_the_form_is_committed_from_its_page(county: County) -> None:
    populate(county)
    client = client_for(county.division_staff)
    client.post("/draws/new/", _form(action="draft"))
    draw = RandomDraw.objects.get()
    assert draw.status == RandomDraw.Status.DRAFT and draw.seed_sha256 == ""
    client.post(f"/draws/{draw.pk}/commit/", {"seed": ""})
    assert RandomDraw.objects.get().status == RandomDraw.Status.COMMITTED


def test_running_with_a_wrong_seed_on_the_page_shows_the_refusal(county: County) -> None:
    populate(county)
    draw = make_draw(county, seed="对的")
    response = client_for(county.division_staff).post(
        f"/draws/{draw.pk}/run/", {"seed": "错的"}, follow=True
    )
    assert "种子与锁定名单时公布的 SHA-256 摘要不符" in _text(response)
    assert RandomDraw.objects.get().status == RandomDraw.Status.COMMITTED


def test_the_list_marks_a_draw_overdue_for_publication(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)  # inspections end 2026-04-30, due 2026-06-01
    page = _text(client_for(county.leader).get("/draws/?overdue=1"))
    assert draw.name in page and "逾期未公示" in page
    draw_publication.publish_draw(draw=draw, actor=county.division_staff, at=LATER)
    page = _text(client_for(county.leader).get("/draws/?overdue=1"))
    assert draw.name not in page


def test_an_officer_declares_a_conflict_on_the_page(county: County) -> None:
    entity = populate(county, west=0)[0]
    client = client_for(county.east_officer)
    response = client.post("/draws/conflicts/", {"uscc": entity.uscc.lower(), "reason": "亲属经营"})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get().officer == county.east_officer


@pytest.mark.parametrize(
    ("who", "values", "message"),
    [
        (
            "east_officer",
            {"uscc": "91654002MA0000000X", "reason": "x"},
            "未找到该统一社会信用代码的市场主体，或不在您的辖区内",
        ),
        ("east_officer", {"uscc": "{east}", "reason": ""}, "reason: 请填写回避理由"),
        (
            "west_officer",
            {"uscc": "{east}", "reason": "x"},
            "未找到该统一社会信用代码的市场主体，或不在您的辖区内",
        ),
        (
            "division_staff",
            {"uscc": "{east}", "reason": "x", "officer": "nobody"},
            "未找到执法人员：nobody",
        ),
    ],
)
def test_bad_conflict_declarations_on_the_page_are_refused(
    county: County, who: str, values: dict[str, str], message: str
) -> None:
    entity = populate(county, west=0)[0]
    values = {k: v.format(east=entity.uscc) for k, v in values.items()}
    response = client_for(getattr(county, who)).post("/draws/conflicts/", values)
    assert response.status_code == 200
    assert message in _text(response)
    assert not ConflictDeclaration.objects.exists()


def test_the_api_declares_a_conflict_for_an_officer_of_staffs_scope(county: County) -> None:
    entity = populate(county, west=0)[0]
    response = client_for(county.division_staff).post(
        "/api/v1/conflicts",
        {"entity": entity.uscc, "reason": "曾在该店任职", "officer": "east_officer"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["certificate_number"] == county.east_officer.certificate_number


def test_the_api_commits_a_draft_and_lists_the_items(county: County) -> None:
    populate(county)
    draft = make_draw(county, commit=False)
    client = client_for(county.division_staff)
    items = client.get("/api/v1/inspection-items").json()
    assert {"code": "R02", "name": "食品经营者检查"}.items() <= items[1].items()
    response = client.post(
        f"/api/v1/draws/{draft.pk}/commit", {"seed": "接口种子"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["seed_sha256"] == draws_seed_digest("接口种子")
    again = client.post(f"/api/v1/draws/{draft.pk}/commit", {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["detail"] == "该抽查已锁定名单，不能再次锁定"


def draws_seed_digest(seed: str) -> str:
    import hashlib

    return hashlib.sha256(seed.encode()).hexdigest()


def test_the_verify_fragment_names_a_tampered_row(county: County) -> None:
    from xiaoneng.planning.draws.models import DrawSelection

    populate(county)
    draw = run(make_draw(county, seed="页"), county, seed="页")
    DrawSelection.objects.filter(draw=draw, order=1).update(uscc="91654002MA0000000X")
    fragment = _text(client_for(county.leader).get(f"/draws/{draw.pk}/verify/"))
    assert "复核未通过" in fragment and "第 1 户：记录的统一社会信用代码" in fragment
