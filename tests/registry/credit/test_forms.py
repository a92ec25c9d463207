"""The decision form of a credit proposal: ``decision=confirm`` confirms, anything else rejects;
the reason is the service's to require, and a refused decision writes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.registry.test_credit import east_entity, proposal_for
from xiaoneng.registry.credit.forms import DecisionForm
from xiaoneng.registry.models import ClassificationChange


@pytest.mark.parametrize(
    ("decision", "confirms"), [("confirm", True), ("reject", False), ("", False), ("是", False)]
)
def test_only_confirm_confirms(decision: str, confirms: bool) -> None:
    form = DecisionForm(data={"decision": decision, "reason": "核实"})
    assert form.is_valid() and form.confirms() is confirms


def test_a_rejection_without_a_reason_is_refused_and_nothing_is_written(county: County) -> None:
    proposal = proposal_for(east_entity(county))
    response = client_for(county.east_director).post(
        f"/credit/{proposal.pk}/decide/", {"decision": "reject", "reason": " "}, follow=True
    )
    assert "请填写确认意见" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending" and not ClassificationChange.objects.exists()
