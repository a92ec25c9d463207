"""Requests over the server's limits: the exact Chinese message and the limit, nothing written.

Django refuses them before a view runs (web/limits.py); the API must answer its JSON error, not
the 500 of an unexpected exception, and a page the Chinese 400 page, not Django's English one.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from tests.conftest import County, client_for
from tests.inspections.records.helpers import draft, form_post, url
from xiaoneng.inspections.models import Attachment, Inspection

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_api_body_over_the_limit_is_413_with_the_limit_and_writes_nothing(
    county: County, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    inspection = draft(county)
    body = {"revision": inspection.revision, "summary": "很长的检查情况" * 400}
    response = client_for(county.east_officer).put(
        f"/api/v1/inspections/{inspection.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 413
    message = "提交的内容超过上限 2.0 KB（不含上传的文件）。"
    assert response.json() == {"detail": message, "errors": [{"field": "body", "message": message}]}
    inspection.refresh_from_db()
    assert inspection.revision == 1 and inspection.summary == ""


def test_a_page_post_over_the_limit_answers_the_chinese_413_page(
    county: County, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    inspection = draft(county)
    body = form_post(inspection, summary="很长的检查情况" * 400)
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 413
    page = response.content.decode()
    assert "请求无法处理" in page and "提交的内容超过上限 2.0 KB（不含上传的文件）。" in page
    assert "Bad Request" not in page
    assert Inspection.objects.get(pk=inspection.pk).revision == 1


def _photo(name: str, shade: int) -> io.BytesIO:
    """A small PNG of its own colour (the same photo twice would be refused as a duplicate)."""
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (shade, 0, 0)).save(photo, "PNG")
    photo.seek(0)
    photo.name = name
    return photo


def test_too_many_files_at_once_are_refused_whole(county: County, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    inspection = draft(county)
    body = form_post(inspection)
    body["photos"] = [_photo(f"门头{k}.png", k) for k in range(3)]
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 400
    assert "一次最多上传 2 个文件，请分批上传。" in response.content.decode()
    assert not Attachment.objects.filter(inspection=inspection).exists()
    assert Inspection.objects.get(pk=inspection.pk).revision == 1
    # at the limit, all are kept
    body = form_post(inspection)
    body["photos"] = [_photo(f"门头{k}.png", k) for k in range(2)]
    saved = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert saved.status_code == 302
    assert Attachment.objects.filter(inspection=inspection).count() == 2


def test_too_many_fields_are_refused_on_the_api(county: County, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    inspection = draft(county)
    client = client_for(county.east_officer)
    fields = "&".join(f"f{k}=1" for k in range(6))
    response = client.post(
        f"/api/v1/inspections/{inspection.pk}/sign",
        fields,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "一次最多提交 5 个字段。"
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.DRAFT


def test_another_malformed_request_gets_the_chinese_page(county: County) -> None:
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory

    from xiaoneng.web.limits import bad_request

    request = RequestFactory().get("/entities/")
    request.user = county.east_officer
    response = bad_request(request, SuspiciousOperation("x"))
    assert response.status_code == 400
    assert "请求无法处理：格式不正确，或缺少必要的内容。" in response.content.decode()
