"""The policy form: it types the effective day and hands the 12 cells to the service as text;
a day it cannot read, or none, is refused on its field and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.models import Policy
from xiaoneng.planning.policy import services as policies
from xiaoneng.planning.policy.forms import PolicyForm

MESSAGE = "请填写生效日期（YYYY-MM-DD）"


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def cells(**change: str) -> dict[str, Any]:
    values = {
        f"{key}.{name}": str(value)
        for key, cell in policies.default_cells().items()
        for name, value in cell.items()
    }
    return values | change


def test_the_form_types_the_day_and_groups_the_cells() -> None:
    form = PolicyForm(data={"effective_from": "2027-01-01", "note": "年度调整", **cells()})
    assert form.is_valid()
    assert form.cleaned_data["effective_from"] == dt.date(2027, 1, 1)
    assert form.cells() == {
        k: {n: str(v) for n, v in c.items()} for k, c in policies.default_cells().items()
    }


@pytest.mark.parametrize("text", ["", "2027-02-30", "明年元旦"])
def test_the_form_refuses_a_missing_or_malformed_day(text: str) -> None:
    form = PolicyForm(data={"effective_from": text, **cells()})
    assert not form.is_valid() and form.field_errors == {"effective_from": MESSAGE}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"effective_from": ""}, MESSAGE),
        ({"effective_from": "2027-02-30"}, MESSAGE),
        ({"effective_from": "2001-01-01"}, "生效日期不能早于今天：2001-01-01"),  # the service's
        ({"III-D.patrol_interval_days": "九十"}, "巡查间隔应为整数天数"),  # the service reads it
    ],
)
def test_the_page_shows_the_error_and_writes_nothing(
    county: County, change: dict[str, str], message: str
) -> None:
    events = AuditEvent.objects.count()
    posted = cells(effective_from=tomorrow().isoformat()) | change
    response = client_for(county.admin).post("/policy/new/", posted)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Policy.objects.filter(version=2).exists() and AuditEvent.objects.count() == events


def test_a_second_version_on_the_same_day_is_refused(county: County) -> None:
    client = client_for(county.admin)
    posted = cells(effective_from=tomorrow().isoformat())
    assert client.post("/policy/new/", posted).status_code == 302
    again = client.post("/policy/new/", posted)
    assert f"该日期已有政策版本：{tomorrow().isoformat()}" in again.content.decode()
    assert Policy.objects.count() == 2
