"""The online-monitoring pages per role: search, sellers, networks, batches and the import
form, the decision forms; another unit's seller answers 404."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import County, client_for
from tests.online.conftest import jsonl, listing
from tests.registry.factories import make_entity
from xiaoneng.demo import online as demo_online
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Batch, Listing, Seller


@pytest.fixture
def imported(county: County) -> dict[str, Seller]:
    lon, lat = county.east_point()
    local = make_entity(name="城东服装店", longitude=lon, latitude=lat)
    rows = [
        listing(1, seller_id="local", claimed_uscc=local.uscc, title="最好的衬衫", ip="9.9.9.9"),
        listing(2, seller_id="far", title="高仿名牌包", ip="9.9.9.9", shop="远方小店"),
    ]
    import_batch(data=jsonl(rows), name="a.jsonl", actor=county.division_staff)
    return {s.seller_id: s for s in Seller.objects.all()}


def test_division_staff_see_every_seller_and_the_network(
    county: County, imported: dict[str, Seller]
) -> None:
    client = client_for(county.division_staff)
    body = client.get("/online/sellers/?flagged=1").content.decode()
    assert "远方小店" in body and "店铺1" in body
    networks = client.get("/online/networks/").content.decode()
    assert "IP 地址 9.9.9.9" in networks
    detail = client.get(f"/online/networks/{imported['far'].pk}/").content.decode()
    assert "IP 地址 9.9.9.9：" in detail
    page = client.get(f"/online/sellers/{imported['far'].pk}/").content.decode()
    assert 'data-testid="decide"' in page and "转检查任务（本地在营主体）" not in page


def test_a_station_sees_only_the_sellers_of_its_entities(
    county: County, imported: dict[str, Seller]
) -> None:
    east = client_for(county.east_director)
    body = east.get("/online/sellers/").content.decode()
    assert "店铺1" in body and "远方小店" not in body
    assert east.get(f"/online/sellers/{imported['far'].pk}/").status_code == 404
    page = east.get(f"/online/sellers/{imported['local'].pk}/").content.decode()
    assert "转检查任务（本地在营主体）" in page
    assert "没有发现关联网络" in east.get("/online/networks/").content.decode()
    west = client_for(county.west_director)
    assert west.get(f"/online/sellers/{imported['local'].pk}/").status_code == 404
    assert "店铺1" not in west.get("/online/").content.decode()


def test_the_leader_reads_but_is_offered_no_decision(
    county: County, imported: dict[str, Seller]
) -> None:
    client = client_for(county.leader)
    page = client.get(f"/online/sellers/{imported['far'].pk}/").content.decode()
    assert "远方小店" in page and 'data-testid="decide"' not in page
    assert 'data-testid="import"' not in client.get("/online/batches/").content.decode()
    response = client.post(f"/online/sellers/{imported['far'].pk}/dismiss/", {"reason": "无"})
    assert response.status_code == 403


def test_search_by_term_platform_category_and_dates(
    county: County, imported: dict[str, Seller]
) -> None:
    client = client_for(county.division_staff)
    assert "高仿名牌包" in client.get("/online/?q=名牌").content.decode()
    assert "高仿名牌包" not in client.get("/online/?q=衬衫").content.decode()
    assert "最好的衬衫" in client.get("/online/?category=absolute").content.decode()
    assert "最好的衬衫" not in client.get("/online/?category=prohibited_goods").content.decode()
    assert "高仿名牌包" not in client.get("/online/?from=2026-03-03").content.decode()
    assert "高仿名牌包" in client.get("/online/?from=2026-03-02&to=2026-03-02").content.decode()
    response = client.get("/online/?category=bogus")
    assert "未识别的筛选条件：命中类别 = bogus，已忽略" in response.content.decode()
    listing_page = client.get(f"/online/listings/{Listing.objects.get(title='最好的衬衫').pk}/")
    assert "<mark>最好</mark>的衬衫" in listing_page.content.decode()


def test_dismissing_and_referring_from_the_page(
    county: County, imported: dict[str, Seller]
) -> None:
    client = client_for(county.division_staff)
    far = imported["far"]
    refused = client.post(f"/online/sellers/{far.pk}/dismiss/", {"reason": ""})
    assert refused.status_code == 422 and "请填写理由" in refused.content.decode()
    response = client.post(
        f"/online/sellers/{far.pk}/referral/",
        {"to_kind": "platform", "to_name": "某平台", "referred_on": "2026-03-05"},
    )
    assert response.status_code == 302
    far.refresh_from_db()
    assert far.status == "referral"
    bad_day = client.post(
        f"/online/sellers/{imported['local'].pk}/referral/",
        {"to_kind": "platform", "to_name": "某平台", "referred_on": "2026-02-30"},
    )
    assert bad_day.status_code == 422 and "日期格式应为 YYYY-MM-DD：2026-02-30" in (
        bad_day.content.decode()
    )


def test_importing_through_the_page(county: County) -> None:
    client = client_for(county.east_director)
    upload = SimpleUploadedFile("a.jsonl", jsonl([listing(1)]))
    response = client.post("/online/batches/", {"file": upload})
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert batch.unit == county.east
    bad = SimpleUploadedFile("b.jsonl", jsonl([listing(2)]) + b"\n[1]")
    refused = client.post("/online/batches/", {"file": bad})
    assert refused.status_code == 422
    assert "第 2 行：每行应为一个 JSON 对象" in refused.content.decode()
    assert Batch.objects.count() == 1
    missing = client.post("/online/batches/", {})
    assert missing.status_code == 422 and "请选择要导入的文件" in missing.content.decode()
    assert client_for(county.east_officer).post("/online/batches/", {}).status_code == 403


def test_a_listing_row_names_the_platform_once_then_the_shop(
    county: County, imported: dict[str, Seller]
) -> None:
    html = client_for(county.division_staff).get("/online/?q=名牌").content.decode()
    assert "淘宝 · 远方小店 · " in html and "淘宝 远方小店" not in html
    detail = Listing.objects.get(title="高仿名牌包")
    page = client_for(county.division_staff).get(f"/online/listings/{detail.pk}/").content.decode()
    assert "淘宝 远方小店" not in page and ">远方小店</a>" in page


@pytest.mark.django_db
def test_the_demo_shops_do_not_repeat_their_platform() -> None:
    sellers = demo_online._sellers(np.random.default_rng(1))
    assert len({s["shop"] for s in sellers}) == len(sellers)
    assert not [s for s in sellers if s["platform"] in s["shop"]]
