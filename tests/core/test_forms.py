"""What every page form shares: a typed day, a whole number, a checkbox, the POST it binds to,
and a service's refusal shown on its fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.test import RequestFactory

from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.forms import (
    DayField,
    FlagField,
    MomentField,
    NumberField,
    OfferedChoiceField,
    PageForm,
    TextListField,
    WholeNumberField,
    posted,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


class Sample(PageForm):
    """A form with one field of each kind, for these tests."""

    name = forms.CharField(required=False)
    day = DayField(invalid="请填写日期（YYYY-MM-DD）：%(value)s")
    count = WholeNumberField(invalid="份数应为整数：%(value)s")
    done = FlagField()
    grade = OfferedChoiceField(choices=[("A", "A 级"), ("B", "B 级")])

    initial_when_absent = ("name",)


def bound(**data: Any) -> Sample:
    form = Sample(data=data, initial={"name": "默认"})
    assert form.is_valid() or form.errors
    return form


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-03-02", dt.date(2026, 3, 2)), (" 2026-03-02 ", dt.date(2026, 3, 2)), ("", None)],
)
def test_a_day_is_typed_and_an_empty_one_is_left_to_the_service(
    text: str, day: dt.date | None
) -> None:
    form = bound(day=text)
    assert form.is_valid() and form.cleaned_data["day"] == day


@pytest.mark.parametrize("text", ["2026-02-30", "昨天", "2026/03/02"])
def test_a_malformed_day_is_refused_with_the_fields_message(text: str) -> None:
    form = bound(day=text)
    assert not form.is_valid()
    assert form.field_errors == {"day": f"请填写日期（YYYY-MM-DD）：{text}"}


@pytest.mark.parametrize(("text", "number"), [("3", 3), (" -1 ", -1), ("", 0)])
def test_a_whole_number_is_typed_and_its_range_left_to_the_service(text: str, number: int) -> None:
    form = bound(count=text)
    assert form.is_valid() and form.cleaned_data["count"] == number


@pytest.mark.parametrize("text", ["x", "2.5", "1e3"])
def test_a_number_that_is_not_whole_is_refused(text: str) -> None:
    form = bound(count=text)
    assert not form.is_valid() and form.field_errors == {"count": f"份数应为整数：{text}"}


@pytest.mark.parametrize(("text", "on"), [("1", True), ("0", False), ("on", False), (None, False)])
def test_a_checkbox_is_on_only_for_1(text: str | None, on: bool) -> None:
    form = bound(**({} if text is None else {"done": text}))
    assert form.is_valid() and form.cleaned_data["done"] is on


def test_a_choice_not_offered_is_passed_on_for_the_service_to_refuse() -> None:
    form = bound(grade="Z")
    assert form.is_valid() and form.cleaned_data["grade"] == "Z"
    assert form.fields["grade"].choices == [("A", "A 级"), ("B", "B 级")]  # type: ignore[attr-defined]


def test_an_input_left_out_takes_its_initial_value_and_shows_it() -> None:
    form = bound(count="2")
    assert form.is_valid() and form.cleaned_data["name"] == "默认"
    assert form.shown == {"name": "默认", "count": "2"}
    typed = bound(name="")
    assert typed.is_valid() and typed.cleaned_data["name"] == ""


def test_an_unbound_form_shows_its_initial_values() -> None:
    assert Sample(initial={"name": "默认"}).shown == {"name": "默认"}


def test_a_service_refusal_is_shown_on_its_fields_and_the_rest_on_the_form() -> None:
    form = bound(name="x")
    assert form.is_valid()
    form.add_service_errors(
        InvalidInput(
            "name: 请填写名称",
            errors=[FieldError("name", "请填写名称"), FieldError("population", "请设定名单")],
        )
    )
    assert form.errors["name"] == ["请填写名称"]
    assert form.field_errors == {"name": "请填写名称", "": "请设定名单", "population": "请设定名单"}
    assert form.error_list == [
        FieldError("name", "请填写名称"),
        FieldError("population", "请设定名单"),
    ]
    assert form.for_page == "请填写名称；请设定名单"


def test_a_refusal_naming_no_field_is_the_forms_own() -> None:
    form = bound()
    assert form.is_valid()
    form.add_service_errors(Conflict("已有同名专项整治"))
    assert form.field_errors == {"": "已有同名专项整治"}
    assert form.for_page == "已有同名专项整治"


def test_a_form_binds_to_a_post_even_an_empty_one_and_not_to_a_get() -> None:
    factory = RequestFactory()
    assert Sample(**posted(factory.post("/", {}))).is_bound
    assert not Sample(**posted(factory.get("/", {"name": "x"}))).is_bound


class Visit(PageForm):
    """A moment, a number and a list, for the tests of those fields."""

    at = MomentField(label="签到时间")
    accuracy = NumberField(label="定位精度")
    team = TextListField()


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-03-02T09:00", dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)),
        ("2026-03-02T01:02:00Z", dt.datetime(2026, 3, 2, 1, 2, tzinfo=dt.UTC)),
        (" 2026-03-02 09:00 ", dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)),
        ("", None),
    ],
)
def test_a_moment_is_local_time_unless_it_names_its_offset(
    text: str, moment: dt.datetime | None
) -> None:
    form = Visit(data={"at": text})
    assert form.is_valid() and form.cleaned_data["at"] == moment


@pytest.mark.parametrize("text", ["昨天", "2026-02-30T09:00", "2026-03-02T24:30", "09:00"])
def test_a_moment_that_is_no_moment_names_the_field_and_the_text(text: str) -> None:
    form = Visit(data={"at": text})
    assert not form.is_valid()
    assert form.field_errors == {"at": f"签到时间应为“YYYY-MM-DD HH:MM”格式的时间：{text}"}


@pytest.mark.parametrize(("text", "number"), [("12", 12.0), (" -3.5 ", -3.5), ("", None)])
def test_a_number_is_typed_and_its_bounds_left_to_the_service(
    text: str, number: float | None
) -> None:
    form = Visit(data={"accuracy": text})
    assert form.is_valid() and form.cleaned_data["accuracy"] == number


@pytest.mark.parametrize("text", ["十二", "nan", "-inf", "1e999", "12米"])
def test_what_is_not_a_finite_number_is_refused(text: str) -> None:
    form = Visit(data={"accuracy": text})
    assert not form.is_valid()
    assert form.field_errors == {"accuracy": f"定位精度应为数字：{text}"}


def test_a_list_keeps_every_value_posted_stripped_without_the_empty_ones() -> None:
    data = QueryDict(mutable=True)
    data.setlist("team", [" east_second ", "", "east_second", "west_officer"])
    form = Visit(data=data)
    assert form.is_valid()
    assert form.cleaned_data["team"] == ["east_second", "east_second", "west_officer"]
    assert Visit(data={"team": "east_second"}).is_valid()
    empty = Visit(data={})
    assert empty.is_valid() and empty.cleaned_data["team"] == []
