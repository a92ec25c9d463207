"""The trace flag form: the decision is read by the form, the reason is the service's to judge;
a decision not offered resolves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.inspections.trace.test_flags import east_record, raise_flag
from xiaoneng.inspections.models import TraceFlag
from xiaoneng.inspections.trace.forms import ResolveForm


@pytest.fixture
def flag(county: County) -> TraceFlag:
    return raise_flag(east_record(county, visited_on=dt.date(2026, 3, 2)))


def test_a_decision_not_offered_resolves_nothing(county: County, flag: TraceFlag) -> None:
    response = client_for(county.east_director).post(
        f"/trace/{flag.pk}/", {"decision": "maybe", "reason": "未到现场，已约谈"}
    )
    assert response.status_code == 200
    message = "核实结论应为 clear（排除）或 confirm（属实）：maybe"
    assert response.context["errors"] == {"decision": message}
    assert message in response.content.decode() and "未到现场，已约谈" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open" and flag.resolution == ""


@pytest.mark.parametrize(
    ("typed", "confirmed"), [("confirm", True), ("clear", False), (None, False)]
)
def test_a_flag_is_confirmed_only_by_confirm(typed: str | None, confirmed: bool) -> None:
    form = ResolveForm({"reason": " 已核实 "} | ({} if typed is None else {"decision": typed}))
    assert form.is_valid()
    assert form.cleaned_data == {"decision": confirmed, "reason": "已核实"}
