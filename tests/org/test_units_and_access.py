"""The unit tree (materialised paths) and who sees which units' records."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.conftest import County, client_for
from tests.org.factories import REGION, OfficerFactory, UnitFactory
from xiaoneng.core import scoping
from xiaoneng.core.audit import history
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.org import access, services
from xiaoneng.org.models import Grid, Officer, Role, Unit


def tree() -> list[tuple[str, str, int]]:
    """Every unit as (code, path written with codes, depth)."""
    codes = dict(Unit.objects.values_list("pk", "code"))
    return [
        (u.code, "/".join(codes[int(p)] for p in u.path.strip("/").split("/")), u.depth)
        for u in Unit.objects.order_by("code")
    ]


@pytest.fixture
def nested(db) -> dict[str, Unit]:  # type: ignore[no-untyped-def]
    """City bureau C → county bureaus K1, K2; K1 → district bureau K1a → station S; K2 → station T."""
    city = UnitFactory(code="C", name="市局", kind=Unit.Kind.BUREAU)
    k1 = UnitFactory(code="K1", name="一县局", kind=Unit.Kind.BUREAU, parent=city)
    k2 = UnitFactory(code="K2", name="二县局", kind=Unit.Kind.BUREAU, parent=city)
    k1a = UnitFactory(code="K1a", name="一县分局", kind=Unit.Kind.BUREAU, parent=k1)
    station = UnitFactory(code="S", name="一所", parent=k1a)
    other = UnitFactory(code="T", name="二所", parent=k2)
    return {u.code: u for u in (city, k1, k2, k1a, station, other)}


def test_create_unit_writes_materialised_paths_and_depths(nested: dict[str, Unit]) -> None:
    assert tree() == [
        ("C", "C", 0),
        ("K1", "C/K1", 1),
        ("K1a", "C/K1/K1a", 2),
        ("K2", "C/K2", 1),
        ("S", "C/K1/K1a/S", 3),
        ("T", "C/K2/T", 2),
    ]
    city = nested["C"]
    assert city.path == f"/{city.pk}/"
    assert nested["S"].path == Unit.objects.get(code="S").path


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": Unit.Kind.STATION, "parent": None}, "parent: 科室和所必须有上级单位"),
        ({"kind": Unit.Kind.DIVISION, "parent": None}, "parent: 科室和所必须有上级单位"),
        ({"kind": "team", "parent": None}, "kind: 未知的单位类型：team"),
        (
            {"kind": Unit.Kind.BUREAU, "parent": None, "region_code": "65400"},
            "region_code: 行政区划代码应为 6 位数字：65400",
        ),
    ],
)
def test_create_unit_refuses_invalid_values(db, values: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    arguments = {"code": "X", "name": "某单位", "region_code": REGION} | values
    with pytest.raises(InvalidInput) as raised:
        services.create_unit(**arguments)
    assert raised.value.message == message
    assert Unit.objects.count() == 0


def test_create_unit_refuses_a_parent_that_is_not_a_bureau(county: County) -> None:
    count = Unit.objects.count()
    with pytest.raises(InvalidInput) as raised:
        services.create_unit(
            code="X", name="某所", kind="station", parent=county.east, region_code=REGION
        )
    assert raised.value.message == "parent: 上级单位必须是局"
    assert Unit.objects.count() == count


def test_create_unit_refuses_an_existing_code(county: County) -> None:
    count = Unit.objects.count()
    with pytest.raises(Conflict) as raised:
        services.create_unit(
            code="S-E", name="另一所", kind="station", parent=county.bureau, region_code=REGION
        )
    assert raised.value.message == "单位代码已存在：S-E"
    assert Unit.objects.count() == count


def test_subtree_is_one_query(nested: dict[str, Unit], django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        codes = sorted(u.code for u in Unit.objects.subtree(nested["K1"]))
    assert codes == ["K1", "K1a", "S"]


def test_subtree_does_not_include_a_sibling_whose_id_starts_with_the_same_digits(db) -> None:  # type: ignore[no-untyped-def]
    """Paths end with "/", so the subtree of unit 2 never picks up unit 20."""

    def unit(pk: int, path: str, kind: str = Unit.Kind.BUREAU) -> Unit:
        depth = path.count("/") - 2
        return Unit.objects.create(
            pk=pk,
            code=f"U{pk}",
            name=f"单位{pk}",
            kind=kind,
            path=path,
            depth=depth,
            region_code=REGION,
        )

    unit(1, "/1/")
    second = unit(2, "/1/2/")
    unit(20, "/1/20/")
    unit(3, "/1/2/3/", Unit.Kind.STATION)
    assert sorted(u.pk for u in Unit.objects.subtree(second)) == [2, 3]


def test_subtree_q_filters_records_by_the_unit_they_belong_to(nested: dict[str, Unit]) -> None:
    OfficerFactory(username="in_s", unit=nested["S"])
    OfficerFactory(username="in_t", unit=nested["T"])
    inside = Officer.objects.filter(Unit.objects.subtree_q(nested["K1"], field="unit"))
    assert [o.username for o in inside] == ["in_s"]


def test_subtree_ids_are_none_for_the_whole_organisation_only(nested: dict[str, Unit]) -> None:
    assert Unit.objects.subtree_ids(nested["C"]) is None
    ids = Unit.objects.subtree_ids(nested["K1"])
    assert ids is not None
    assert sorted(ids) == sorted(nested[c].pk for c in ("K1", "K1a", "S"))
    UnitFactory(code="D", name="另一市局", kind=Unit.Kind.BUREAU)  # a second root
    assert Unit.objects.subtree_ids(nested["C"]) is not None


def test_move_unit_rewrites_the_paths_and_depths_of_its_subtree(nested: dict[str, Unit]) -> None:
    moved = services.move_unit(unit=nested["K1a"], parent=nested["K2"])

    assert moved.parent == nested["K2"]
    assert tree() == [
        ("C", "C", 0),
        ("K1", "C/K1", 1),
        ("K1a", "C/K2/K1a", 2),
        ("K2", "C/K2", 1),
        ("S", "C/K2/K1a/S", 3),
        ("T", "C/K2/T", 2),
    ]


def test_move_unit_up_the_tree_reduces_depths(nested: dict[str, Unit]) -> None:
    services.move_unit(unit=nested["K1a"], parent=nested["C"])
    assert ("S", "C/K1a/S", 2) in tree()
    assert ("K1a", "C/K1a", 1) in tree()
    assert sorted(u.code for u in Unit.objects.subtree(Unit.objects.get(code="K1"))) == ["K1"]


def test_move_unit_records_the_parent_change_in_the_trace(nested: dict[str, Unit]) -> None:
    services.move_unit(unit=nested["K1a"], parent=nested["K2"])
    assert history(nested["K1a"]).first().changes == {  # type: ignore[union-attr]
        "parent": [nested["K1"].pk, nested["K2"].pk]
    }


@pytest.mark.parametrize("target", ["K1", "K1a"])
def test_move_unit_refuses_a_parent_inside_its_own_subtree(
    nested: dict[str, Unit], target: str
) -> None:
    before = tree()
    with pytest.raises(InvalidInput) as raised:
        services.move_unit(unit=nested["K1"], parent=nested[target])
    assert raised.value.message == "parent: 不能把单位移到它自己的下级之下"
    assert tree() == before


def test_move_unit_refuses_a_station_as_parent(nested: dict[str, Unit]) -> None:
    before = tree()
    with pytest.raises(InvalidInput) as raised:
        services.move_unit(unit=nested["K1a"], parent=nested["T"])
    assert raised.value.message == "parent: 上级单位必须是局"
    assert tree() == before


# Who sees what -----------------------------------------------------------------------------


def ids(*units: Unit) -> list[int]:
    return sorted(u.pk for u in units)


def test_an_administrator_sees_every_unit(county: County) -> None:
    assert county.admin.visible_unit_ids() is None


def test_a_bureau_leader_of_the_only_bureau_sees_everything_unfiltered(county: County) -> None:
    # The whole organisation: no unit filter at all (None), so list queries stay index-only.
    assert county.leader.visible_unit_ids() is None


def test_division_staff_of_the_only_bureau_see_everything_unfiltered(county: County) -> None:
    assert county.division_staff.visible_unit_ids() is None


def test_a_bureau_leader_sees_only_their_bureau_when_there_are_several(county: County) -> None:
    c = county
    UnitFactory(code="B2", name="邻县局", kind=Unit.Kind.BUREAU)
    leader = OfficerFactory(unit=c.bureau, roles=[Role.BUREAU_LEADER])
    assert sorted(leader.visible_unit_ids() or []) == ids(c.bureau, c.division, c.east, c.west)


@pytest.mark.parametrize("who", ["east_director", "east_officer"])
def test_station_people_see_only_their_station(county: County, who: str) -> None:
    assert getattr(county, who).visible_unit_ids() == [county.east.pk]


def test_division_staff_of_a_sub_bureau_see_that_sub_bureau_only(nested: dict[str, Unit]) -> None:
    division = UnitFactory(
        code="K1a-D", name="分局科室", kind=Unit.Kind.DIVISION, parent=nested["K1a"]
    )
    staff = OfficerFactory(unit=division, roles=[Role.DIVISION_STAFF])
    assert sorted(staff.visible_unit_ids() or []) == ids(nested["K1a"], nested["S"], division)


def test_an_officer_without_unit_or_admin_role_sees_nothing(db) -> None:  # type: ignore[no-untyped-def]
    nobody = OfficerFactory(unit=None, roles=[], certificate_number=None)
    assert nobody.visible_unit_ids() == []
    assert scoping.visible_unit_ids(AnonymousUser()) == []


def test_a_superuser_sees_every_unit(db) -> None:  # type: ignore[no-untyped-def]
    root = Officer.objects.create_superuser("root", password="root root 1")
    assert root.visible_unit_ids() is None


def test_scoped_lists_only_the_officers_of_visible_units(county: County) -> None:
    visible = scoping.scoped(Officer.objects.all(), county.east_director)
    assert sorted(o.username for o in visible) == ["east_director", "east_officer"]
    assert scoping.scoped(Officer.objects.all(), county.admin).count() == Officer.objects.count()
    assert scoping.scoped(Officer.objects.all(), AnonymousUser()).count() == 0


def test_scoped_follows_the_models_path_to_its_unit(county: County) -> None:
    assert [g.code for g in scoping.scoped(Grid.objects.all(), county.west_officer)] == ["G-W"]
    assert [g.code for g in scoping.scoped(Grid.objects.all(), county.leader)] == ["G-E", "G-W"]


def test_get_scoped_returns_a_record_of_ones_own_unit(county: County) -> None:
    found = scoping.get_scoped(Officer.objects.all(), county.east_director, username="east_officer")
    assert found == county.east_officer


def test_get_scoped_answers_404_for_another_units_record(county: County) -> None:
    with pytest.raises(Http404):
        scoping.get_scoped(Officer.objects.all(), county.east_director, username="west_officer")
    with pytest.raises(Http404):
        scoping.get_scoped(Grid.objects.all(), county.east_officer, code="G-W")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/officers/east_officer", 200),
        ("/api/v1/officers/west_officer", 404),
        ("/api/v1/grids/G-W", 404),
        ("/api/v1/units/S-W", 404),
        ("/officers/west_officer/", 404),
        ("/grids/G-W/", 404),
        ("/units/S-W/", 404),
        ("/units/S-E/", 200),
    ],
)
def test_another_stations_records_answer_404_like_missing_ones(
    county: County, path: str, status: int
) -> None:
    assert client_for(county.east_director).get(path).status_code == status


def test_api_unit_list_is_scoped(county: County) -> None:
    response = client_for(county.west_officer).get("/api/v1/units")
    assert [u["code"] for u in response.json()] == ["S-W"]


def test_in_scope_and_require_unit(county: County) -> None:
    assert scoping.in_scope(county.east_officer, county.east.pk)
    assert not scoping.in_scope(county.east_officer, county.west.pk)
    assert scoping.in_scope(county.admin, None)
    with pytest.raises(NotPermitted) as raised:
        access.require_unit(county.east_officer, county.west.pk)
    assert raised.value.message == "该记录不属于您所在单位的辖区。"


@pytest.mark.parametrize(
    ("who", "capabilities"),
    [
        (
            "admin",
            {
                "manage_organisation",
                "manage_document_wording",
                "manage_calendar",
                "edit_register",
                "manage_policy",
                "run_draws",
                "edit_responsibility",
                "manage_targets",
                "manage_checklists",
                "manage_service_items",
                "manage_keywords",
                "manage_risk_model",
                "manage_training",
                "manage_quotas",
                "manage_assessment",
            },
        ),
        (
            "leader",
            {
                "edit_register",
                "plan_patrol",
                "manage_campaigns",
                "supervise",
                "manage_targets",
                "view_oversight",
                "decide_accountability",
                "manage_risk_model",
                "manage_training",
                "manage_assessment",
            },
        ),
        (
            "division_staff",
            {
                "edit_register",
                "run_draws",
                "edit_responsibility",
                "plan_patrol",
                "manage_campaigns",
                "inspect",
                "review_inspections",
                "supervise",
                "handle_cases",
                "manage_checklists",
                "manage_sampling",
                "view_oversight",
                "handle_services",
                "manage_service_items",
                "handle_warnings",
                "run_callbacks",
                "decide_accountability",
                "manage_keywords",
                "supervise_ads",
                "monitor_online",
                "manage_risk_model",
                "manage_training",
                "record_ledger",
                "manage_quotas",
                "manage_assessment",
            },
        ),
        (
            "east_director",
            {
                "edit_register",
                "claim_entity",
                "plan_patrol",
                "inspect",
                "review_inspections",
                "handle_cases",
                "view_oversight",
                "handle_services",
                "handle_warnings",
                "run_callbacks",
                "supervise_ads",
                "monitor_online",
                "manage_training",
                "record_ledger",
            },
        ),
        (
            "east_officer",
            {
                "claim_entity",
                "inspect",
                "handle_cases",
                "handle_services",
                "handle_warnings",
                "supervise_ads",
            },
        ),
    ],
)
def test_capabilities_by_role(county: County, who: str, capabilities: set[str]) -> None:
    officer = getattr(county, who)
    assert {c for c in access.CAPABILITIES if access.can(officer, c)} == capabilities


def test_require_refuses_a_missing_capability_with_a_message(county: County) -> None:
    with pytest.raises(NotPermitted) as raised:
        access.require(county.east_officer, access.MANAGE_ORGANISATION)
    assert raised.value.message == "您的角色无权执行此操作。"
    access.require(county.admin, access.MANAGE_ORGANISATION)


def test_a_station_page_links_its_bureau_only_for_those_who_may_open_it(county: County) -> None:
    station_view = client_for(county.east_director).get("/units/S-E/").content.decode()
    assert "示范县市场监督管理局" in station_view
    assert 'href="/units/B/"' not in station_view
    assert client_for(county.east_director).get("/units/B/").status_code == 404
    leader_view = client_for(county.leader).get("/units/S-E/").content.decode()
    assert 'href="/units/B/"' in leader_view
