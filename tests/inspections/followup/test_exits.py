"""Exit supervision (退出督查): a deregistered or revoked entity found operating."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    inspected,
)
from tests.planning.patrol.test_schedule import done_task
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.followup.exits import (
    close_exit_check,
    exited_entities,
    report_exit_operating,
)
from xiaoneng.inspections.models import ExitCheck
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import CreditProposal, Entity

D = dt.date
TODAY = D(2026, 10, 9)


def deregistered(county: County, status: str = Entity.Status.DEREGISTERED) -> Entity:
    return east_entity(county, name="已注销小吃店", status=status)


def test_signed_inspection_of_a_deregistered_entity_found_operating_opens_a_check(
    county: County,
) -> None:
    entity = deregistered(county)
    inspection = inspected(
        county, entity, results=("pass",), severities=("minor",), summary="仍在营业，招牌未撤"
    )
    check = ExitCheck.objects.get()
    assert (check.entity, check.unit, check.inspection) == (entity, county.east, inspection)
    assert (check.found_on, check.found_by) == (inspection.visited_on, county.east_officer)
    assert (check.status, check.circumstances) == ("open", "仍在营业，招牌未撤")
    proposal = CreditProposal.objects.get()
    assert (proposal.trigger, proposal.proposed_grade, proposal.status) == (
        "exit_operating",
        "D",
        "pending",
    )
    assert proposal.source == f"检查记录 #{inspection.pk}：注销后仍在经营"
    assert proposal.source_url == f"/exits/{check.pk}/"


def test_revoked_entity_found_operating_opens_one_check_only(county: County) -> None:
    entity = deregistered(county, Entity.Status.REVOKED)
    inspected(county, entity, results=("pass",), severities=("minor",))
    inspected(county, entity, results=("pass",), severities=("minor",))
    assert ExitCheck.objects.count() == 1
    assert CreditProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "operating"),
    [(Entity.Status.DEREGISTERED, False), (Entity.Status.OPERATING, True)],
)
def test_no_check_unless_deregistered_and_operating(
    county: County, status: str, operating: bool
) -> None:
    entity = east_entity(county, status=status)
    inspected(county, entity, results=("pass",), severities=("minor",), entity_operating=operating)
    assert not ExitCheck.objects.exists()


def test_check_reported_without_an_inspection(county: County) -> None:
    entity = deregistered(county)
    check = report_exit_operating(
        entity=entity,
        actor=county.east_officer,
        circumstances="群众举报仍在营业",
        found_on=D(2026, 10, 8),
        today=TODAY,
    )
    assert (check.inspection, check.found_by, check.unit) == (
        None,
        county.east_officer,
        county.east,
    )
    assert CreditProposal.objects.get().trigger == "exit_operating"


@pytest.mark.parametrize(
    ("status", "circumstances", "found_on", "errors"),
    [
        (
            Entity.Status.OPERATING,
            "仍在营业",
            D(2026, 10, 8),
            [("entity", "已注销小吃店 的登记状态为“存续（在营）”，不属于退出督查对象")],
        ),
        (Entity.Status.DEREGISTERED, " ", D(2026, 10, 8), [("circumstances", "请填写经营情况")]),
        (
            Entity.Status.DEREGISTERED,
            "仍在营业",
            D(2026, 10, 10),
            [("found_on", "发现日期不能晚于今天：2026-10-10")],
        ),
        (
            Entity.Status.DEREGISTERED,
            "仍在营业",
            None,
            [("found_on", "请填写发现日期（YYYY-MM-DD）")],
        ),
    ],
)
def test_bad_report_is_refused_and_nothing_written(
    county: County,
    status: str,
    circumstances: str,
    found_on: D | None,
    errors: list[tuple[str, str]],
) -> None:
    entity = deregistered(county, status)
    with pytest.raises(InvalidInput) as refused:
        report_exit_operating(
            entity=entity,
            actor=county.east_officer,
            circumstances=circumstances,
            found_on=found_on,
            today=TODAY,
        )
    assert [(e.field, e.message) for e in refused.value.errors] == errors
    assert not ExitCheck.objects.exists() and not CreditProposal.objects.exists()


def test_second_open_check_is_refused(county: County) -> None:
    entity = deregistered(county)
    values = {"entity": entity, "actor": county.east_officer, "found_on": TODAY, "today": TODAY}
    report_exit_operating(circumstances="仍在营业", **values)
    with pytest.raises(Conflict, match="已注销小吃店 已有待处置的退出督查（2026-10-09 发现）"):
        report_exit_operating(circumstances="又见营业", **values)


def test_another_station_may_not_report(county: County) -> None:
    with pytest.raises(NotPermitted):
        report_exit_operating(
            entity=deregistered(county),
            actor=county.west_officer,
            circumstances="仍在营业",
            found_on=TODAY,
            today=TODAY,
        )
    assert not ExitCheck.objects.exists()


def test_closing_a_check_records_the_outcome(county: County) -> None:
    check = report_exit_operating(
        entity=deregistered(county),
        actor=county.east_officer,
        circumstances="仍在营业",
        found_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(InvalidInput, match="outcome: 请填写处置结果"):
        close_exit_check(exit_check=check, actor=county.east_officer, outcome="")
    close_exit_check(
        exit_check=check, actor=county.east_director, outcome="已停止经营", today=D(2026, 10, 12)
    )
    check.refresh_from_db()
    assert (check.status, check.closed_on, check.outcome) == (
        "ceased",
        D(2026, 10, 12),
        "已停止经营",
    )
    with pytest.raises(Conflict):
        close_exit_check(exit_check=check, actor=county.east_director, outcome="再次")


def test_exited_entities_with_open_tasks_or_checks_are_listed(county: County) -> None:
    with_task = deregistered(county)
    plan = Plan.objects.create(
        kind=Plan.Kind.PATROL, period="2026-10", unit=county.east, title="巡查", capacity=6
    )
    Task.objects.create(
        plan=plan,
        entity=with_task,
        unit=county.east,
        period="2026-10",
        description="日常巡查",
        standard="亮照经营",
        responsibility="网格责任人",
        scheduled_on=D(2026, 10, 20),
    )
    with_check = east_entity(county, name="吊销仍营业", status=Entity.Status.REVOKED)
    report_exit_operating(
        entity=with_check,
        actor=county.east_officer,
        circumstances="仍在营业",
        found_on=TODAY,
        today=TODAY,
    )
    quiet = east_entity(county, name="已注销无任务", status=Entity.Status.DEREGISTERED)
    done_task(quiet, D(2026, 9, 1))
    lon, lat = county.west_point()
    make_entity(name="城西注销", status=Entity.Status.DEREGISTERED, longitude=lon, latitude=lat)
    listed = {e.name: (e.open_tasks, e.open_checks) for e in exited_entities(county.east_director)}
    assert listed == {"吊销仍营业": (0, 1), "已注销小吃店": (1, 0)}
    page = client_for(county.east_director).get("/exits/entities/")
    assert page.status_code == 200
    assert "吊销仍营业" in page.content.decode() and "城西注销" not in page.content.decode()
