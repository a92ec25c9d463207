"""Reading records: JSONL and CSV, UTF-8 or GB18030, bad lines reported with their number."""

from __future__ import annotations

import pytest

from xiaoneng.textscan.io import FileUnreadable, Record, RecordError, read_records


def records(data: bytes, name: str = "ads.jsonl") -> list[Record | RecordError]:
    return list(read_records(data, name))


def test_jsonl_records_keep_kind_channel_and_other_fields() -> None:
    data = (
        '{"id": 1, "text": "最好的面膜", "kind": "cosmetics", "channel": "tv", "price": 9}\n'
        "\n"
        '{"id": "b", "text": "好"}\n'
    ).encode()
    assert records(data) == [
        Record(1, "1", "最好的面膜", "cosmetics", "tv", {"price": 9}),
        Record(3, "b", "好", None, None, {}),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 1, "text": "a"', "第2行不是合法的 JSON："),
        ("[1, 2]", "第2行应为 JSON 对象"),
        ('{"text": "a"}', "第2行缺少 id"),
        ('{"id": "", "text": "a"}', "第2行缺少 id"),
        ('{"id": 2}', "第2行缺少 text"),
        ('{"id": 2, "text": 5}', "第2行缺少 text"),
    ],
)
def test_malformed_line_is_reported_with_its_number_and_others_still_come(
    line: str, message: str
) -> None:
    data = f'{{"id": 1, "text": "a"}}\n{line}\n{{"id": 3, "text": "c"}}\n'.encode()
    first, error, last = records(data)
    assert isinstance(error, RecordError) and error.line == 2
    assert error.message.startswith(message)
    assert (first.id, last.id) == ("1", "3")  # type: ignore[union-attr]


def test_utf8_with_bom_is_read() -> None:
    (record,) = records('{"id": 1, "text": "第一"}'.encode("utf-8-sig"))
    assert record == Record(1, "1", "第一", None, None, {})


def test_gb18030_file_is_decoded() -> None:
    data = "id,text,kind\n7,全网最低价，國家級,food\n".encode("gb18030")
    assert records(data, "ads.csv") == [Record(2, "7", "全网最低价，國家級", "food", None, {})]


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_file_is_unreadable(data: bytes) -> None:
    with pytest.raises(FileUnreadable, match=r"^文件为空$"):
        read_records(data, "ads.jsonl")


@pytest.mark.parametrize("data", [b"\xff\xfe{\x00\x00\x00", bytes(range(0x80, 0x100)) * 3])
def test_undecodable_file_is_unreadable(data: bytes) -> None:
    with pytest.raises(FileUnreadable) as caught:
        read_records(data, "ads.jsonl")
    assert caught.value.message == "文件编码无法识别（既不是 UTF-8 也不是 GB18030）"


def test_unknown_extension_is_unreadable() -> None:
    with pytest.raises(FileUnreadable, match="文件格式无法识别"):
        read_records(b'{"id": 1}', "ads.txt")


def test_csv_with_missing_columns_is_one_clear_error() -> None:
    with pytest.raises(FileUnreadable) as caught:
        read_records("编号,内容\n1,最好\n".encode(), "ads.csv")
    assert caught.value.message.startswith("CSV 表头缺少列：id、text")


def test_csv_row_with_wrong_column_count_is_reported() -> None:
    data = "id,text\n1,最好\n2,a,b\n3,\n4,好\n".encode()
    assert records(data, "ads.csv") == [
        Record(2, "1", "最好", None, None, {}),
        RecordError(3, "第3行有 3 列，表头有 2 列"),
        RecordError(4, "第4行缺少 text"),
        Record(5, "4", "好", None, None, {}),
    ]


def test_listing_csv_scans_title_and_description() -> None:
    data = "listing_id,platform,title,description,price\nL1,某宝,高仿包,正品A货,99\n".encode()
    assert records(data, "listings.csv") == [
        Record(
            2,
            "L1",
            "高仿包\n正品A货",
            None,
            None,
            {
                "listing_id": "L1",
                "platform": "某宝",
                "title": "高仿包",
                "description": "正品A货",
                "price": "99",
            },
        )
    ]


def test_json_array_file_is_read() -> None:
    data = '[{"id": 1, "text": "最"}, 3]'.encode()
    assert records(data, "ads.json") == [
        Record(1, "1", "最", None, None, {}),
        RecordError(2, "第2条应为 JSON 对象"),
    ]
