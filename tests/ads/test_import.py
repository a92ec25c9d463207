"""Import of monitored ads from JSONL or CSV: one batch, scanned together, refused whole."""

from __future__ import annotations

import json

import pytest

from tests.ads.factories import BAD_TEXT, CLEAN_TEXT, east_entity, library
from tests.conftest import County
from xiaoneng.ads.monitoring.importing import import_ads
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.core.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


def jsonl(*rows: dict[str, object]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def row(number: int, **values: object) -> dict[str, object]:
    found: dict[str, object] = {
        "id": f"TV-{number}",
        "text": BAD_TEXT,
        "kind": "health_food",
        "channel": "tv",
        "outlet": "示范县电视台",
        "advertiser": "外地某公司",
        "captured_at": "2026-03-10 20:30",
    }
    found.update(values)
    return found


def test_a_jsonl_file_is_imported_and_scanned(county: County) -> None:
    library()
    entity = east_entity(county)
    data = jsonl(row(1), row(2, text=CLEAN_TEXT, uscc=entity.uscc, advertiser=""))
    made = import_ads(actor=county.east_officer, data=data, name="3月电视监测.jsonl")
    assert [ad.review for ad in made] == ["pending", "clean"]
    assert made[1].advertiser == entity and made[1].advertiser_name == entity.name
    assert made[0].source == "导入：3月电视监测.jsonl" and made[0].external_id == "TV-1"
    assert made[0].hits.count() == 3


def test_a_gb18030_csv_is_read(county: County) -> None:
    library()
    text = "id,text,kind,channel,outlet,advertiser,captured_at\n" + (
        f"P-1,{CLEAN_TEXT},general,leaflet,人民路口,某诊所,2026-03-11 09:00\n"
    )
    made = import_ads(actor=county.east_officer, data=text.encode("gb18030"), name="传单.csv")
    assert len(made) == 1 and made[0].medium == "leaflet"


def test_any_bad_line_refuses_the_whole_file(county: County) -> None:
    data = (
        jsonl(row(1), row(2, channel="cinema"), row(3, captured_at="昨天"), row(1)) + b"\n{not json"
    )
    with pytest.raises(InvalidInput) as error:
        import_ads(actor=county.east_officer, data=data, name="坏文件.jsonl")
    assert [e.message for e in error.value.errors] == [
        "第2行：媒介类型无效：cinema",
        "第3行：监测时间格式应为 YYYY-MM-DD HH:MM：昨天",
        "第4行：编号重复：TV-1",
        "第5行不是合法的 JSON：Expecting property name enclosed in double quotes",
    ]
    assert error.value.message.startswith("导入失败，未写入任何记录：第2行：媒介类型无效：cinema")
    assert not MonitoredAd.objects.exists()


def test_an_unknown_uscc_is_named(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        import_ads(
            actor=county.east_officer, data=jsonl(row(1, uscc="91650000XXXXXXXXXX")), name="a.jsonl"
        )
    assert [e.message for e in error.value.errors] == [
        "第1行：未找到该统一社会信用代码的主体：91650000XXXXXXXXXX"
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.jsonl", "文件为空"),
        (b"\xff\xfe\x00\x00abc", "a.jsonl", "文件编码无法识别（既不是 UTF-8 也不是 GB18030）"),
        (b"id,text\n", "a.txt", "文件格式无法识别：应为 .jsonl、.json、.ndjson 或 .csv"),
        (
            b"id,body\nA,B\n",
            "a.csv",
            "CSV 表头缺少列：text（需要 id 与 text，或商品信息的 title/description）",
        ),
    ],
)
def test_an_unreadable_file_is_refused(
    county: County, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        import_ads(actor=county.east_officer, data=data, name=name)
    assert error.value.by_field == {"file": message}


def test_a_file_already_imported_is_refused_line_by_line(county: County) -> None:
    import_ads(actor=county.east_officer, data=jsonl(row(1)), name="a.jsonl")
    with pytest.raises(InvalidInput) as error:
        import_ads(actor=county.east_officer, data=jsonl(row(1)), name="a.jsonl")
    assert [e.message for e in error.value.errors] == ["第1行：编号重复：TV-1"]
    assert MonitoredAd.objects.count() == 1


def test_a_reader_may_not_import(county: County) -> None:
    with pytest.raises(NotPermitted):
        import_ads(actor=county.leader, data=jsonl(row(1)), name="a.jsonl")
