"""Checklist pages and API: anyone logged in reads; counts of use are of the user's units;
importing needs MANAGE_CHECKLISTS (a grid officer gets 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import County, client_for
from tests.inspections.factories import make_inspection
from tests.registry.factories import make_entity
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import Checklist

FOOD = "《中华人民共和国食品安全法》"
GOOD = (
    "序号,检查事项,检查内容与方法,法律依据,严重程度\n"
    f"1,依法取得食品经营许可,查看许可证,{FOOD}第三十五条第一款,严重\n"
    f"2,从业人员健康证明,核对健康证明,{FOOD}第四十五条,较重\n"
)


def food() -> Checklist:
    return Checklist.objects.get(code="food-retail", version=1)


def east_inspection(county: County) -> None:
    lon, lat = county.east_point()
    entity = make_entity(industry="F5221", longitude=lon, latitude=lat)
    assert entity.unit_id == county.east.pk
    make_inspection(entity=entity, officers=[county.east_officer], checklist=food())


def upload(client: Client, content: str, **fields: str) -> Any:
    data = {"code": "food-retail", "effective_on": "2026-03-01", **fields}
    data["file"] = SimpleUploadedFile("food.csv", content.encode("utf-8"), "text/csv")
    return client.post("/checklists/import/", data)


def test_the_list_shows_each_checklist_with_its_version_items_and_use(county: County) -> None:
    east_inspection(county)
    page = client_for(county.east_officer).get("/checklists/")
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("food-retail", "catering", "pharmacy", "documentary"):
        assert f'data-code="{code}"' in html
    assert "食品销售监督检查清单" in html
    row = html.split('data-code="food-retail"')[1].split('data-code="general-trade"')[0]
    assert "第 1 版" in row
    assert 'data-testid="items">14 项' in row and 'data-testid="used">本辖区使用 1 次' in row
    assert "导入新版本" not in html  # a grid officer may not import


def test_the_list_filters_by_kind(county: County) -> None:
    html = client_for(county.east_officer).get("/checklists/?kind=documentary").content.decode()
    assert 'data-code="documentary"' in html and 'data-code="catering"' not in html


def test_use_is_counted_within_the_users_units_only(county: County) -> None:
    east_inspection(county)
    west = client_for(county.west_officer).get("/checklists/").content.decode()
    row = west.split('data-code="food-retail"')[1].split('data-code="general-trade"')[0]
    assert 'data-testid="used">本辖区使用 0 次' in row
    detail = client_for(county.west_officer).get(f"/checklists/{food().pk}/").content.decode()
    assert "本辖区 0 份检查记录使用此版本" in detail
    east = client_for(county.east_director).get(f"/checklists/{food().pk}/").content.decode()
    assert "本辖区 1 份检查记录使用此版本" in east
    assert "此版本已被使用，内容不再修改" in east


def test_the_detail_groups_items_by_law_with_their_legal_basis(county: County) -> None:
    pharmacy = Checklist.objects.get(code="pharmacy", version=1)
    page = client_for(county.west_officer).get(f"/checklists/{pharmacy.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "依据《中华人民共和国药品管理法》（12 项）" in html
    assert "依据《中华人民共和国价格法》（1 项）" in html
    assert "《中华人民共和国药品管理法》第五十一条第一款" in html
    assert 'data-testid="state">现行' in html
    assert client_for(county.west_officer).get("/checklists/999999/").status_code == 404


def test_the_history_shows_what_changed_against_the_previous_version(county: County) -> None:
    staff = client_for(county.division_staff)
    assert upload(staff, GOOD).status_code == 302
    page = client_for(county.east_officer).get("/checklists/food-retail/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html
    removed = html.split('data-testid="removed"')[1].split("</ul>")[0]
    assert "散装食品标注" in removed  # item 11 of version 1 is gone from version 2
    assert "首个版本，共 14 项" in html
    assert client_for(county.east_officer).get("/checklists/nothing/history/").status_code == 404


def test_division_staff_import_a_new_version_from_the_form(county: County) -> None:
    response = upload(client_for(county.division_staff), GOOD)
    new = Checklist.objects.get(code="food-retail", version=2)
    assert response.status_code == 302 and response["Location"] == f"/checklists/{new.pk}/"
    assert food().retired_on == dt.date(2026, 3, 1)


def test_the_form_lists_every_row_error_and_writes_nothing(county: County) -> None:
    bad = GOOD + f"2,重复,查看,{FOOD}第四十五条,很重\n"
    response = upload(client_for(county.division_staff), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "与第 3 行重复：2" in html and "应为“一般”“较重”或“严重”：很重" in html
    assert not Checklist.objects.filter(code="food-retail", version=2).exists()


def test_the_form_shows_a_field_error_next_to_the_field(county: County) -> None:
    response = upload(client_for(county.admin), GOOD, effective_on="2026-01-01")
    html = response.content.decode()
    assert "施行日期须晚于第 1 版的施行日期 2026-01-01：2026-01-01" in html
    assert "is-invalid" in html
    assert not Checklist.objects.filter(code="food-retail", version=2).exists()


@pytest.mark.parametrize("who", ["east_officer", "east_director", "leader"])
def test_people_without_manage_checklists_cannot_import(county: County, who: str) -> None:
    client = client_for(getattr(county, who))
    assert client.get("/checklists/import/").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not Checklist.objects.filter(code="food-retail", version=2).exists()


def test_the_import_form_opens_for_division_staff(county: County) -> None:
    page = client_for(county.division_staff).get("/checklists/import/?code=pharmacy")
    assert page.status_code == 200
    assert '<option value="pharmacy" selected>' in page.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_version_exports_as_a_file(county: County, fmt: str) -> None:
    response = client_for(county.west_officer).get(f"/checklists/{food().pk}/export/?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="food-retail-v1.{fmt}"'
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.startswith("序号,检查事项,检查内容与方法,法律依据,严重程度\n1,")


def test_pages_need_a_login(db: Any) -> None:
    response = Client().get("/checklists/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# API -----------------------------------------------------------------------------------------


def test_api_lists_the_versions_in_force(county: County) -> None:
    response = client_for(county.east_officer).get("/api/v1/checklists")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["food-retail"]["version"] == 1
    assert by_code["food-retail"]["item_count"] == 14
    assert by_code["food-retail"]["industry_prefixes"] == ["F512", "F522", "F5212", "F5213"]
    assert by_code["general-trade"]["industry_prefixes"] == []
    assert by_code["documentary"]["kind"] == "documentary"
    only = client_for(county.east_officer).get("/api/v1/checklists?kind=documentary").json()
    assert [c["code"] for c in only] == ["documentary"]
    bad = client_for(county.east_officer).get("/api/v1/checklists?kind=remote")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "kind", "message": "检查方式应为 onsite 或 documentary：remote"}
    ]


def test_api_gives_a_versions_items(county: County) -> None:
    response = client_for(county.west_officer).get(f"/api/v1/checklists/{food().pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "food-retail" and len(body["items"]) == 14
    first = body["items"][0]
    assert first["number"] == "1" and first["severity"] == "critical"
    assert first["legal_basis"] == "《中华人民共和国食品安全法》第三十五条第一款"
    missing = client_for(county.west_officer).get("/api/v1/checklists/999999")
    assert missing.status_code == 404


def test_api_gives_the_checklist_for_an_entity_of_the_users_units(county: County) -> None:
    lon, lat = county.east_point()
    restaurant = make_entity(industry="H6210", longitude=lon, latitude=lat)
    east = client_for(county.east_officer)
    response = east.get(f"/api/v1/checklists/for-entity/{restaurant.pk}")
    assert response.status_code == 200 and response.json()["code"] == "catering"
    documentary = east.get(f"/api/v1/checklists/for-entity/{restaurant.pk}?kind=documentary")
    assert documentary.json()["code"] == "documentary"
    other = client_for(county.west_officer).get(f"/api/v1/checklists/for-entity/{restaurant.pk}")
    assert other.status_code == 404


def test_api_needs_authentication(db: Any) -> None:
    assert Client().get("/api/v1/checklists").status_code == 401


def test_checklist_for_in_the_api_matches_the_service(county: County) -> None:
    lon, lat = county.east_point()
    grocer = make_entity(industry="F5221", longitude=lon, latitude=lat)
    body = client_for(county.east_officer).get(f"/api/v1/checklists/for-entity/{grocer.pk}")
    expected = checklists.checklist_for(entity=grocer, kind="onsite")
    assert body.json()["id"] == expected.pk


def test_an_effective_date_with_no_such_day_is_a_field_error(county: County) -> None:
    response = upload(client_for(county.admin), GOOD, effective_on="2026-02-30")
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD：2026-02-30" in response.content.decode()
    assert not Checklist.objects.filter(code="food-retail", version=2).exists()
