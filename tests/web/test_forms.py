"""The register's pages: forms show each service error on its field and write nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import County, client_for
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.models import AuditEvent
from xiaoneng.registry.models import ClassificationChange, Entity


def form_values(county: County, **extra: str) -> dict[str, str]:
    lon, lat = county.east_point()
    values = {
        "uscc": make_uscc(),
        "name": "表单登记的面馆",
        "kind": "individual",
        "industry": "H6291",
        "longitude": str(lon),
        "latitude": str(lat),
        "status": "operating",
        "licences": "食品经营许可证|JY16540027777777|2024-03-01|2029-02-28",
    }
    return values | extra


def test_registering_through_the_form_opens_the_new_dossier(county: County) -> None:
    response = client_for(county.east_director).post("/entities/new/", form_values(county))
    entity = Entity.objects.get(name="表单登记的面馆")
    assert response.status_code == 302 and response["Location"] == f"/entities/{entity.uscc}/"
    assert (entity.grid, entity.risk_class, entity.licences.count()) == (county.east_grid, "I", 1)


def test_the_form_shows_each_error_on_its_field_and_writes_nothing(county: County) -> None:
    events = AuditEvent.objects.count()
    response = client_for(county.east_director).post(
        "/entities/new/",
        form_values(county, uscc="91654002MA0000001X", industry="Q", established="2024-02-30"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-uscc">校验码错误：第 18 位应为' in page
    assert 'data-testid="error-industry">未知的行业代码“Q”' in page
    assert 'data-testid="error-established">日期格式错误：2024-02-30（应为 YYYY-MM-DD）' in page
    assert Entity.objects.count() == 0 and AuditEvent.objects.count() == events


def test_editing_keeps_the_uscc_and_records_the_change(county: County) -> None:
    entity = make_entity(
        name="旧店名", longitude=county.east_point()[0], latitude=county.east_point()[1]
    )
    values = form_values(county, uscc=entity.uscc, name="新店名", licences="")
    response = client_for(county.east_director).post(f"/entities/{entity.uscc}/edit/", values)
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.name == "新店名"
    assert AuditEvent.objects.filter(action="update", changes__name=["旧店名", "新店名"]).exists()


def test_a_grade_change_without_reason_is_refused_with_a_message(county: County) -> None:
    entity = make_entity()
    client = client_for(county.admin)
    response = client.post(
        f"/entities/{entity.uscc}/credit-grade/", {"credit_grade": "D", "reason": ""}, follow=True
    )
    assert "请填写理由" in response.content.decode()
    entity.refresh_from_db()
    assert entity.credit_grade == "B" and not ClassificationChange.objects.exists()


def test_import_page_lists_every_error_and_writes_nothing(county: County) -> None:
    text = "统一社会信用代码,名称,主体类型,行业代码\n123,坏数据,企业,H6210\n,无代码,企业,X1\n"
    upload = SimpleUploadedFile("bad.csv", text.encode("utf-8"))
    response = client_for(county.admin).post("/transfer/", {"kind": "entities", "file": upload})
    page = response.content.decode()
    assert "导入失败：发现 3 处错误，未写入任何数据。" in page
    assert "<td>2</td><td>统一社会信用代码</td><td>长度应为 18 位，实为 3 位</td>" in page
    assert "<td>3</td><td>统一社会信用代码</td><td>必填</td>" in page
    assert Entity.objects.count() == 0


def test_grid_officers_cannot_import(county: County) -> None:
    upload = SimpleUploadedFile("x.csv", "统一社会信用代码,名称,主体类型,行业代码\n".encode())
    response = client_for(county.east_officer).post(
        "/transfer/", {"kind": "entities", "file": upload}, follow=True
    )
    assert "您的角色无权执行此操作。" in response.content.decode()
