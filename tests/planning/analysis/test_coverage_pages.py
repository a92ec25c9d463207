"""The coverage report's pages, exports and API: same figures, scoped to the user's units."""

from __future__ import annotations

import json

import pytest

from tests.conftest import County, client_for
from tests.planning.analysis.test_coverage import Table, build_table


@pytest.fixture
def table(county: County) -> Table:
    return build_table(county)


EAST_SECRETS = ("东城购物中心", "东城拉面馆", "城东所", "G-E")
PAGES = [
    "/coverage/",
    "/coverage/?matter=food_safety",
    "/coverage/entities/?kind=duplicate",
    "/coverage/entities/?kind=blank",
    "/coverage/export/?kind=duplicate&format=csv",
    "/coverage/export/?kind=blank&format=csv",
    "/api/v1/coverage/report",
    "/api/v1/coverage/entities?kind=duplicate",
    "/api/v1/coverage/entities?kind=blank",
    "/api/v1/coverage/export?kind=duplicate&format=csv",
]


@pytest.mark.parametrize("path", PAGES)
def test_coverage_pages_hide_another_stations_entities(
    county: County, table: Table, path: str
) -> None:
    response = client_for(county.west_officer).get(path)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    if path.startswith("/api/") and "export" not in path:
        text = json.dumps(response.json(), ensure_ascii=False)
    for secret in (*EAST_SECRETS, table.entities["mall"].uscc):
        assert secret not in text, f"{path} shows {secret}"
    if "entities?kind=duplicate" in path or "entities/?kind=duplicate" in path or "export" in path:
        assert ("西城百货大楼" in text) == ("duplicate" in path)


def test_report_page_shows_the_figures_and_links(county: County, table: Table) -> None:
    page = client_for(county.leader).get("/coverage/").content.decode()
    assert 'data-testid="stat-duplicates">2<' in page
    assert 'data-testid="stat-blanks">3<' in page
    assert "商务局、应急管理局、街道办事处" in page
    assert (
        "/coverage/entities/?matter=work_safety&kind=duplicate&departments=COM%2CSAFE%2CSTREET"
        in page
    )
    assert "/coverage/entities/?matter=work_safety&kind=blank&industry=H6210" in page


def test_drill_down_page_lists_the_entities_and_their_rules(county: County, table: Table) -> None:
    page = client_for(county.leader).get(
        "/coverage/entities/?matter=work_safety&kind=duplicate&station=S-E"
    )
    text = page.content.decode()
    assert "东城购物中心" in text and "西城百货大楼" not in text
    assert 'data-testid="result-count">共 1 户<' in text
    assert "《安全生产法》" in text
    blank = client_for(county.leader).get("/coverage/entities/?kind=blank&industry=F5211")
    assert "东城百货商店" in blank.content.decode() and "未登记" in blank.content.decode()


def test_api_report_gives_the_same_figures(county: County, table: Table) -> None:
    report = client_for(county.leader).get("/api/v1/coverage/report?matter=work_safety").json()
    assert (report["total"], report["duplicates"], report["blanks"]) == (7, 2, 3)
    assert report["departments"] == ["COM", "SAFE", "STREET"]
    assert report["combinations"] == [
        {"key": "COM,SAFE,STREET", "label": "商务局、应急管理局、街道办事处", "count": 2}
    ]
    assert report["by_station"]["blank"] == [{"key": "S-E", "label": "城东所", "count": 3}]
    west = client_for(county.west_officer).get("/api/v1/coverage/report").json()
    assert (west["total"], west["duplicates"], west["blanks"]) == (1, 1, 0)


def test_api_drill_down_pages(county: County, table: Table) -> None:
    client = client_for(county.leader)
    found = client.get("/api/v1/coverage/entities?kind=blank&page_size=2").json()
    assert (found["count"], found["page"], found["page_size"]) == (3, 1, 2)
    assert [e["name"] for e in found["results"]] == ["东城拉面馆", "东城美发店"]
    second = client.get("/api/v1/coverage/entities?kind=blank&page_size=2&page=2").json()
    assert [(e["name"], e["floor_area_m2"]) for e in second["results"]] == [("东城百货商店", None)]
    duplicate = client.get("/api/v1/coverage/entities?kind=duplicate&station=S-W").json()
    mall = duplicate["results"][0]
    assert (mall["unit"], mall["grid"], mall["departments"]) == (
        "S-W",
        "G-W",
        ["COM", "SAFE", "STREET"],
    )
    assert sorted(mall["rules"]) == sorted(
        table.rules[k].pk for k in ("commerce_big", "safety_big", "street_big")
    )


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/v1/coverage/report?matter=noise", 422, "matter: 未知的监管事项：noise"),
        (
            "/api/v1/coverage/entities?kind=both",
            422,
            "kind: 应为 duplicate（重复监管）或 blank（监管空白）：both",
        ),
        ("/api/v1/coverage/export?format=pdf", 422, "format: 只能导出为 csv 或 xlsx：pdf"),
    ],
)
def test_api_bad_parameters(
    county: County, table: Table, path: str, status: int, message: str
) -> None:
    response = client_for(county.leader).get(path)
    assert response.status_code == status
    assert response.json()["detail"] == message


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/coverage/?matter=noise", "未知的监管事项：noise"),
        ("/coverage/entities/?kind=both", "应为 duplicate（重复监管）或 blank（监管空白）：both"),
        ("/coverage/export/?format=pdf", "只能导出为 csv 或 xlsx：pdf"),
    ],
)
def test_pages_refuse_bad_parameters_with_the_message(
    county: County, table: Table, path: str, message: str
) -> None:
    response = client_for(county.leader).get(path)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_export_as_xlsx(county: County, table: Table) -> None:
    response = client_for(county.leader).get("/coverage/export/?kind=blank&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
