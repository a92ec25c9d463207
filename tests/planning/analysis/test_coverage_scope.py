"""The responsibility table is the bureau's: read below it, never by another bureau."""

from __future__ import annotations

import json

from tests.conftest import County, client_for
from tests.org.factories import OfficerFactory, UnitFactory
from xiaoneng.org.models import Role, Unit
from xiaoneng.planning.analysis.models import Department, ResponsibilityRule


def make_rule(county: County) -> ResponsibilityRule:
    department = Department.objects.create(code="SWJ", name="商务局", bureau=county.bureau)
    return ResponsibilityRule.objects.create(
        department=department,
        matter="work_safety",
        industry_prefix="F521",
        measure="floor_area",
        min_value=1000,
    )


def test_a_station_reads_its_bureaus_table_and_another_bureau_does_not(county: County) -> None:
    rule = make_rule(county)
    other = UnitFactory(code="B2", name="邻县局", kind=Unit.Kind.BUREAU)
    stranger = OfficerFactory(
        username="stranger",
        unit=other,
        roles=[Role.BUREAU_LEADER],
    )
    assert [
        r["id"] for r in client_for(county.east_director).get("/api/v1/coverage/rules").json()
    ] == [rule.pk]
    assert client_for(stranger).get("/api/v1/coverage/rules").json() == []
    assert client_for(stranger).get("/api/v1/coverage/departments").json() == []
    assert client_for(stranger).get(f"/api/v1/coverage/rules/{rule.pk}").status_code == 404
    assert client_for(stranger).get(f"/coverage/rules/{rule.pk}/").status_code == 404


def test_another_bureaus_division_cannot_change_the_table(county: County) -> None:
    rule = make_rule(county)
    other = UnitFactory(code="B2", name="邻县局", kind=Unit.Kind.BUREAU)
    division = UnitFactory(code="B2-D", name="邻县科室", kind=Unit.Kind.DIVISION, parent=other)
    staff = OfficerFactory(username="other_division", unit=division, roles=[Role.DIVISION_STAFF])
    response = client_for(staff).delete(
        f"/api/v1/coverage/rules/{rule.pk}?reason=越权", content_type="application/json"
    )
    assert response.status_code == 404
    assert ResponsibilityRule.objects.filter(pk=rule.pk).exists()
    body = {
        "department": "SWJ",
        "matter": "work_safety",
        "industry_prefix": "H62",
        "measure": "floor_area",
    }
    refused = client_for(staff).post(
        "/api/v1/coverage/rules", data=json.dumps(body), content_type="application/json"
    )
    assert refused.status_code in (403, 422)
    assert ResponsibilityRule.objects.count() == 1
