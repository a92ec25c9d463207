"""An attachment whose file was lost from the storage: a Chinese 404, never a 500."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import County, client_for
from tests.inspections.records.helpers import draft
from xiaoneng.inspections.models import Attachment
from xiaoneng.inspections.records.attachments import add_attachment

pytestmark = pytest.mark.usefixtures("media")

MESSAGE = "附件“门头.png”的文件已不在服务器上，请联系系统管理员从备份恢复。"


def lost_photo(county: County, media: Path) -> Attachment:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    attachment = add_attachment(
        inspection=draft(county),
        officer=county.east_officer,
        upload=SimpleUploadedFile("门头.png", buffer.getvalue(), content_type="image/png"),
        kind="photo",
    )
    (media / attachment.file.name).unlink()
    return attachment


def test_a_lost_attachment_file_is_a_404_page_in_chinese(county: County, media: Path) -> None:
    photo = lost_photo(county, media)
    url = f"/inspections/{photo.inspection_id}/attachments/{photo.pk}/"
    response = client_for(county.east_officer).get(url)
    assert response.status_code == 404
    assert MESSAGE in response.content.decode()


def test_a_lost_attachment_file_is_a_404_json_in_the_api(county: County, media: Path) -> None:
    photo = lost_photo(county, media)
    url = f"/api/v1/inspections/{photo.inspection_id}/attachments/{photo.pk}"
    response = client_for(county.east_officer).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": MESSAGE, "errors": []}
