"""The API: entities CRUD and archive, filters, errors as {"detail", "errors"}, import and export."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import County, client_for
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tokens import create_token
from xiaoneng.registry.models import Entity


def post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_openapi_schema_is_published(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/entities" in schema["paths"]
    assert "/api/v1/grids" in schema["paths"]


def test_requests_without_credentials_are_refused(db: Any) -> None:
    response = Client().get("/api/v1/entities")
    assert response.status_code == 401
    assert response.json() == {"detail": "需要登录或有效的接口令牌", "errors": []}


def test_bearer_token_authenticates_as_its_user(county: County) -> None:
    _token, key = create_token(user=county.east_director)
    make_entity(longitude=county.west_point()[0], latitude=county.west_point()[1])
    response = Client().get("/api/v1/entities", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 0  # the west entity is outside the east director's scope


def test_create_entity_returns_201_and_the_dossier(county: County) -> None:
    lon, lat = county.east_point()
    body = {
        "uscc": make_uscc(),
        "name": "接口登记的药店",
        "kind": "enterprise",
        "industry": "F5251",
        "longitude": lon,
        "latitude": lat,
        "registered_capital": "500000.00",
        "licences": [
            {
                "kind": "drug_retail",
                "number": "新AA9910001",
                "issued": "2024-02-01",
                "expires": "2029-01-31",
            }
        ],
    }
    response = post(client_for(county.east_director), "/api/v1/entities", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["grid"], data["unit"], data["risk_class"], data["registered_capital"]) == (
        "G-E",
        "S-E",
        "II",
        "500000.00",
    )
    assert data["licences"] == [
        {
            "kind": "drug_retail",
            "number": "新AA9910001",
            "issued": "2024-02-01",
            "expires": "2029-01-31",
        }
    ]
    assert (
        AuditEvent.objects.filter(source="api", action="create", actor=county.east_director).count()
        == 2
    )


def test_create_with_bad_values_lists_each_field_and_writes_nothing(county: County) -> None:
    response = post(
        client_for(county.admin),
        "/api/v1/entities",
        {"uscc": "91654002MA0000001X", "name": "x", "kind": "enterprise", "industry": "H9999"},
    )
    assert response.status_code == 422
    data = response.json()
    assert data["detail"].startswith("统一社会信用代码: 校验码错误")
    assert {e["field"] for e in data["errors"]} == {"uscc", "industry"}
    assert Entity.objects.count() == 0


def test_wrongly_typed_body_is_a_422_in_the_same_shape(county: County) -> None:
    response = post(client_for(county.admin), "/api/v1/entities", {"longitude": "east"})
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "请求数据无效"
    assert data["errors"][0]["field"] == "longitude"


def test_out_of_range_paging_is_refused(county: County) -> None:
    client = client_for(county.admin)
    for query in ("page=0", "page_size=0", "page_size=501", "risk_class=IV"):
        response = client.get(f"/api/v1/entities?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"] == "请求数据无效"


def test_list_filters_and_pages(county: County) -> None:
    lon, lat = county.east_point()
    for i in range(5):
        make_entity(name=f"餐馆{i}", longitude=lon, latitude=lat)
    make_entity(name="五金店", industry="F5281", longitude=lon, latitude=lat)
    client = client_for(county.admin)
    data = client.get("/api/v1/entities?industry=H62&page_size=2&page=2").json()
    assert (data["count"], data["page"], len(data["items"])) == (5, 2, 2)
    assert [e["name"] for e in data["items"]] == ["餐馆2", "餐馆3"]
    assert client.get("/api/v1/entities?risk_class=III").json()["count"] == 1
    assert client.get("/api/v1/entities?q=五金").json()["items"][0]["name"] == "五金店"
    assert client.get("/api/v1/entities?grid=G-W").json()["count"] == 0


def test_patch_changes_only_the_given_fields(county: County) -> None:
    entity = make_entity(name="旧名", address="旧址")
    response = post(
        client_for(county.admin),
        f"/api/v1/entities/{entity.uscc}",
        {"name": "新名"},
        method="patch",
    )
    assert response.status_code == 200
    entity.refresh_from_db()
    assert (entity.name, entity.address) == ("新名", "旧址")


def test_patch_refuses_classification_fields(county: County) -> None:
    entity = make_entity()
    response = post(
        client_for(county.admin),
        f"/api/v1/entities/{entity.uscc}",
        {"credit_grade": "A"},
        method="patch",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "credit_grade", "message": "请使用“调整风险类别”或“调整信用等级”并填写理由"}
    ]


def test_archive_needs_a_reason_and_is_final(county: County) -> None:
    entity = make_entity()
    client = client_for(county.admin)
    response = post(client, f"/api/v1/entities/{entity.uscc}/archive", {"reason": ""})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reason", "message": "请填写理由"}]
    assert post(client, f"/api/v1/entities/{entity.uscc}/archive", {"reason": "已注销"}).json()[
        "archived_at"
    ]
    again = post(client, f"/api/v1/entities/{entity.uscc}/archive", {"reason": "已注销"})
    assert again.status_code == 409
    assert again.json()["detail"] == "该主体已归档，不能修改"


def test_grid_officer_role_cannot_change_grades(county: County) -> None:
    entity = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    response = post(
        client_for(county.east_officer),
        f"/api/v1/entities/{entity.uscc}/credit-grade",
        {"credit_grade": "C", "reason": "越权"},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权执行此操作。", "errors": []}


def test_history_lists_the_trace(county: County) -> None:
    entity = make_entity()
    client = client_for(county.admin)
    post(
        client,
        f"/api/v1/entities/{entity.uscc}/credit-grade",
        {"credit_grade": "C", "reason": "抽查不合格"},
    )
    events = client.get(f"/api/v1/entities/{entity.uscc}/history").json()
    assert [e["action"] for e in events] == ["update", "create"]
    assert (
        events[0]["changes"] == {"credit_grade": ["B", "C"]} and events[0]["reason"] == "抽查不合格"
    )


@pytest.fixture
def bad_csv() -> SimpleUploadedFile:
    text = "统一社会信用代码,名称,主体类型,行业代码\n123,坏数据,企业,H6210\n"
    return SimpleUploadedFile("bad.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_through_the_api_reports_errors_and_writes_nothing(
    county: County, bad_csv: SimpleUploadedFile
) -> None:
    response = client_for(county.admin).post("/api/v1/import/entities", {"file": bad_csv})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "row 2, 统一社会信用代码", "message": "长度应为 18 位，实为 3 位"}
    ]
    assert Entity.objects.count() == 0


def test_import_of_units_needs_the_administrator(county: County) -> None:
    upload = SimpleUploadedFile(
        "units.csv",
        "单位代码,名称,类型,上级单位代码,行政区划代码\nS-N,城北所,所,B,654002\n".encode(),
    )
    response = client_for(county.leader).post("/api/v1/import/units", {"file": upload})
    assert response.status_code == 403
    upload.seek(0)
    response = client_for(county.admin).post("/api/v1/import/units", {"file": upload})
    assert response.status_code == 200 and response.json()["created"] == 1


def test_export_through_the_api(county: County) -> None:
    make_entity(name="导出测试店")
    response = client_for(county.admin).get("/api/v1/export/entities?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="entities-')
    refused = client_for(county.admin).get("/api/v1/export/entities?format=geojson")
    assert refused.status_code == 422
