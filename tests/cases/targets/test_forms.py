"""The target form: it finds the unit among those the user sees and passes the rest on as text;
a missing or unknown unit is refused on its field, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from xiaoneng.cases.models import Target, TargetMetric
from xiaoneng.cases.targets.forms import TargetForm
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Unit


def target_form(county: County, **data: str) -> TargetForm:
    units = scoped(Unit.objects.all(), county.east_director)
    initial = {"year": "2026", "metric": TargetMetric.FINES_COLLECTED}
    return TargetForm(data=data, units=units, initial=initial)


def test_the_form_finds_the_unit_and_takes_the_year_and_metric_left_out(county: County) -> None:
    form = target_form(county, unit="S-E", value="30")
    assert form.is_valid()
    assert form.cleaned_data == {
        "unit": county.east,
        "year": "2026",
        "metric": TargetMetric.FINES_COLLECTED,
        "value": "30",
        "note": "",
    }


@pytest.mark.parametrize("code", ["", "NOPE", "S-W"])  # none, unknown, another station's
def test_the_form_refuses_a_unit_it_cannot_find(county: County, code: str) -> None:
    form = target_form(county, unit=code, value="30")
    assert not form.is_valid() and form.field_errors == {"unit": "请选择单位"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "NOPE"}, "请选择单位"),
        ({"year": "二〇二六"}, "年度应为 2000 至 2100 之间的整数：二〇二六"),
        ({"value": "很多"}, "目标值格式不正确：很多"),
    ],
)
def test_the_page_shows_the_error_and_writes_nothing(
    county: County, change: dict[str, str], message: str
) -> None:
    events = AuditEvent.objects.count()
    values = {
        "unit": "S-E",
        "year": str(timezone.localdate().year),
        "metric": "cases",
        "value": "3",
    }
    response = client_for(county.leader).post(reverse("cases:target_set"), values | change)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Target.objects.exists() and AuditEvent.objects.count() == events
