"""xiaoneng scan ads|listings FILE and xiaoneng keywords load|export|status."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.keywords.factories import load, small_library
from xiaoneng import textscan
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db


def scan(what: str, path: Path) -> tuple[list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scan", what, str(path), stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_scan_ads_jsonl_one_line_per_record_in_order(tmp_path: Path) -> None:
    load()
    texts = {"a1": "全网最佳，药到病除", "a2": "干净的文案", "a3": "有效率 98%，无效退款"}
    path = tmp_path / "ads.jsonl"
    path.write_text(jsonl(*({"id": k, "text": v} for k, v in texts.items())), encoding="utf-8")
    lines, err = scan("ads", path)
    assert err == ""
    assert [line["id"] for line in lines] == ["a1", "a2", "a3"]
    assert lines[1]["violations"] == []
    for line in lines:
        for v in line["violations"]:  # type: ignore[attr-defined]
            assert set(v) == {"rule", "category", "law", "match", "start", "end"}
            assert texts[str(line["id"])][v["start"] : v["end"]] == v["match"]
    assert {v["rule"] for v in lines[0]["violations"]} == {"ABS-001", "MED-001"}  # type: ignore[attr-defined]
    assert {v["category"] for v in lines[2]["violations"]} == {"guarantee"}  # type: ignore[attr-defined]


def test_a_records_kind_scopes_the_rules(tmp_path: Path) -> None:
    load()
    path = tmp_path / "ads.jsonl"
    path.write_text(jsonl({"id": 1, "text": "药到病除", "kind": "medical"}), encoding="utf-8")
    lines, _err = scan("ads", path)
    assert lines == [{"id": "1", "violations": []}]


def test_listings_csv_in_gb18030(tmp_path: Path) -> None:
    load()
    path = tmp_path / "listings.csv"
    path.write_bytes("id,text\nL1,第一次购买最佳选择\nL2,药到病除\n".encode("gb18030"))
    lines, err = scan("listings", path)
    assert err == ""
    assert [line["id"] for line in lines] == ["L1", "L2"]
    assert [v["match"] for v in lines[0]["violations"]] == ["最佳"]  # type: ignore[index]
    assert lines[1]["violations"] == []  # the medical rule is for ads only


def test_a_malformed_line_exits_1_and_the_others_are_scanned(tmp_path: Path) -> None:
    load()
    path = tmp_path / "ads.jsonl"
    path.write_text(
        jsonl({"id": "a1", "text": "最佳"}) + "{not json\n" + jsonl({"id": "a3", "text": "好"}),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("scan", "ads", str(path), stdout=out, stderr=err)
    assert exited.value.code == 1
    assert [json.loads(x)["id"] for x in out.getvalue().splitlines()] == ["a1", "a3"]
    assert err.getvalue().startswith("第2行：")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.jsonl", b"", "文件为空"),
        ("bad.csv", b"\xff\xfe\xfa\xfb\x81\x30\xff", "文件编码无法识别"),
    ],
)
def test_an_unreadable_file_exits_2(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        call_command("scan", "ads", str(path), stdout=io.StringIO())
    assert error.value.returncode == 2 and reason in str(error.value)


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("scan", "ads", str(tmp_path / "none.jsonl"), stdout=io.StringIO())
    assert error.value.returncode == 2 and "无法读取文件" in str(error.value)


def test_output_to_a_file(tmp_path: Path) -> None:
    load()
    source, target = tmp_path / "ads.jsonl", tmp_path / "out.jsonl"
    source.write_text(jsonl({"id": "a1", "text": "最佳"}), encoding="utf-8")
    call_command("scan", "ads", str(source), "-o", str(target), stdout=io.StringIO())
    (line,) = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["violations"][0]["match"] == "最佳"


def test_keywords_load_export_and_status(tmp_path: Path) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text(textscan.dump_yaml(small_library()), encoding="utf-8")
    out = io.StringIO()
    call_command("keywords", "load", str(path), stdout=out)
    assert out.getvalue().startswith("v1: 3 rules")
    exported = tmp_path / "out.yaml"
    call_command("keywords", "export", "-o", str(exported), stdout=io.StringIO())
    assert exported.read_text(encoding="utf-8") == LibraryVersion.objects.get(number=1).yaml
    status = io.StringIO()
    call_command("keywords", "status", stdout=status)
    assert status.getvalue().startswith("v1 ")
    with pytest.raises(CommandError) as missing:
        call_command("keywords", "export", "--version", "9", stdout=io.StringIO())
    assert missing.value.returncode == 2


def test_keywords_load_refuses_a_bad_file_writing_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - id: X\n    category: nope\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("keywords", "load", str(path), stdout=io.StringIO(), stderr=err)
    assert error.value.returncode == 2 and err.getvalue()
    assert KeywordRule.objects.count() == 0 and LibraryVersion.objects.count() == 0


def test_keywords_load_defaults_to_the_starter_library() -> None:
    out = io.StringIO()
    call_command("keywords", "load", stdout=out)
    version = LibraryVersion.objects.get()
    assert version.rule_count >= 20 and version.term_count >= 300
