"""Importing listing batches: bad input refused whole with line numbers, good lines kept on
request, duplicates skipped and counted, encodings, hits stored with the library version."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.online.conftest import VERSION, csv_bytes, jsonl, listing
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Batch, Hit, Listing, Seller, SellerAttribute


def run(county: County, data: bytes, name: str = "a.jsonl", **options: object) -> Batch:
    return import_batch(data=data, name=name, actor=county.division_staff, **options)  # type: ignore[arg-type]


def nothing_written() -> bool:
    return not (Batch.objects.exists() or Listing.objects.exists() or Seller.objects.exists())


def test_import_writes_listings_sellers_hits_and_attributes(county: County) -> None:
    rows = [
        listing(1, title="最好的处方药", description="根治百病"),
        listing(2),
        listing(3, seller_id="s1", url="https://item.example.com/3"),
    ]
    batch = run(county, jsonl(rows))
    assert (batch.listing_count, batch.hit_count, batch.new_seller_count) == (3, 1, 2)
    assert batch.library_version == VERSION and batch.unit == county.division
    first = Listing.objects.get(url="https://item.example.com/1")
    assert first.hit_count == 3 and first.categories == ",absolute,medical_claim,prohibited_goods,"
    assert first.domain == ""  # not the platform's, from the URL
    hit = Hit.objects.get(listing=first, category="medical_claim")
    text = f"{first.title}\n{first.description}"
    assert text[hit.start : hit.end] == hit.match == "根治" and hit.library_version == VERSION
    seller = Seller.objects.get(seller_id="s1")
    assert seller.listing_count == 2 and seller.hit_count == 3
    assert seller.hits_by_category == {"absolute": 1, "prohibited_goods": 1, "medical_claim": 1}
    assert seller.flagged and "命中关键词" in seller.flag_reason
    assert SellerAttribute.objects.filter(seller=seller, kind="ip").count() == 2
    assert not Seller.objects.get(seller_id="s2").flagged
    assert AuditEvent.objects.filter(object_id=str(batch.pk), action="create").exists()


def test_malformed_line_is_named_with_its_number_and_nothing_is_written(county: County) -> None:
    data = jsonl([listing(1)]) + b"\n{not json\n" + jsonl([listing(2)])
    with pytest.raises(InvalidInput) as refused:
        run(county, data)
    assert refused.value.message.startswith(
        "文件中有 1 行错误，未导入任何数据：第 2 行：不是有效的 JSON"
    )
    assert [e.field for e in refused.value.errors] == ["line 2"]
    assert nothing_written()


def test_good_lines_are_imported_when_asked_and_the_bad_ones_kept(county: County) -> None:
    data = jsonl([listing(1), listing(2, price="十元"), listing(3, title="")])
    batch = run(county, data, keep_good_lines=True)
    assert batch.listing_count == 1 and batch.error_count == 2
    assert batch.errors == ["第 2 行：价格应为金额（元）：十元", "第 3 行：缺少商品标题（title）"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"price": "-1"}, "价格超出范围（0 至 100 亿元）：-1"),
        ({"price": "1e12"}, "价格超出范围（0 至 100 亿元）：1e12"),
        ({"captured_at": "昨天"}, "采集时间应为 YYYY-MM-DD HH:MM:SS：昨天"),
        ({"captured_at": "2099-01-01"}, "采集时间超出范围：2099-01-01"),
        ({"ip": "一.二"}, "IP 地址格式不正确：一.二"),
        ({"seller_id": ""}, "缺少卖家编号（seller_id）"),
        ({"title": "长" * 301}, "商品标题不能超过 300 个字"),
    ],
)
def test_out_of_range_values_are_refused(
    county: County, values: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        run(county, jsonl([listing(1, **values)]))
    assert refused.value.errors[0].message == f"第 1 行：{message}"
    assert nothing_written()


def test_missing_columns_of_a_csv_are_named(county: County) -> None:
    row = listing(1)
    del row["seller_id"], row["url"]
    with pytest.raises(InvalidInput) as refused:
        run(county, csv_bytes([row]), "a.csv")
    assert refused.value.errors[0].message == "缺少列：seller_id、url"
    assert nothing_written()


def test_a_csv_line_with_too_few_cells_is_named(county: County) -> None:
    data = csv_bytes([listing(1)]) + "淘宝,店\r\n".encode()
    with pytest.raises(InvalidInput) as refused:
        run(county, data, "a.csv")
    assert refused.value.errors[0].message == "第 3 行：应有 14 列，实有 2 列"


def test_gb18030_csv_is_read(county: County) -> None:
    batch = run(county, csv_bytes([listing(1, title="高仿名牌包")], "gb18030"), "a.csv")
    assert Listing.objects.get().title == "高仿名牌包" and batch.hit_count == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.jsonl", "文件为空"),
        (b"  \n", "a.csv", "文件为空"),
        (b"\xff\xfe\x00\x81\x30\xff", "a.jsonl", "文件编码无法识别（既不是 UTF-8 也不是 GB18030）"),
        (b"{}", "a.xlsx", "文件应为 .jsonl 或 .csv：a.xlsx"),
    ],
)
def test_unreadable_files_are_refused(county: County, data: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        run(county, data, name)
    assert refused.value.errors[0].message == message
    assert nothing_written()


def test_duplicates_in_the_file_and_already_imported_are_skipped_and_counted(
    county: County,
) -> None:
    run(county, jsonl([listing(1), listing(2)]))
    batch = run(county, jsonl([listing(1), listing(3), listing(3)]))
    assert (batch.listing_count, batch.duplicate_count) == (1, 2)
    assert Listing.objects.count() == 3
    again = listing(1, captured_at="2026-03-03 10:00:00")  # captured again: a new listing
    assert run(county, jsonl([again])).listing_count == 1


def test_a_file_of_duplicates_only_makes_an_empty_batch(county: County) -> None:
    run(county, jsonl([listing(1)]))
    batch = run(county, jsonl([listing(1)]))
    assert (batch.listing_count, batch.duplicate_count) == (0, 1)


def test_only_monitoring_roles_import(county: County) -> None:
    with pytest.raises(NotPermitted):
        import_batch(data=jsonl([listing(1)]), name="a.jsonl", actor=county.east_officer)
    assert nothing_written()


def test_a_station_director_s_batch_belongs_to_the_station(county: County) -> None:
    batch = import_batch(data=jsonl([listing(1)]), name="a.jsonl", actor=county.east_director)
    assert batch.unit == county.east and Seller.objects.get().unit == county.east
