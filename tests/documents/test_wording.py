"""The documents' wording (文书模板): the built-in default prints as before; a saved version
changes the documents issued after it and is recorded on them; a version is never changed; bad
input is refused with every problem named and nothing written; the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text, signed_inspection
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    order,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.demo.documents import _at, _reword_warning
from xiaoneng.documents import wording
from xiaoneng.documents.models import DocumentWording, IssuedDocument
from xiaoneng.documents.services import document_bytes, issue_document, reissue_document
from xiaoneng.inspections.followup.overdue import warn_overdue
from xiaoneng.org import access

CLOSING = "改正后请将整改情况书面报告本局，本局将进行复查。"
NEW_CLOSING = "请于{改正期限}改正完毕，并书面报告{机关}。逾期不改正的，依法查处。"


def flat(data: bytes) -> str:
    """The PDF's text with its line breaks dropped: a paragraph reads as one string."""
    return pdf_text(data).replace("\n", "")


def notice_text(county: County) -> tuple[IssuedDocument, str]:
    rectification = order(county, working_days=10)
    document = issue_document(
        kind="rectification", record_id=rectification.pk, actor=county.east_officer
    )
    return document, flat(document_bytes(document))


def save(county: County, **kwargs: Any) -> DocumentWording:
    values: dict[str, Any] = {
        "kind": "rectification",
        "blocks": {"closing": NEW_CLOSING},
        "note": "结尾写明期限和机关",
        "actor": county.admin,
    }
    values.update(kwargs)
    return wording.save_wording(**values)


# The default ---------------------------------------------------------------------------------


def test_every_default_block_fills_only_its_own_placeholders() -> None:
    for kind, blocks in wording.BLOCKS.items():
        for block in blocks:
            assert wording.balanced(block.default), (kind, block.key)
            assert set(wording.placeholders_in(block.default)) <= set(block.allowed)
            _cleaned, errors = wording.check_blocks(kind, {block.key: block.default})
            assert errors == [], (kind, block.key)


def test_the_default_wording_prints_the_sentences_as_before(county: County) -> None:
    document, text = notice_text(county)
    assert document.wording is None
    for sentence in [
        "改正后请将整改情况书面报告本局，本局将进行复查。逾期不改正的，本局将依法予以警示，"
        "并依法查处。",
        "如不服本责令改正通知，可以自收到本通知书之日起六十日内依法申请行政复议，"
        "或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。",
    ]:
        assert sentence in text
    inspection = signed_inspection(county)
    record = issue_document(kind="inspection", record_id=inspection.pk, actor=county.east_officer)
    assert (
        "告知：执法人员已向当事人出示执法证件，表明身份（《中华人民共和国行政处罚法》第五十五条），"
        "并依照检查事项清单进行检查。"
    ) in flat(document_bytes(record))


# A saved version -------------------------------------------------------------------------------


def test_a_saved_version_changes_the_documents_issued_after_it_and_is_recorded(
    county: County,
) -> None:
    before, before_text = notice_text(county)
    version = save(county)
    assert (version.kind, version.version, version.created_by) == (
        "rectification",
        1,
        county.admin,
    )
    # The other blocks keep the text in force (the default).
    assert version.blocks["remedies"] == wording.block("rectification", "remedies").default
    after, text = notice_text(county)
    assert after.wording == version
    assert CLOSING not in text
    assert "请于" in text and "改正完毕，并书面报告" in text
    assert "前（自2026年9月30日起10个工作日内）改正完毕" in text
    assert "并书面报告示范县市场监督管理局。逾期不改正的，依法查处。" in text
    assert "{" not in text
    # The earlier document keeps its version (none: the default) and its stored PDF.
    before.refresh_from_db()
    assert before.wording is None
    assert flat(document_bytes(before)) == before_text
    # A re-issue uses the wording in force at its time.
    again = reissue_document(document=before, reason="更正", actor=county.east_officer)
    assert again.wording == version
    assert CLOSING not in flat(document_bytes(again))


def test_the_latest_version_is_in_force_and_a_version_is_never_changed(county: County) -> None:
    first = save(county)
    second = save(county, blocks={"closing": "逾期不改正的，依法查处。"}, note="更简短")
    assert second.version == 2
    assert wording.active_wording("rectification") == second
    document, text = notice_text(county)
    assert document.wording == second and "逾期不改正的，依法查处。" in text
    first.note = "改了"
    with pytest.raises(Conflict):
        first.save()
    with pytest.raises(Conflict):
        second.delete()
    with pytest.raises(ProtectedError):  # in use: the documents keep it
        DocumentWording.objects.filter(pk=second.pk).delete()
    first.refresh_from_db()
    assert first.note == "结尾写明期限和机关"
    assert DocumentWording.objects.count() == 2


# Bad input -------------------------------------------------------------------------------------


def refused(county: County, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        save(county, **kwargs)
    assert DocumentWording.objects.count() == 0
    found: dict[str, list[str]] = {}
    for error in caught.value.errors:
        found.setdefault(error.field, []).append(error.message)
    return found


def test_every_problem_is_named_at_once_and_nothing_is_written(county: County) -> None:
    errors = refused(
        county,
        blocks={
            "closing": "请于{整改期限}改正，并报告{机关}。",
            "remedies": "如不服{文书名称，可以申请复议。",
            "nonsense": "文字",
        },
        note="  ",
    )
    assert errors == {
        "closing": [
            "「结尾（复查与逾期后果）」中的占位符 {整改期限} 无法由记录填写；"
            "可用的占位符：{改正期限}、{机关}、{文书名称}、{文号}"
        ],
        "remedies": ["「救济途径」中的花括号不成对"],
        "nonsense": ["未知的模板段落：nonsense"],
        "note": ["请填写修订说明"],
    }


def test_empty_too_long_and_stray_braces_are_refused(county: County) -> None:
    assert refused(county, blocks={"closing": " \n "}) == {
        "closing": ["「结尾（复查与逾期后果）」不能为空"]
    }
    assert refused(county, blocks={"closing": "字" * 2001}) == {
        "closing": ["「结尾（复查与逾期后果）」超过 2,000 字（现 2001 字）"]
    }
    for stray in ["逾期}不改正", "{}", "{{改正期限}}"]:
        assert refused(county, blocks={"closing": stray}) == {
            "closing": ["「结尾（复查与逾期后果）」中的花括号不成对"]
        }


def test_an_unknown_kind_and_an_unchanged_version_are_refused(county: County) -> None:
    assert refused(county, kind="memo") == {
        "kind": [
            "未知的文书种类：memo（可选：inspection、rectification、reinspection、warning、"
            "case-source、case-filing、case-notice、case-decision、service）"
        ]
    }
    default = wording.block("rectification", "closing").default
    assert refused(county, blocks={"closing": default}) == {
        "blocks": ["与内置默认文本相同，未保存新版本"]
    }
    save(county)
    with pytest.raises(InvalidInput) as caught:
        save(county, blocks={"closing": NEW_CLOSING + "\r\n"})
    assert [e.message for e in caught.value.errors] == ["与现行第 1 版相同，未保存新版本"]
    assert DocumentWording.objects.count() == 1


def test_only_those_who_manage_the_wording_may_save(county: County) -> None:
    assert access.can(county.admin, access.MANAGE_DOCUMENT_WORDING)
    for officer in (county.east_officer, county.division_staff, county.leader):
        with pytest.raises(NotPermitted):
            save(county, actor=officer)
    assert DocumentWording.objects.count() == 0


# The pages ------------------------------------------------------------------------------------


def test_the_pages_list_show_and_save_a_version(county: County) -> None:
    client = client_for(county.admin)
    listing = client.get(reverse("documents:wording_list"))
    assert listing.status_code == 200
    assert "责令改正通知书" in listing.text and "内置默认文本" in listing.text
    url = reverse("documents:wording_detail", args=["rectification"])
    page = client.get(url)
    assert page.status_code == 200
    assert "{改正期限}" in page.text and CLOSING in page.text
    saved = client.post(
        url,
        {
            "closing": NEW_CLOSING,
            "remedies": wording.block("rectification", "remedies").default,
            "note": "结尾写明期限和机关",
        },
    )
    assert saved.status_code == 302
    version = DocumentWording.objects.get()
    assert version.blocks["closing"] == NEW_CLOSING and version.created_by == county.admin
    shown = client.get(url)
    assert "现行第 1 版" in shown.text and "结尾写明期限和机关" in shown.text
    assert "已出具 0 份" in shown.text
    assert "现行第 1 版" in client.get(reverse("documents:wording_list")).text


def test_a_refused_form_comes_back_with_what_was_typed(county: County) -> None:
    client = client_for(county.admin)
    url = reverse("documents:wording_detail", args=["rectification"])
    typed = "请于{整改期限}改正。"
    response = client.post(url, {"closing": typed, "remedies": "保留的文字", "note": ""})
    assert response.status_code == 400
    assert typed in response.text and "保留的文字" in response.text
    assert "「结尾（复查与逾期后果）」中的占位符 {整改期限} 无法由记录填写" in response.text
    assert "请填写修订说明" in response.text and "is-invalid" in response.text
    assert DocumentWording.objects.count() == 0


def test_an_officer_may_not_open_the_pages(county: County) -> None:
    client = client_for(county.east_officer)
    assert client.get(reverse("documents:wording_list")).status_code == 403
    url = reverse("documents:wording_detail", args=["rectification"])
    assert client.get(url).status_code == 403
    response = client.post(url, {"closing": NEW_CLOSING, "note": "x"})
    assert response.status_code == 403
    assert DocumentWording.objects.count() == 0
    admin = client_for(county.admin)
    assert admin.get(reverse("documents:wording_detail", args=["memo"])).status_code == 404


# The API ---------------------------------------------------------------------------------------


def post_json(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_reads_and_saves_a_version(county: County) -> None:
    client = client_for(county.admin)
    url = "/api/v1/documents/wording/rectification"
    got = client.get(url)
    assert got.status_code == 200
    body = got.json()
    assert body["version"] is None
    closing = next(b for b in body["blocks"] if b["key"] == "closing")
    assert closing["text"] == closing["default"]
    assert {"name": "改正期限", "meaning": closing["placeholders"][0]["meaning"]} in closing[
        "placeholders"
    ]
    created = post_json(client, url, {"blocks": {"closing": NEW_CLOSING}, "note": "改写结尾"})
    assert created.status_code == 201
    assert created.json()["version"] == 1
    assert client.get(url).json()["version"] == 1
    bad = post_json(client, url, {"blocks": {"closing": "{期限}"}, "note": ""})
    assert bad.status_code == 422
    assert {"field": "note", "message": "请填写修订说明"} in bad.json()["errors"]
    assert DocumentWording.objects.count() == 1


def test_the_api_refuses_those_who_do_not_manage_the_wording(county: County) -> None:
    client = client_for(county.east_officer)
    url = "/api/v1/documents/wording/rectification"
    assert client.get(url).status_code == 403
    response = post_json(client, url, {"blocks": {"closing": NEW_CLOSING}, "note": "x"})
    assert response.status_code == 403
    assert DocumentWording.objects.count() == 0


# The demo ---------------------------------------------------------------------------------------


def test_the_demos_warning_wording_is_saved_before_the_first_warning(county: County) -> None:
    rectification = order(county, working_days=1)
    assert warn_overdue(today=dt.date(2026, 10, 10)) == 1
    county.admin.username = "admin"
    county.admin.save()
    now = timezone.make_aware(dt.datetime(2026, 12, 1, 12))
    assert _reword_warning(now) == 1
    version = DocumentWording.objects.get()
    assert (version.kind, version.version, version.created_by) == ("warning", 1, county.admin)
    assert timezone.localtime(version.created_at).date() == dt.date(2026, 10, 9)
    document = issue_document(
        kind="warning",
        record_id=rectification.pk,
        actor=county.east_officer,
        at=_at(dt.date(2026, 10, 10), 10, now),
    )
    assert document.wording == version
    text = flat(document_bytes(document))
    assert f"按《责令改正通知书》（{rectification.number}）的要求改正" in text
    assert "仍不改正的，本局将依法立案查处，并依法向社会公示。" in text
