"""Control characters are refused where input enters: the API (422 with the documented error
body), a page's query string (400), a page form (a field error); nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_uscc
from xiaoneng.core.forms import ReasonForm
from xiaoneng.core.models import AuditEvent
from xiaoneng.registry.models import Entity


def entity_body(county: County, **values: Any) -> dict[str, Any]:
    lon, lat = county.east_point()
    body = {
        "uscc": make_uscc(),
        "name": "接口登记的药店",
        "kind": "enterprise",
        "industry": "F5251",
        "longitude": lon,
        "latitude": lat,
        "licences": [
            {"kind": "drug_retail", "number": "新AA9910001", "issued": "2024-02-01",
             "expires": "2029-01-31"}
        ],
    }  # fmt: skip
    return body | values


def post_json(county: County, body: Any) -> Any:
    return client_for(county.east_director).post(
        "/api/v1/entities", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize("bad", ["好味道\x00药店", "好味道\x01药店", "好味道\x1b药店", "药店\x7f"])
def test_an_api_post_with_a_control_character_is_422_and_writes_nothing(
    county: County, bad: str
) -> None:
    events = AuditEvent.objects.count()
    response = post_json(county, entity_body(county, name=bad))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求数据无效",
        "errors": [{"field": "name", "message": "不能含控制字符"}],
    }
    assert Entity.objects.count() == 0 and AuditEvent.objects.count() == events


def test_the_api_names_each_nested_field_by_its_dotted_path(county: County) -> None:
    body = entity_body(county, address="解放路\x0012号")
    body["licences"][0]["number"] = "新AA\x0c991"
    response = post_json(county, body)
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["address", "licences.0.number"]


def test_tab_and_line_breaks_are_not_control_characters_to_refuse(county: County) -> None:
    response = post_json(county, entity_body(county, address="解放路\t12号\r\n二楼"))
    assert response.status_code == 201
    assert Entity.objects.get().address == "解放路\t12号\r\n二楼"


def test_an_api_query_string_with_a_nul_is_422(county: County) -> None:
    response = client_for(county.east_director).get("/api/v1/entities?q=%00")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "q", "message": "不能含控制字符"}]


def test_a_page_query_string_with_a_nul_is_a_400_page(county: County) -> None:
    response = client_for(county.east_director).get("/entities/?q=%E5%BA%97%00")
    assert response.status_code == 400
    assert "网址的查询参数不能含控制字符。" in response.content.decode()


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x1f"])
def test_a_page_form_refuses_a_control_character_on_its_field(bad: str) -> None:
    form = ReasonForm(data={"reason": f"理由{bad}"})
    assert not form.is_valid()
    assert form.field_errors == {"reason": "不能含控制字符"}


def test_a_page_form_keeps_tab_and_line_breaks() -> None:
    form = ReasonForm(data={"reason": "第一行\r\n\t第二行"})
    assert form.is_valid()


def test_the_entity_page_form_refuses_a_nul_on_the_name_and_writes_nothing(
    county: County,
) -> None:
    lon, lat = county.east_point()
    values = {
        "uscc": make_uscc(), "name": "表单\x00面馆", "kind": "individual", "industry": "H6291",
        "longitude": str(lon), "latitude": str(lat), "status": "operating",
    }  # fmt: skip
    events = AuditEvent.objects.count()
    response = client_for(county.east_director).post("/entities/new/", values)
    assert response.status_code == 200
    assert 'data-testid="error-name">不能含控制字符' in response.content.decode()
    assert Entity.objects.count() == 0 and AuditEvent.objects.count() == events
