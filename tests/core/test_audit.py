"""The trace (痕迹): every create, change and delete of a traced record, with who and how."""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from tests.conftest import County, client_for
from tests.org.factories import REGION, UnitFactory
from xiaoneng.core import audit
from xiaoneng.core.audit import acting_as, history, record_many
from xiaoneng.core.history import readable
from xiaoneng.core.models import AuditEvent
from xiaoneng.org import services
from xiaoneng.org.models import Officer, Role, Unit


def events(instance: object) -> list[AuditEvent]:
    return list(history(instance))  # type: ignore[arg-type]


def test_create_is_recorded_with_actor_source_and_each_non_empty_value(county: County) -> None:
    with acting_as(county.admin, source=AuditEvent.Source.CLI):
        unit = services.create_unit(
            code="S-N",
            name="城北所",
            kind=Unit.Kind.STATION,
            parent=county.bureau,
            region_code=REGION,
        )

    [event] = events(unit)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == county.admin
    assert event.actor_name == county.admin.name
    assert event.source == AuditEvent.Source.CLI
    assert event.object_repr == "城北所"
    assert event.changes == {
        "code": [None, "S-N"],
        "name": [None, "城北所"],
        "kind": [None, "station"],
        "parent": [None, county.bureau.pk],
        "region_code": [None, REGION],
    }


def test_update_records_only_the_changed_fields_as_old_and_new(county: County) -> None:
    unit = county.east
    unit.name, unit.phone = "城东市场监管所", "0999-8000000"
    with acting_as(county.leader):
        unit.save()

    latest = events(unit)[0]
    assert latest.action == AuditEvent.Action.UPDATE
    assert latest.actor == county.leader
    assert latest.changes == {"name": ["城东所", "城东市场监管所"], "phone": ["", "0999-8000000"]}


def test_delete_is_recorded_with_actor_and_source(db) -> None:  # type: ignore[no-untyped-def]
    bureau = UnitFactory(code="B9", name="另一局", kind=Unit.Kind.BUREAU)
    pk = bureau.pk
    with acting_as(None, source=AuditEvent.Source.SYSTEM):
        bureau.delete()

    event = AuditEvent.objects.filter(object_id=str(pk), action=AuditEvent.Action.DELETE).get()
    assert (event.actor, event.source, event.object_repr) == (
        None,
        AuditEvent.Source.SYSTEM,
        "另一局",
    )


def test_delete_records_the_values_that_were_lost(db) -> None:  # type: ignore[no-untyped-def]
    bureau = UnitFactory(code="B9", name="另一局", kind=Unit.Kind.BUREAU)
    pk = bureau.pk
    bureau.delete()

    event = AuditEvent.objects.filter(object_id=str(pk), action=AuditEvent.Action.DELETE).get()
    assert event.changes == {
        "code": ["B9", None],
        "name": ["另一局", None],
        "kind": ["bureau", None],
        "region_code": [REGION, None],
    }


def test_saving_without_a_change_records_no_event(county: County) -> None:
    before = AuditEvent.objects.count()
    county.east.save()
    county.east_officer.save()
    Unit.objects.get(pk=county.west.pk).save()
    assert AuditEvent.objects.count() == before


def test_changes_outside_any_context_are_attributed_to_the_system(county: County) -> None:
    county.west.name = "城西市场监管所"
    county.west.save()
    latest = events(county.west)[0]
    assert (latest.source, latest.actor, latest.actor_name) == (AuditEvent.Source.SYSTEM, None, "")


def test_acting_as_attribution_ends_with_its_block(county: County) -> None:
    with acting_as(county.admin, source=AuditEvent.Source.CLI):
        county.east.name = "甲"
        county.east.save()
    county.east.name = "乙"
    county.east.save()

    second, first = events(county.east)[:2]
    assert (first.actor, first.source) == (county.admin, AuditEvent.Source.CLI)
    assert (second.actor, second.source) == (None, AuditEvent.Source.SYSTEM)


def test_a_web_request_attributes_changes_to_the_logged_in_user(county: County) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        county.east.name = "网页改名"
        county.east.save()
        return HttpResponse("ok")

    urls = type("urls", (), {"urlpatterns": [path("trace-probe/", view)]})
    with override_settings(ROOT_URLCONF=urls):
        response = client_for(county.east_director).get("/trace-probe/")

    assert response.status_code == 200
    latest = events(county.east)[0]
    assert (latest.actor, latest.source) == (county.east_director, AuditEvent.Source.WEB)
    assert latest.changes == {"name": ["城东所", "网页改名"]}


def test_password_change_is_recorded_masked_never_the_hash(county: County) -> None:
    officer = county.east_officer
    officer.set_password("another horse 2")
    officer.save()
    stored_hash = Officer.objects.get(pk=officer.pk).password

    latest = events(officer)[0]
    assert latest.changes == {"password": ["******", "******"]}
    trace = json.dumps([e.changes for e in events(officer)], ensure_ascii=False)
    assert stored_hash not in trace
    assert "md5$" not in trace


def test_creating_an_officer_records_the_password_only_as_masked(county: County) -> None:
    officer = Officer.objects.get(username="east_officer")
    created = [e for e in events(officer) if e.action == AuditEvent.Action.CREATE]
    assert created[0].changes["password"] == ["******", "******"]
    assert officer.password not in json.dumps(created[0].changes)


def test_adding_a_role_records_the_role_codes_before_and_after(county: County) -> None:
    officer = county.east_officer
    with acting_as(county.admin):
        officer.roles.add(Role.STATION_DIRECTOR)

    latest = events(officer)[0]
    assert latest.action == AuditEvent.Action.UPDATE
    assert latest.actor == county.admin
    assert latest.changes == {
        "roles": [[Role.GRID_OFFICER], [Role.GRID_OFFICER, Role.STATION_DIRECTOR]]
    }


def test_removing_a_role_is_recorded_and_re_adding_a_held_role_is_not(county: County) -> None:
    officer = county.east_director
    count = AuditEvent.objects.count()
    officer.roles.add(Role.STATION_DIRECTOR)
    assert AuditEvent.objects.count() == count

    officer.roles.remove(Role.STATION_DIRECTOR)
    assert events(officer)[0].changes == {"roles": [[Role.STATION_DIRECTOR], []]}


def test_set_roles_leaves_a_trace_ending_in_the_new_roles(county: County) -> None:
    officer = county.west_officer
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0]
    services.set_roles(officer=officer, roles=[Role.STATION_DIRECTOR])

    role_events = [e.changes["roles"] for e in events(officer) if e.id > last_id]
    assert role_events[-1][0] == [Role.GRID_OFFICER]
    assert role_events[0][1] == [Role.STATION_DIRECTOR]


def test_record_many_writes_one_event_per_item_with_source_actor_and_one_time(
    county: County,
) -> None:
    before = AuditEvent.objects.count()
    with acting_as(county.admin):
        written = record_many(
            [
                (county.east, AuditEvent.Action.UPDATE, {"name": ["城东所", "甲"]}),
                (county.west, AuditEvent.Action.UPDATE, {"name": ["城西所", "乙"]}),
            ],
            reason="批量改名",
            source=AuditEvent.Source.IMPORT,
        )

    assert written == 2
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.object_id, e.changes) for e in new] == [
        (str(county.east.pk), {"name": ["城东所", "甲"]}),
        (str(county.west.pk), {"name": ["城西所", "乙"]}),
    ]
    assert {(e.actor_id, e.source, e.reason) for e in new} == {
        (county.admin.pk, AuditEvent.Source.IMPORT, "批量改名")
    }
    assert len({e.at for e in new}) == 1


def test_history_lists_the_events_of_one_record_newest_first(county: County) -> None:
    unit = county.east
    for name in ("甲所", "乙所"):
        unit.name = name
        unit.save()

    trace = events(unit)
    assert [e.action for e in trace] == ["update", "update", "create"]
    assert [e.changes.get("name") for e in trace] == [
        ["甲所", "乙所"],
        ["城东所", "甲所"],
        [None, "城东所"],
    ]
    assert all(e.object_id == str(unit.pk) for e in trace)


def test_set_reason_attaches_reason_and_action_to_the_next_save(county: County) -> None:
    unit = county.west
    audit.set_reason(unit, "机构调整", action=AuditEvent.Action.ARCHIVE)
    unit.save()
    latest = events(unit)[0]
    assert (latest.action, latest.reason, latest.changes) == ("archive", "机构调整", {})

    unit.name = "新名"
    unit.save()
    assert (events(unit)[0].action, events(unit)[0].reason) == ("update", "")


def test_readable_shows_field_labels_choice_labels_and_related_names(county: County) -> None:
    other = UnitFactory(code="B2", name="第二局", kind=Unit.Kind.BUREAU)
    unit = county.east
    unit.kind, unit.parent = Unit.Kind.DIVISION, other
    unit.save()

    [latest] = readable([events(unit)[0]], Unit)
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {"类型": ("所", "科室"), "上级单位": ("示范县市场监督管理局", "第二局")}


def test_readable_shows_role_names_and_yes_no(county: County) -> None:
    officer = county.east_officer
    officer.roles.add(Role.STATION_DIRECTOR)
    officer.is_active = False
    officer.save()

    inactive, roles = readable(events(officer)[:2], Officer)
    assert [(c.label, c.old, c.new) for c in inactive.changes] == [("有效", "是", "否")]
    assert [(c.label, c.old, c.new) for c in roles.changes] == [
        ("角色", "责任区干部", "责任区干部、所长")
    ]


@pytest.mark.parametrize("empty", [None, ""])
def test_readable_shows_an_empty_value_as_a_dash(county: County, empty: str | None) -> None:
    event = audit.record(county.east, action="update", changes={"phone": [empty, "123"]})
    [item] = readable([event], Unit)
    assert [(c.label, c.old, c.new) for c in item.changes] == [("电话", "—", "123")]
