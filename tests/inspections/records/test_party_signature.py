"""The party's signature on a record, drawn on the phone or refused before a witness: the
service, its bad input, the page, the API and the 现场检查笔录 that prints it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text
from tests.inspections.factories import at, signature_png
from tests.inspections.records.helpers import DAY, draft, fill, second_officer
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.documents.services import document_bytes, issue_document
from xiaoneng.inspections.models import Inspection, PartySignature
from xiaoneng.inspections.records.party import decode_image, record_party_signature
from xiaoneng.inspections.records.signing import sign_inspection

pytestmark = pytest.mark.usefixtures("media")

SIGNER = {"signer_name": "王五", "signer_role": "负责人", "statement": "以上情况属实"}


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


def refused_problem(county: County, values: dict[str, Any], image: bytes = b"") -> InvalidInput:
    """The refusal of ``values``/``image`` on a fresh draft, having written nothing."""
    record = draft(county)
    revision = record.revision
    with pytest.raises(InvalidInput) as refused:
        record_party_signature(
            inspection=record, officer=county.east_officer, values=values, image=image
        )
    record.refresh_from_db()
    assert record.revision == revision
    assert not PartySignature.objects.exists()
    return refused.value


# The service ------------------------------------------------------------------------------------


def test_a_drawn_signature_is_kept_under_its_sha256(county: County, media: Path) -> None:
    record = draft(county)
    revision = record.revision
    content = signature_png()
    signature = record_party_signature(
        inspection=record, officer=county.east_officer, values=SIGNER, image=content
    )
    digest = hashlib.sha256(content).hexdigest()
    assert signature.sha256 == digest and (signature.width, signature.height) == (600, 200)
    assert signature.image.name == f"inspections/signatures/{digest[:2]}/{digest}.png"
    assert (media / signature.image.name).read_bytes() == content
    assert (signature.signer_name, signature.statement, signature.refused) == (
        "王五",
        "以上情况属实",
        False,
    )
    record.refresh_from_db()
    assert record.revision == revision + 1  # a client holding the old revision must reload
    event = AuditEvent.objects.filter(object_id=str(record.pk)).latest("id")
    assert event.changes["当事人签名"] == [None, f"王五 签名 SHA-256 {digest}"]


def test_a_refusal_is_recorded_with_its_witness(county: County) -> None:
    signature = record_party_signature(
        inspection=draft(county),
        officer=county.east_officer,
        values={
            "signer_name": "王五",
            "refused": "1",
            "witness_name": "赵六",
            "witness_role": "社区工作人员",
        },
    )
    assert signature.refused and signature.witness_name == "赵六" and not signature.image
    assert signature.sha256 == ""


def test_a_new_signature_replaces_the_last_and_its_file(
    county: County, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    record = draft(county)
    first = record_party_signature(
        inspection=record, officer=county.east_officer, values=SIGNER, image=signature_png()
    )
    old_file = media / first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        second = record_party_signature(
            inspection=record,
            officer=county.east_officer,
            values=SIGNER,
            image=signature_png(width=700),
        )
    assert PartySignature.objects.get().pk == second.pk
    assert not old_file.exists() and (media / second.image.name).exists()


def test_signing_after_some_officers_signed_makes_them_sign_again(county: County) -> None:
    helper = second_officer(county, certificate_number="65000021002")
    record = fill(draft(county, team=[helper]), county.east_officer)
    sign_inspection(inspection=record, officer=helper, at=at(DAY, 10))
    record.refresh_from_db()
    record_party_signature(
        inspection=record, officer=county.east_officer, values=SIGNER, image=signature_png()
    )
    assert not record.team.filter(signed_at__isnull=False).exists()


# Bad input: each problem named, nothing written -------------------------------------------------


def blank_png() -> bytes:
    return signature_png(ink=False)


@pytest.mark.parametrize(
    ("values", "image", "field", "message"),
    [
        ({}, signature_png(), "signer_name", "请填写当事人（签名人）姓名"),
        ({**SIGNER, "signer_name": "王" * 51}, signature_png(), "signer_name", "不能超过 50 个字"),
        ({**SIGNER, "statement": "实" * 501}, signature_png(), "statement", "不能超过 500 个字"),
        (SIGNER, b"", "image", "请当事人在签名框内签名"),
        (SIGNER, blank_png(), "image", "签名框是空白的，请当事人在框内签名"),
        (SIGNER, b"not a png at all", "image", "签名图像应为 PNG 图片"),
        (
            SIGNER,
            signature_png(width=60, height=30),
            "image",
            "签名图像为 60×30 像素，应在 100×50 至 4000×4000 之间",
        ),
        ({**SIGNER, "refused": True}, b"", "witness_name", "当事人拒绝签名的，须填写见证人"),
        (
            {**SIGNER, "refused": True, "witness_name": "赵六"},
            signature_png(),
            "image",
            "当事人拒绝签名的，不应附签名图像",
        ),
        (
            {**SIGNER, "witness_name": "赵六"},
            signature_png(),
            "witness_name",
            "见证人只在当事人拒绝签名时填写",
        ),
        (
            {**SIGNER, "captured_at": "yesterday"},
            signature_png(),
            "captured_at",
            "签名时间应为 ISO 8601 格式，如 2026-12-07T10:30:00+08:00",
        ),
    ],
)
def test_bad_input_is_refused_by_name(
    county: County, values: dict[str, Any], image: bytes, field: str, message: str
) -> None:
    error = refused_problem(county, values, image)
    assert [(e.field, e.message) for e in error.errors] == [(field, message)]


def test_a_jpeg_is_not_a_signature(county: County) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "black").save(buffer, "JPEG")
    error = refused_problem(county, SIGNER, buffer.getvalue())
    assert error.message == "签名图像应为 PNG 图片"


def test_a_drawing_over_the_limit_is_refused(county: County) -> None:
    error = refused_problem(county, SIGNER, signature_png() + b"\0" * (512 * 1024))
    assert error.message.startswith("签名图像大小为 ") and error.message.endswith(
        "超过上限 512.0 KB"
    )


def test_a_time_in_the_future_or_before_the_visit_is_refused(county: County) -> None:
    future = timezone.now() + dt.timedelta(hours=2)
    error = refused_problem(county, {**SIGNER, "captured_at": future.isoformat()}, signature_png())
    assert error.message.startswith("签名时间不能晚于当前时间：")
    record = draft(county)
    before = dt.datetime.combine(record.visited_on - dt.timedelta(days=2), dt.time(10))
    with pytest.raises(InvalidInput) as refused:
        record_party_signature(
            inspection=record,
            officer=county.east_officer,
            values={**SIGNER, "captured_at": before.isoformat()},
            image=signature_png(),
        )
    assert refused.value.message == (
        f"签名时间 {before:%Y-%m-%d %H:%M} 早于检查日期 {record.visited_on.isoformat()}"
    )


def test_every_problem_is_named_at_once(county: County) -> None:
    error = refused_problem(county, {"refused": "1", "statement": "实" * 501})
    assert [e.field for e in error.errors] == ["statement", "signer_name", "witness_name"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("data:image/jpeg;base64,AAAA", "签名图像应为 PNG 图片"),
        ("data:image/png;base64,***", "签名图像不是有效的 Base64 编码"),
    ],
)
def test_an_unreadable_image_field(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_image(text)
    assert [e.message for e in refused.value.errors] == [message]


def test_a_signed_record_takes_no_party_signature(county: County) -> None:
    record = fill(draft(county), county.east_officer)
    sign_inspection(inspection=record, officer=county.east_officer, at=at(DAY, 10))
    with pytest.raises(Conflict) as refused:
        record_party_signature(
            inspection=record, officer=county.east_officer, values=SIGNER, image=signature_png()
        )
    assert "不能再记录当事人签名" in refused.value.message
    assert not PartySignature.objects.exists()


def test_only_who_may_edit_records_it(county: County) -> None:
    with pytest.raises(NotPermitted):
        record_party_signature(
            inspection=draft(county), officer=county.leader, values=SIGNER, image=signature_png()
        )
    assert not PartySignature.objects.exists()


def test_a_stale_revision_is_refused(county: County) -> None:
    record = draft(county)
    with pytest.raises(Conflict):
        record_party_signature(
            inspection=record,
            officer=county.east_officer,
            values=SIGNER,
            image=signature_png(),
            revision=record.revision + 5,
        )
    assert not PartySignature.objects.exists()


# The page -------------------------------------------------------------------------------------


def test_the_page_records_a_drawing_and_shows_it(county: County) -> None:
    record = draft(county)
    client = client_for(county.east_officer)
    page = client.get(reverse("inspections:inspection_detail", args=[record.pk]))
    assert 'data-testid="party-form"' in page.content.decode()
    content = signature_png()
    response = client.post(
        reverse("inspections:inspection_party_signature", args=[record.pk]),
        {**SIGNER, "refused": "", "image": data_url(content), "revision": record.revision},
        follow=True,
    )
    html = response.content.decode()
    assert "已记录当事人 王五 的签名。" in html
    assert hashlib.sha256(content).hexdigest() in html
    image = client.get(reverse("inspections:inspection_party_signature_image", args=[record.pk]))
    assert image["Content-Type"] == "image/png" and b"".join(image.streaming_content) == content


def test_a_refused_form_comes_back_with_what_was_typed(county: County) -> None:
    record = draft(county)
    client = client_for(county.east_officer)
    response = client.post(
        reverse("inspections:inspection_party_signature", args=[record.pk]),
        {"signer_name": "王五", "statement": "不认可", "refused": "1", "witness_name": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "当事人拒绝签名的，须填写见证人" in html
    assert 'value="王五"' in html and "不认可</textarea>" in html
    assert not PartySignature.objects.exists()


def test_who_only_reads_sees_no_form(county: County) -> None:
    record = draft(county)
    html = (
        client_for(county.leader)
        .get(reverse("inspections:inspection_detail", args=[record.pk]))
        .content.decode()
    )
    assert 'data-testid="party-signature"' in html and 'data-testid="party-form"' not in html
    assert "尚未记录当事人签名。" in html


# The API --------------------------------------------------------------------------------------


def test_the_api_records_and_returns_the_signature(county: County) -> None:
    record = draft(county)
    client = client_for(county.east_officer)
    url = f"/api/v1/inspections/{record.pk}/party-signature"
    assert client.get(url).status_code == 404
    content = signature_png()
    created = client.post(
        url,
        {**SIGNER, "image": data_url(content), "revision": record.revision},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["refused"] is False
    assert client.get(url).json()["sha256"] == body["sha256"]
    assert b"".join(client.get(body["image_url"]).streaming_content) == content
    detail = client.get(f"/api/v1/inspections/{record.pk}").json()
    assert detail["party_signature"]["signer_name"] == "王五"


def test_the_api_names_each_problem(county: County) -> None:
    record = draft(county)
    response = client_for(county.east_officer).post(
        f"/api/v1/inspections/{record.pk}/party-signature",
        {"signer_name": "", "image": data_url(signature_png(ink=False))},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "signer_name", "message": "请填写当事人（签名人）姓名"},
        {"field": "image", "message": "签名框是空白的，请当事人在框内签名"},
    ]
    assert not PartySignature.objects.exists()


def test_a_refusal_has_no_image_to_fetch(county: County) -> None:
    record = draft(county)
    client = client_for(county.east_officer)
    url = f"/api/v1/inspections/{record.pk}/party-signature"
    created = client.post(
        url,
        {"signer_name": "王五", "refused": True, "witness_name": "赵六"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["image_url"] is None
    assert client.get(url + ".png").status_code == 404


# The 现场检查笔录 ------------------------------------------------------------------------------


def signed_with(county: County, **signature: Any) -> Inspection:
    helper = second_officer(county, certificate_number="65000021002")
    record = fill(draft(county, enforcement=True, team=[helper]), county.east_officer)
    record_party_signature(inspection=record, officer=county.east_officer, **signature)
    record.refresh_from_db()
    sign_inspection(inspection=record, officer=county.east_officer, at=timezone.now())
    sign_inspection(inspection=record, officer=helper, at=timezone.now())
    return record


def test_the_record_prints_the_drawing_and_its_digest(county: County) -> None:
    content = signature_png()
    record = signed_with(county, values=SIGNER, image=content)
    document = issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    data = document_bytes(document)
    text = pdf_text(data)
    assert "以上情况属实" in text and "王五（负责人）" in text
    assert hashlib.sha256(content).hexdigest() in text.replace("\n", "")
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data


def test_the_record_prints_a_refusal_and_its_witness(county: County) -> None:
    record = signed_with(
        county,
        values={
            "signer_name": "王五",
            "refused": True,
            "witness_name": "赵六",
            "witness_role": "社区工作人员",
        },
    )
    document = issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    text = pdf_text(document_bytes(document)).replace("\n", "")
    assert "当事人王五拒绝签名" in text and "见证人：赵六（社区工作人员）" in text
    assert "见证人签名" in text


def test_the_stored_drawing_is_the_one_signed(county: County) -> None:
    record = signed_with(county, values=SIGNER, image=signature_png())
    signature = PartySignature.objects.get(inspection=record)
    with default_storage.open(signature.image.name) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == signature.sha256
