"""The one list of case sources: the form's parameters, the API's fields and the Case fields."""

from __future__ import annotations

from xiaoneng.cases import sources
from xiaoneng.cases.api import CaseIn
from xiaoneng.cases.models import Case


def test_every_source_kind_names_a_case_field_an_api_field_and_a_form_parameter() -> None:
    case_fields = {f.name for f in Case._meta.get_fields()}
    for kind in sources.KINDS:
        assert kind.field in case_fields
        assert Case._meta.get_field(kind.field).related_model is kind.model
        assert kind.param in CaseIn.model_fields
        assert sources.BY_MODEL[kind.model] is kind
    assert sources.FIELDS == (
        "inspection",
        "finding",
        "rectification",
        "exit_check",
        "unlicensed_operator",
        "sample",
    )
