"""Every answer under /api/v1/ that is an error is the documented JSON body (docs/api.md), and
the OpenAPI document lists the error answers of every operation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.scoping.endpoints import SCHEMA
from xiaoneng.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(county) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county.admin)
    return client


def test_an_unknown_api_path_answers_json_404(admin_client: Client) -> None:
    for method in ("get", "post", "delete"):
        response = getattr(admin_client, method)("/api/v1/no-such/path")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "未找到该接口路径", "errors": []}


def test_a_method_the_path_does_not_take_answers_json_405(admin_client: Client) -> None:
    response = admin_client.delete("/api/v1/cases")
    assert response.status_code == 405
    assert response.json() == {"detail": "此路径不支持该请求方法", "errors": []}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_an_id_beyond_the_databases_keys_answers_404(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/cases/99999999999999999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到，或不在您的辖区内"


def test_a_fault_answers_json_500_without_its_traceback(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("secret detail of the fault")

    monkeypatch.setattr("xiaoneng.cases.api.filter_cases", broken)
    response = admin_client.get("/api/v1/cases")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误", "errors": []}
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


def test_every_operation_documents_its_error_answers() -> None:
    body = SCHEMA["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"detail", "errors"}
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "422"):
                answer = operation["responses"].get(status) or operation["responses"].get(
                    int(status)
                )
                assert answer, f"{method.upper()} {path} does not document {status}"
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}


def test_the_served_document_is_the_one_with_error_answers(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert "422" in served["paths"]["/api/v1/cases"]["get"]["responses"]
    assert api.get_openapi_schema()["components"]["schemas"]["ErrorBody"]
