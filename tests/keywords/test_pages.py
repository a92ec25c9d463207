"""The keyword library pages per role: who reads, who edits, and what they see."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import County, client_for
from tests.keywords.factories import load
from xiaoneng import textscan
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db


def test_every_officer_reads_the_list_only_managers_see_edit_buttons(county: County) -> None:
    load()
    officer = client_for(county.east_officer).get("/keywords/")
    assert officer.status_code == 200
    html = officer.content.decode()
    assert "ABS-001" in html and "绝对化用语" in html and "第1版" in html
    assert 'data-testid="create-button"' not in html and 'data-testid="import-button"' not in html
    for manager in (county.division_staff, county.admin):
        html = client_for(manager).get("/keywords/").content.decode()
        assert 'data-testid="create-button"' in html and 'data-testid="import-button"' in html


def test_list_filters(county: County) -> None:
    load()
    client = client_for(county.east_officer)
    html = client.get("/keywords/", {"category": "guarantee"}).content.decode()
    assert "GUA-001" in html and "ABS-001" not in html
    html = client.get("/keywords/", {"q": "药到"}).content.decode()
    assert "MED-001" in html and "GUA-001" not in html
    html = client.get("/keywords/", {"category": "bogus"}).content.decode()
    assert "未识别的筛选条件：类别 = bogus，已忽略" in html


def test_rule_detail_shows_history_and_versions_edit_only_for_managers(county: County) -> None:
    load()
    rule = KeywordRule.objects.get(code="ABS-001")
    html = client_for(county.east_officer).get(f"/keywords/rules/{rule.pk}/").content.decode()
    assert "第1版" in html and "测试载入" in html and 'data-testid="edit-button"' not in html
    html = client_for(county.division_staff).get(f"/keywords/rules/{rule.pk}/").content.decode()
    assert 'data-testid="edit-button"' in html and 'data-testid="active-form"' in html


def test_officers_cannot_open_the_forms(county: County) -> None:
    load()
    client = client_for(county.east_officer)
    rule = KeywordRule.objects.get(code="ABS-001")
    assert client.get("/keywords/rules/new/").status_code == 403
    assert client.get(f"/keywords/rules/{rule.pk}/edit/").status_code == 403
    assert client.get("/keywords/import/").status_code == 403
    assert client.post(f"/keywords/rules/{rule.pk}/active/", {"reason": "x"}).status_code == 403
    assert KeywordRule.objects.get(code="ABS-001").active


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "ABS-009",
        "category": "absolute",
        "severity": "high",
        "law": "《广告法》第九条第（三）项",
        "terms": "顶级\n极品\n",
        "exceptions": "",
        "patterns": "",
        "targets": ["ad"],
        "note": "",
        "reason": "新增",
    }
    return data | changes


def test_create_a_rule_through_the_form(county: County) -> None:
    load()
    client = client_for(county.division_staff)
    patterns = "有效率,治愈率 | (有效|治愈)率\\s*\\d+% | 12"
    answer = client.post("/keywords/rules/new/", form(patterns=patterns))
    rule = KeywordRule.objects.get(code="ABS-009")
    assert answer.status_code == 302 and answer.url == f"/keywords/rules/{rule.pk}/"
    assert rule.terms == ["顶级", "极品"] and rule.targets == ["ad"]
    assert rule.patterns == [
        {"anchors": ["有效率", "治愈率"], "regex": "(有效|治愈)率\\s*\\d+%", "window": 12}
    ]
    assert LibraryVersion.objects.get(number=2).added == ["ABS-009"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exceptions": "今天"}, "规则「ABS-009」：例外「今天」不包含本规则的任何词语"),
        ({"terms": "顶级\n顶级"}, "规则「ABS-009」：词语「顶级」重复"),
        ({"category": "nope"}, "规则「ABS-009」：类别「nope」未定义"),
        ({"terms": ""}, "规则「ABS-009」：词语和模式不能都为空"),
        ({"code": "ABS-001"}, "规则编号「ABS-001」已存在"),
        ({"law": " "}, "请填写法律依据"),
        ({"reason": ""}, "请填写变更原因"),
        ({"patterns": "只有一段"}, "第1行格式应为「锚词1,锚词2 | 正则表达式 | 窗口」：只有一段"),
        ({"patterns": "有效率 | 有效率(\\d+"}, "无法编译"),
    ],
)
def test_the_form_shows_the_refusal_and_writes_nothing(
    county: County, changes: dict[str, object], message: str
) -> None:
    load()
    client = client_for(county.division_staff)
    answer = client.post("/keywords/rules/new/", form(**changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert KeywordRule.objects.count() == 3 and LibraryVersion.objects.count() == 1


def test_edit_and_deactivate(county: County) -> None:
    load()
    client = client_for(county.admin)
    rule = KeywordRule.objects.get(code="ABS-001")
    page = client.get(f"/keywords/rules/{rule.pk}/edit/").content.decode()
    assert "最近" in page and "readonly" in page
    data = form(code="ABS-001", terms="最佳\n最\n顶级", exceptions="最近", reason="增补")
    data["targets"] = ["ad", "listing"]
    assert client.post(f"/keywords/rules/{rule.pk}/edit/", data).status_code == 302
    rule.refresh_from_db()
    assert rule.terms == ["最佳", "最", "顶级"]
    assert client.post(f"/keywords/rules/{rule.pk}/active/", {"reason": ""}).status_code == 302
    rule.refresh_from_db()
    assert rule.active
    client.post(f"/keywords/rules/{rule.pk}/active/", {"reason": "停用"})
    rule.refresh_from_db()
    assert not rule.active and LibraryVersion.objects.count() == 3


def test_versions_page_shows_the_diff(county: County) -> None:
    load()
    client = client_for(county.admin)
    rule = KeywordRule.objects.get(code="ABS-001")
    data = form(code="ABS-001", terms="最佳\n最\n顶级", exceptions="最近", reason="增补")
    client.post(f"/keywords/rules/{rule.pk}/edit/", data)
    reader = client_for(county.east_officer)
    assert "增补" in reader.get("/keywords/versions/").content.decode()
    html = reader.get("/keywords/versions/2/").content.decode()
    assert "与第1版相比" in html and "顶级" in html and "第一" in html
    exported = reader.get("/keywords/versions/1/yaml/")
    assert exported.status_code == 200
    assert exported.content.decode() == LibraryVersion.objects.get(number=1).yaml
    assert (
        reader.get("/keywords/export/").content.decode()
        == LibraryVersion.objects.get(number=2).yaml
    )
    assert reader.get("/keywords/versions/9/").status_code == 404


def upload(text: str, name: str = "lib.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-yaml")


def test_import_previews_then_confirms(county: County) -> None:
    load()
    client = client_for(county.division_staff)
    from tests.keywords.factories import ABSOLUTE, small_library

    text = textscan.dump_yaml(small_library(ABSOLUTE))
    preview = client.post("/keywords/import/", {"file": upload(text), "reason": "精简"})
    html = preview.content.decode()
    assert 'data-testid="preview"' in html and "GUA-001" in html and "MED-001" in html
    assert LibraryVersion.objects.count() == 1
    confirm = preview.context["digest"]
    answer = client.post(
        "/keywords/import/", {"confirm": "1", "text": text, "digest": confirm, "reason": "精简"}
    )
    assert answer.status_code == 302 and answer.url == "/keywords/versions/2/"
    assert LibraryVersion.objects.get(number=2).removed == ["GUA-001", "MED-001"]


def test_import_refuses_a_bad_file_and_writes_nothing(county: County) -> None:
    load()
    client = client_for(county.division_staff)
    bad = 'version: "x"\nrules:\n  - id: A\n    category: nope\n    law: x\n    severity: high\n    terms: [最]\n'
    html = client.post("/keywords/import/", {"file": upload(bad)}).content.decode()
    assert 'data-testid="problems"' in html and "nope" in html
    empty = client.post("/keywords/import/", {"file": upload("")}).content.decode()
    assert "文件为空" in empty
    missing = client.post("/keywords/import/", {}).content.decode()
    assert "请选择要导入的 YAML 文件" in missing
    gbk = SimpleUploadedFile("lib.yaml", "规则".encode("gb18030"))
    assert "文件不是 UTF-8 编码" in client.post("/keywords/import/", {"file": gbk}).content.decode()
    tampered = client.post("/keywords/import/", {"confirm": "1", "text": bad, "digest": "0"})
    assert tampered.status_code == 302
    assert LibraryVersion.objects.count() == 1 and KeywordRule.objects.count() == 3


def test_trial_scan_highlights_the_hits(county: County) -> None:
    load()
    client = client_for(county.east_officer)
    assert client.get("/keywords/scan/").status_code == 200
    answer = client.post(
        "/keywords/scan/", {"text": "最近上新，全网最佳", "target": "ad", "kind": ""}
    )
    html = answer.content.decode()
    assert "<mark" in html and "最佳</mark>" in html and "《广告法》第九条第（三）项" in html
    assert "绝对化用语" in html
    assert "请粘贴要试扫的文本" in client.post("/keywords/scan/", {"text": " "}).content.decode()
    unknown = client.post("/keywords/scan/", {"text": "x", "target": "tv"}).content.decode()
    assert "未知的扫描对象：tv" in unknown
    kind = client.post("/keywords/scan/", {"text": "x", "kind": "tv"}).content.decode()
    assert "未知的广告类别：tv" in kind
    long = client.post("/keywords/scan/", {"text": "长" * 100_001}).content.decode()
    assert "文本不能超过100000个字" in long
