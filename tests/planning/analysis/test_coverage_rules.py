"""The responsibility table: validated rows, who may edit, the trace, pages and API."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.org.factories import UnitFactory
from tests.registry.factories import make_entity
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.analysis import responsibility
from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule


@pytest.fixture
def departments(county: County) -> dict[str, Department]:
    return {
        "commerce": Department.objects.create(code="COM", name="商务局", bureau=county.bureau),
        "safety": Department.objects.create(code="SAFE", name="应急管理局", bureau=county.bureau),
    }


def good(**changes: Any) -> dict[str, Any]:
    values = {
        "department": "COM",
        "matter": "work_safety",
        "industry_prefix": "F521",
        "measure": "floor_area",
        "min_value": "1000",
        "max_value": "",
        "region_code": "",
        "legal_basis": "《北京市商业零售经营单位安全生产规定》",
        "note": "",
    }
    return values | changes


def test_a_rule_is_created_and_traced(county: County, departments: dict[str, Any]) -> None:
    rule = responsibility.create_rule(values=good(industry_prefix="f521"), actor=county.admin)
    assert (rule.department.code, rule.industry_prefix, rule.min_value, rule.max_value) == (
        "COM",
        "F521",
        Decimal("1000.00"),
        None,
    )
    event = audit.history(rule).get()
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, county.admin)
    assert event.changes["industry_prefix"] == [None, "F521"]


BAD_RULES: list[tuple[dict[str, Any], str, str]] = [
    ({"department": ""}, "department", "请选择监管部门"),
    ({"department": "NOPE"}, "department", "未知的监管部门：NOPE"),
    ({"matter": ""}, "matter", "请选择监管事项"),
    ({"matter": "noise"}, "matter", "未知的监管事项：noise"),
    ({"industry_prefix": ""}, "industry_prefix", "请填写行业代码"),
    (
        {"industry_prefix": "Z99"},
        "industry_prefix",
        "未知的行业代码：Z99（应为 GB/T 4754 门类、大类、中类或小类代码）",
    ),
    ({"measure": "height"}, "measure", "未知的规模指标：height"),
    ({"min_value": "-5"}, "min_value", "面积不能为负数：-5"),
    ({"max_value": "-1"}, "max_value", "面积不能为负数：-1"),
    ({"min_value": "abc"}, "min_value", "不是有效的数字：abc"),
    ({"min_value": "1.234"}, "min_value", "最多保留 2 位小数：1.234"),
    ({"max_value": "1e12"}, "max_value", "数值过大：1e12"),
    ({"min_value": "1000", "max_value": "500"}, "min_value", "下限应小于上限：1000 ≥ 500"),
    ({"min_value": "500", "max_value": "500"}, "min_value", "下限应小于上限：500 ≥ 500"),
    (
        {"measure": "employees", "min_value": "2.5"},
        "min_value",
        "从业人数应为整数：2.5",
    ),
    ({"measure": "employees", "min_value": "-3"}, "min_value", "人数不能为负数：-3"),
    ({"region_code": "65400"}, "region_code", "行政区划代码应为 2、4 或 6 位数字：65400"),
    ({"region_code": "65AB"}, "region_code", "行政区划代码应为 2、4 或 6 位数字：65AB"),
    ({"legal_basis": "  "}, "legal_basis", "请填写法律依据"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_RULES)
def test_a_bad_rule_is_refused_naming_the_field_and_nothing_is_written(
    county: County, departments: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        responsibility.create_rule(values=good(**change), actor=county.admin)
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    assert ResponsibilityRule.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_every_problem_is_reported_at_once(county: County, departments: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        responsibility.create_rule(
            values=good(department="", industry_prefix="Q1", min_value="-1"), actor=county.admin
        )
    assert [e.field for e in refused.value.errors] == ["department", "industry_prefix", "min_value"]


def test_a_duplicate_rule_is_refused(county: County, departments: dict[str, Any]) -> None:
    first = responsibility.create_rule(values=good(), actor=county.admin)
    with pytest.raises(Conflict) as refused:
        responsibility.create_rule(values=good(legal_basis="另一依据"), actor=county.admin)
    message = f"已有相同的职责规则（第 {first.pk} 条）：商务局 · F521 · ≥ 1000 m²"
    assert [(e.field, e.message) for e in refused.value.errors] == [("rule", message)]
    assert ResponsibilityRule.objects.count() == 1
    # Another band, region or department is another rule.
    responsibility.create_rule(values=good(min_value="1000.01"), actor=county.admin)
    responsibility.create_rule(values=good(region_code="6540"), actor=county.admin)
    responsibility.create_rule(values=good(department="SAFE"), actor=county.admin)
    assert ResponsibilityRule.objects.count() == 4


def test_an_update_is_validated_traced_and_may_not_copy_another_rule(
    county: County, departments: dict[str, Any]
) -> None:
    first = responsibility.create_rule(values=good(), actor=county.admin)
    second = responsibility.create_rule(values=good(department="SAFE"), actor=county.admin)
    with pytest.raises(Conflict):
        responsibility.update_rule(rule=second, values=good(), actor=county.division_staff)
    with pytest.raises(InvalidInput):
        responsibility.update_rule(rule=second, values=good(max_value="10"), actor=county.admin)
    second.refresh_from_db()
    assert (second.department.code, second.max_value) == ("SAFE", None)
    responsibility.update_rule(
        rule=first, values=good(min_value="1200"), actor=county.division_staff
    )
    event = audit.history(first).first()
    assert event is not None and event.changes == {"min_value": ["1000.00", "1200.00"]}
    assert event.actor == county.division_staff


def test_a_rule_is_deleted_with_a_reason(county: County, departments: dict[str, Any]) -> None:
    rule = responsibility.create_rule(values=good(), actor=county.admin)
    with pytest.raises(InvalidInput) as refused:
        responsibility.delete_rule(rule=rule, reason=" ", actor=county.admin)
    assert refused.value.errors[0].message == "请填写删除理由"
    responsibility.delete_rule(rule=rule, reason="职责调整，移交街道", actor=county.admin)
    assert not ResponsibilityRule.objects.exists()
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).get()
    assert event.reason == "职责调整，移交街道"


@pytest.mark.parametrize("who", ["leader", "east_director", "east_officer"])
def test_only_administrators_and_division_staff_edit_the_table(
    county: County, departments: dict[str, Any], who: str
) -> None:
    with pytest.raises(NotPermitted):
        responsibility.create_rule(values=good(), actor=getattr(county, who))
    with pytest.raises(NotPermitted):
        responsibility.create_department(code="X", name="X", actor=getattr(county, who))


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "", "name": "卫健委"}, "code", "请填写部门代码"),
        ({"code": "COM", "name": "商务局"}, "code", "部门代码已存在：COM"),
        ({"code": "HEALTH", "name": " "}, "name", "请填写部门名称"),
        ({"code": "K", "name": "某科", "unit_code": "NOPE"}, "unit", "未知的单位代码：NOPE"),
        ({"code": "K", "name": "某科", "unit_code": "D1"}, "unit", "该单位已登记为部门：D1"),
    ],
)
def test_a_bad_department_is_refused(
    county: County, departments: dict[str, Any], values: dict[str, str], field: str, message: str
) -> None:
    Department.objects.create(
        code="CREDIT", name="信用监管科", bureau=county.bureau, unit=county.division
    )
    with pytest.raises(InvalidInput) as refused:
        responsibility.create_department(**values, actor=county.admin)
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    assert Department.objects.count() == 3


def test_departments_inside_and_outside_the_bureau(county: County) -> None:
    inside = responsibility.create_department(
        code="S-E", name="城东所", unit_code="S-E", actor=county.division_staff
    )
    outside = responsibility.create_department(code="HEALTH", name="卫健委", actor=county.admin)
    assert (inside.internal, outside.internal) == (True, False)
    assert inside.bureau == outside.bureau == county.bureau


def test_an_outside_department_needs_a_bureau_to_list_it(county: County) -> None:
    UnitFactory(code="B2", name="邻县市场监督管理局", kind=Unit.Kind.BUREAU)
    root = Officer.objects.create_superuser(username="root", password="x")
    with pytest.raises(InvalidInput) as refused:
        responsibility.create_department(code="HEALTH", name="卫健委", actor=root)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("unit", "无法确定所属局：请由所属局的人员登记")
    ]
    made = responsibility.create_department(code="S-W", name="城西所", unit_code="S-W", actor=root)
    assert made.bureau == county.bureau


# ---------------------------------------------------------------- measures


def test_measures_are_validated_scoped_and_traced(county: County) -> None:
    east = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    measure = responsibility.set_measure(
        entity=east, floor_area_m2="320.5", employees="6", actor=county.east_director
    )
    assert (measure.floor_area_m2, measure.employees) == (320.5, 6)
    assert audit.history(measure).count() == 1
    responsibility.set_measure(entity=east, floor_area_m2="", employees=7, actor=county.admin)
    measure.refresh_from_db()
    assert (measure.floor_area_m2, measure.employees) == (None, 7)
    with pytest.raises(NotPermitted):
        responsibility.set_measure(
            entity=east, floor_area_m2="1", employees="1", actor=county.west_director
        )
    for area, people, field, message in [
        ("-1", "1", "floor_area_m2", "面积不能为负数：-1"),
        ("abc", "1", "floor_area_m2", "不是有效的数字：abc"),
        ("1", "2.5", "employees", "最多保留 0 位小数：2.5"),
        ("1", "-2", "employees", "人数不能为负数：-2"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            responsibility.set_measure(
                entity=east, floor_area_m2=area, employees=people, actor=county.admin
            )
        assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    measure.refresh_from_db()
    assert (measure.floor_area_m2, measure.employees) == (None, 7)


def test_measure_api_is_scoped(county: County) -> None:
    east = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    path = f"/api/v1/coverage/measures/{east.uscc}"
    body = json.dumps({"floor_area_m2": 1200, "employees": 30})
    west = client_for(county.west_director)
    assert west.get(path).status_code == 404
    assert west.put(path, body, content_type="application/json").status_code == 404
    director = client_for(county.east_director)
    assert director.get(path).json() == {"floor_area_m2": None, "employees": None}
    saved = director.put(path, body, content_type="application/json")
    assert saved.status_code == 200 and saved.json() == {"floor_area_m2": 1200.0, "employees": 30}
    refused = director.put(path, json.dumps({"floor_area_m2": -3}), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "floor_area_m2", "message": "面积不能为负数：-3"}]
    assert EntityMeasure.objects.get(entity=east).floor_area_m2 == 1200.0


# ---------------------------------------------------------------- API


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_rule_api_creates_lists_changes_and_deletes(
    county: County, departments: dict[str, Any]
) -> None:
    client = client_for(county.division_staff)
    created = post(client, "/api/v1/coverage/rules", good(min_value=1000, max_value=None))
    assert created.status_code == 201
    rule_id = created.json()["id"]
    assert created.json()["department_name"] == "商务局"
    listed = client_for(county.east_officer).get("/api/v1/coverage/rules").json()
    assert [(r["id"], r["industry_prefix"], r["min_value"]) for r in listed] == [
        (rule_id, "F521", "1000.00")
    ]
    changed = client.put(
        f"/api/v1/coverage/rules/{rule_id}",
        json.dumps(good(max_value=5000)),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["max_value"] == "5000.00"
    refused = client.delete(f"/api/v1/coverage/rules/{rule_id}")
    assert refused.status_code == 422
    deleted = client.delete(f"/api/v1/coverage/rules/{rule_id}?reason=职责调整")
    assert deleted.status_code == 204 and not ResponsibilityRule.objects.exists()
    assert client.get(f"/api/v1/coverage/rules/{rule_id}").status_code == 404


@pytest.mark.parametrize(("change", "field", "message"), BAD_RULES)
def test_rule_api_refuses_bad_rows(
    county: County, departments: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    refused = post(client_for(county.admin), "/api/v1/coverage/rules", good(**change))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": field, "message": message}]
    assert ResponsibilityRule.objects.count() == 0


def test_rule_api_duplicate_and_permission(county: County, departments: dict[str, Any]) -> None:
    client = client_for(county.admin)
    assert post(client, "/api/v1/coverage/rules", good()).status_code == 201
    duplicate = post(client, "/api/v1/coverage/rules", good())
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "rule"
    forbidden = post(client_for(county.leader), "/api/v1/coverage/rules", good(min_value="5"))
    assert forbidden.status_code == 403
    assert ResponsibilityRule.objects.count() == 1


def test_department_api(county: County) -> None:
    client = client_for(county.admin)
    made = post(client, "/api/v1/coverage/departments", {"code": "COM", "name": "商务局"})
    assert made.status_code == 201 and made.json() == {
        "code": "COM",
        "name": "商务局",
        "bureau": "B",
        "unit": None,
        "internal": False,
    }
    again = post(client, "/api/v1/coverage/departments", {"code": "COM", "name": "商务局"})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "code", "message": "部门代码已存在：COM"}]
    listed = client_for(county.east_officer).get("/api/v1/coverage/departments").json()
    assert [d["code"] for d in listed] == ["COM"]


# ---------------------------------------------------------------- pages


def form(**changes: Any) -> dict[str, Any]:
    return {"form": "rule", **good(**changes)}


def test_rule_page_adds_edits_and_deletes(county: County, departments: dict[str, Any]) -> None:
    client = client_for(county.division_staff)
    page = client.get("/coverage/rules/").content.decode()
    assert 'data-testid="rule-form"' in page
    added = client.post("/coverage/rules/", form())
    assert added.status_code == 302 and added["Location"] == "/coverage/rules/"
    rule = ResponsibilityRule.objects.get()
    edited = client.post(f"/coverage/rules/{rule.pk}/", good(max_value="3000"))
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert rule.max_value == Decimal("3000.00")
    history = client.get(f"/coverage/rules/{rule.pk}/").content.decode()
    assert 'data-testid="history"' in history
    deleted = client.post(f"/coverage/rules/{rule.pk}/delete/", {"reason": "并入街道职责"})
    assert deleted.status_code == 302 and not ResponsibilityRule.objects.exists()


@pytest.mark.parametrize(("change", "field", "message"), BAD_RULES)
def test_rule_page_shows_the_error_beside_its_field(
    county: County, departments: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    response = client_for(county.admin).post("/coverage/rules/", form(**change))
    assert response.status_code == 400
    assert f'data-testid="error-{field}">{message}</div>' in response.content.decode()
    assert ResponsibilityRule.objects.count() == 0


def test_rule_page_duplicate_and_department_errors(
    county: County, departments: dict[str, Any]
) -> None:
    client = client_for(county.admin)
    client.post("/coverage/rules/", form())
    duplicate = client.post("/coverage/rules/", form()).content.decode()
    assert 'data-testid="error-rule">已有相同的职责规则' in duplicate
    bad = client.post("/coverage/rules/", {"form": "department", "code": "COM", "name": "商务局"})
    assert bad.status_code == 400
    assert 'data-testid="error-code">部门代码已存在：COM</div>' in bad.content.decode()
    made = client.post(
        "/coverage/rules/", {"form": "department", "code": "S-W", "name": "城西所", "unit": "S-W"}
    )
    assert made.status_code == 302 and Department.objects.get(code="S-W").unit == county.west


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/coverage/rules/"),
        ("get", "/coverage/rules/{pk}/"),
        ("post", "/coverage/rules/{pk}/"),
        ("post", "/coverage/rules/{pk}/delete/"),
    ],
)
def test_rule_pages_refuse_other_roles(
    county: County, departments: dict[str, Any], method: str, path: str
) -> None:
    rule = responsibility.create_rule(values=good(), actor=county.admin)
    call: Callable[..., Any] = getattr(client_for(county.leader), method)
    response = call(path.format(pk=rule.pk), form(min_value="1"))
    assert response.status_code == 403
    assert ResponsibilityRule.objects.count() == 1
    read = client_for(county.east_officer).get("/coverage/rules/").content.decode()
    assert 'data-testid="rules"' in read and 'data-testid="rule-form"' not in read
