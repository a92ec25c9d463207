"""The case forms: they type the days, find the officers and the party's entity in the user's
scope, and pass amounts on as text; a value they cannot read is refused on its field and
nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests.cases.factories import east_entity, make_case
from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.cases.forms import CaseForm, GoodsForm, TransitionForm
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

D = dt.date
S = Case.Status


def case_form(county: County, **data: Any) -> CaseForm:
    user = county.east_officer
    return CaseForm(
        data={"title": "某案", "received_on": "2026-03-10"} | data,
        handlers=scoped(Officer.objects.filter(unit__isnull=False), user),
        entities=scoped(Entity.objects.all(), user),
    )


def test_the_case_form_types_the_day_and_finds_the_officer_and_the_entity(
    county: County,
) -> None:
    entity = east_entity(county)
    form = case_form(
        county, entity=entity.uscc.lower(), handler=str(county.east_officer.pk), major="1"
    )
    assert form.is_valid()
    data = form.cleaned_data
    assert (data["received_on"], data["handler"], data["co_handler"]) == (
        D(2026, 3, 10),
        county.east_officer,
        None,
    )
    assert (data["entity"], data["major"], form.source_params()) == (entity, True, {})


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"received_on": "2026-02-30"}, "received_on", "日期格式应为 YYYY-MM-DD：2026-02-30"),
        ({"handler": "abc"}, "handler", "未知的执法人员"),
        ({"co_handler": "999999"}, "co_handler", "未知的执法人员"),
        (
            {"entity": "91654002MA0000001X"},
            "entity",
            "未找到该统一社会信用代码的主体（或不在您的辖区）：91654002MA0000001X",
        ),
    ],
)
def test_the_case_form_refuses_what_it_cannot_read_or_find(
    county: County, change: dict[str, str], field: str, message: str
) -> None:
    form = case_form(county, **change)
    assert not form.is_valid() and form.field_errors == {field: message}


def test_an_officer_or_entity_of_another_station_is_not_found(county: County) -> None:
    lon, lat = county.west_point()
    west = make_entity(longitude=lon, latitude=lat)
    form = case_form(county, handler=str(county.west_officer.pk), entity=west.uscc)
    assert not form.is_valid() and set(form.field_errors) == {"handler", "entity"}


def test_with_a_source_the_entity_comes_from_it_not_from_the_input(county: County) -> None:
    form = case_form(county, finding="12", entity="NOT-A-CODE")
    assert form.is_valid()
    assert (form.cleaned_data["entity"], form.source_params()) == (None, {"finding": "12"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_on": "2026-02-30"}, "日期格式应为 YYYY-MM-DD：2026-02-30"),
        ({"received_on": ""}, "请填写线索登记日期（YYYY-MM-DD）"),  # missing: the service's
        ({"handler": "abc"}, "未知的执法人员"),
        ({"case_value": "-5"}, "案值不能为负数：-5"),  # out of range: the service's
    ],
)
def test_the_create_page_shows_the_error_and_writes_nothing(
    county: County, change: dict[str, str], message: str
) -> None:
    events = AuditEvent.objects.count()
    values = {"title": "某案", "kind": "food", "party": "某店", "received_on": "2026-03-10"}
    response = client_for(county.east_officer).post(reverse("cases:case_create"), values | change)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.exists() and AuditEvent.objects.count() == events


def test_a_transition_gets_only_the_inputs_posted_and_the_checkbox_off() -> None:
    inputs = [("decided_on", "date"), ("fine", "money"), ("major", "checkbox")]
    form = TransitionForm(data={"decided_on": "2026-03-05", "fine": ""}, inputs=inputs)
    assert form.is_valid()
    assert form.values() == {"decided_on": "2026-03-05", "fine": "", "major": False}


def test_a_transition_with_a_malformed_day_is_refused_and_nothing_moves(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    url = reverse("cases:case_action", args=[case.pk, "file"])
    page = client_for(county.east_officer).post(url, {"filed_on": "2026-03-32"})
    assert page.status_code == 200
    assert "日期格式应为 YYYY-MM-DD：2026-03-32" in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == S.LEAD


def test_a_collection_with_a_malformed_day_is_refused_and_nothing_is_written(
    county: County,
) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    response = client_for(county.east_officer).post(
        reverse("cases:collection_create", args=[case.pk]),
        {"kind": "fine", "amount": "5000", "collected_on": "2026-04-31", "receipt_number": "JK1"},
    )
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD：2026-04-31" in response.content.decode()
    assert not Collection.objects.exists()


def test_goods_without_a_value_are_worth_nothing() -> None:
    form = GoodsForm(
        data={"description": "化肥", "quantity": "206", "measure": "吨"},
        initial={"value": "0.00"},
    )
    assert form.is_valid() and form.cleaned_data["value"] == "0.00"


def test_goods_of_a_bad_quantity_are_refused_and_nothing_is_written(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    response = client_for(county.east_officer).post(
        reverse("cases:goods_create", args=[case.pk]),
        {"description": "不合格化肥", "quantity": "许多", "measure": "吨", "value": "0"},
    )
    assert response.status_code == 200 and 'value="许多"' in response.content.decode()
    assert not ConfiscatedGoods.objects.exists()
