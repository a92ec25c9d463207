"""The dossier's action forms: they pass the values on as text, so a grade or class not
offered gets the service's message, and a refused action writes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.core.models import AuditEvent
from xiaoneng.registry.forms import CreditGradeForm, PlaceForm, RiskClassForm
from xiaoneng.registry.models import ClassificationChange, Entity


def test_the_grade_form_offers_the_grades_and_passes_any_value_on() -> None:
    assert [v for v, _label in CreditGradeForm().fields["credit_grade"].choices] == list("ABCD")  # type: ignore[attr-defined]
    form = CreditGradeForm(data={"credit_grade": "E", "reason": " 核实 ", "next": "/x/"})
    assert form.is_valid()
    assert form.cleaned_data == {"credit_grade": "E", "reason": "核实", "next": "/x/"}


def test_the_risk_form_passes_an_empty_class_on_as_back_to_the_rule() -> None:
    form = RiskClassForm(data={"reason": "复核"})
    assert form.is_valid() and form.cleaned_data["risk_class"] == ""
    assert PlaceForm(data={"grid": " G-E "}).is_valid()


@pytest.mark.parametrize(
    ("path", "values", "message"),
    [
        ("credit-grade", {"credit_grade": "E", "reason": "核实"}, "信用等级应为 A、B、C 或 D：E"),
        ("credit-grade", {"credit_grade": "D"}, "请填写理由"),
        ("risk-class", {"risk_class": "IV", "reason": "复核"}, "无效的风险类别：IV"),
        ("archive", {"reason": ""}, "请填写理由"),
    ],
)
def test_a_refused_dossier_action_shows_the_services_message_and_writes_nothing(
    county: County, path: str, values: dict[str, str], message: str
) -> None:
    entity = make_entity()
    events = AuditEvent.objects.count()
    response = client_for(county.admin).post(
        f"/entities/{entity.uscc}/{path}/", values, follow=True
    )
    assert message in response.content.decode()
    entity.refresh_from_db()
    assert (entity.credit_grade, entity.archived_at) == ("B", None)
    assert not ClassificationChange.objects.exists() and AuditEvent.objects.count() == events


def test_an_action_goes_back_to_the_page_it_came_from_on_this_site_only(county: County) -> None:
    entity = make_entity()
    client = client_for(county.admin)
    back = client.post(
        f"/entities/{entity.uscc}/archive/", {"reason": "", "next": "/entities/unclaimed/"}
    )
    assert back["Location"] == "/entities/unclaimed/"
    away = client.post(
        f"/entities/{entity.uscc}/archive/", {"reason": "", "next": "https://example.com/"}
    )
    assert away["Location"] == f"/entities/{entity.uscc}/"
    assert Entity.objects.get(pk=entity.pk).archived_at is None
