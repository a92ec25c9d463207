"""The responsibility table's forms: they collect text (the service reads the bounds), and the
page tells its two forms apart by ``form=department``."""

from __future__ import annotations

from typing import Any

from tests.conftest import County, client_for
from tests.planning.analysis import test_coverage_rules
from tests.planning.analysis.test_coverage_rules import good
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.analysis.forms import DepartmentForm, RuleForm
from xiaoneng.planning.analysis.models import Department, ResponsibilityRule

departments = test_coverage_rules.departments  # the two departments of the rule tests


def test_the_rule_form_hands_every_value_to_the_service_as_text() -> None:
    form = RuleForm(data=good(min_value=" 1e3 ", extra="x"))
    assert form.is_valid()
    assert form.rule_values() == good(min_value="1e3")


def test_the_department_form_is_the_one_posted_only_with_its_marker() -> None:
    assert DepartmentForm(data={"form": "department", "code": "COM"}).is_posted()
    assert not DepartmentForm(data={"form": "rule", "code": "COM"}).is_posted()
    assert not DepartmentForm(data=good()).is_posted()


def test_a_bad_bound_is_shown_at_its_field_and_kept_in_its_input(
    county: County, departments: dict[str, Any]
) -> None:
    events = AuditEvent.objects.count()
    response = client_for(county.admin).post(
        "/coverage/rules/", {"form": "rule", **good(min_value="abc")}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-min_value">不是有效的数字：abc</div>' in page
    assert 'name="min_value" value="abc"' in page
    assert not ResponsibilityRule.objects.exists() and AuditEvent.objects.count() == events


def test_a_missing_department_name_is_refused_and_nothing_is_written(county: County) -> None:
    response = client_for(county.admin).post(
        "/coverage/rules/", {"form": "department", "code": "COM", "name": " "}
    )
    assert response.status_code == 400
    assert 'data-testid="error-name">请填写部门名称</div>' in response.content.decode()
    assert not Department.objects.exists()


def test_a_rule_is_deleted_only_with_a_reason(county: County, departments: dict[str, Any]) -> None:
    client = client_for(county.admin)
    client.post("/coverage/rules/", {"form": "rule", **good()})
    rule = ResponsibilityRule.objects.get()
    refused = client.post(f"/coverage/rules/{rule.pk}/delete/", {"reason": ""}, follow=True)
    assert "请填写删除理由" in refused.content.decode()
    assert ResponsibilityRule.objects.filter(pk=rule.pk).exists()
