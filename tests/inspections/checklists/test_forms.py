"""The checklist import form: the day and the file are read by the form, which checklist is
chosen too; what cannot be read is shown on its field and nothing is imported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import County, client_for
from tests.inspections.checklists.test_pages import GOOD
from xiaoneng.inspections.checklists.forms import ImportForm
from xiaoneng.inspections.models import Checklist


def post(county: County, data: dict[str, Any], *, file: bool = True) -> Any:
    if file:
        data["file"] = SimpleUploadedFile("food.csv", GOOD.encode("utf-8"), "text/csv")
    return client_for(county.division_staff).post("/checklists/import/", data)


@pytest.mark.parametrize(
    ("data", "file", "errors"),
    [
        ({"code": "food-retail", "effective_on": "2026-03-01"}, False, {"file": "请选择文件"}),
        ({"code": "food-retail", "effective_on": ""}, True, {"effective_on": "请填写施行日期"}),
        (
            {"code": "food-retail", "effective_on": "2026-13-01"},
            True,
            {"effective_on": "日期格式应为 YYYY-MM-DD：2026-13-01"},
        ),
        ({"code": "", "effective_on": "2026-03-01"}, True, {"code": "请选择清单"}),
        (
            {"code": "__new__", "new_code": "", "effective_on": "2026-03-01"},
            True,
            {"code": "请选择清单"},
        ),
    ],
)
def test_an_import_that_cannot_be_read_imports_nothing(
    county: County, data: dict[str, Any], file: bool, errors: dict[str, str]
) -> None:
    before = Checklist.objects.count()
    response = post(county, data, file=file)
    assert response.status_code == 200
    assert response.context["errors"] == errors
    assert next(iter(errors.values())) in response.content.decode()
    assert Checklist.objects.count() == before


def test_a_new_checklist_takes_its_code_title_and_kind_from_the_form(county: County) -> None:
    response = post(
        county,
        {
            "code": "__new__",
            "new_code": "cosmetics",
            "title": "化妆品经营检查清单",
            "kind": "onsite",
            "industry_prefixes": "",
            "effective_on": "2026-03-01",
        },
    )
    created = Checklist.objects.get(code="cosmetics")
    assert response.status_code == 302 and response["Location"] == f"/checklists/{created.pk}/"
    assert (created.title, created.version, created.kind) == ("化妆品经营检查清单", 1, "onsite")


def test_a_new_version_ignores_the_new_checklist_inputs() -> None:
    upload = SimpleUploadedFile("food.csv", b"x", "text/csv")
    form = ImportForm(
        {"code": "food-retail", "new_code": "other", "effective_on": "2026-03-01"},
        {"file": upload},
    )
    assert form.is_valid()
    data = form.cleaned_data
    assert (data["checklist_code"], data["new"]) == ("food-retail", False)
    assert data["effective_on"] == dt.date(2026, 3, 1) and data["file"] is upload
