"""Bad input to draws is refused with a message naming it, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.org.factories import OfficerFactory, UnitFactory
from tests.planning.draws.factories import AT, LATER, make_draw, populate, run
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import engine, snapshots
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws.models import (
    ConflictDeclaration,
    DrawPublication,
    DrawSelection,
    RandomDraw,
)


def _nothing_written() -> None:
    assert not RandomDraw.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="randomdraw").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ratios": "A=1.5"}, "ratio: 抽查比例应在 0 至 1 之间：A=1.5"),
        ({"ratios": "A=0.1,B=-0.1"}, "ratio: 抽查比例应在 0 至 1 之间：B=-0.1"),
        ({"ratios": "A=many"}, "ratio: 抽查比例应在 0 至 1 之间：A=many"),
        ({"ratios": "E=0.1"}, "ratio: 未知的信用等级：E"),
        ({"ratios": ""}, "ratio: 请填写各信用等级的抽查比例，如 A=0.05,B=0.15"),
        ({"team_size": 1}, "team_size: 每组检查人员至少 2 人：1"),
        ({"team_size": "two"}, "team_size: 每组检查人员至少 2 人：two"),
        ({"workload_cap": 0}, "workload_cap: 每人检查户数上限应为正整数：0"),
        ({"selection": "count", "count": 0}, "count: 抽取数量应为正整数：0"),
        (
            {"selection": "lottery"},
            "selection: 请选择抽取方式：按信用等级比例、按监管政策比例或按数量",
        ),
        ({"name": " "}, "name: 请填写抽查名称"),
        ({"item_codes": []}, "items: 请至少选择一项检查事项"),
        ({"item_codes": ["R02", "R99"]}, "items: 未知或已停用的检查事项：R99"),
        ({"population_filter": {"colour": "red"}}, "filter.colour: 未知的范围条件：colour"),
        ({"population_filter": {"grid": "G-E,G-X"}}, "filter.grid: 未知的网格编号：G-X"),
        ({"population_filter": {"credit_grade": "A,E"}}, "filter.credit_grade: 未知的信用等级：E"),
        ({"population_filter": {"risk_class": "IV"}}, "filter.risk_class: 未知的风险类别：IV"),
        (
            {"population_filter": {"region": "65400"}},
            "filter.region: 行政区划代码应为 6 位数字：65400",
        ),
        ({"population_filter": {"industry": "H99"}}, "filter.industry: 未知的行业代码前缀：H99"),
        ({"population_filter": {"licence": "gold"}}, "filter.licence: 未知的许可证种类：gold"),
        ({"population_filter": {"status": "asleep"}}, "filter.status: 未知的登记状态：asleep"),
        (
            {"population_filter": {"hot_industry": "maybe"}},
            "filter.hot_industry: 重热点行业标注应为 yes 或 no：maybe",
        ),
        ({"pool_units": []}, "pool: 请指定检查人员库的单位"),
        ({"inspections_end": None}, "inspections_end: 请填写检查截止日期（YYYY-MM-DD）"),
        (
            {"inspections_end": dt.date(2026, 3, 1)},
            "inspections_end: 检查截止日期不能早于今天：2026-03-01",
        ),
        ({"seed": "  "}, "seed: 种子不能为空白"),
        ({"seed": "x" * 201}, "seed: 种子最长 200 个字符"),
        ({"seed": "x", "commit": False}, "seed: 草稿不保存种子，请在锁定名单时提供"),
    ],
)
def test_malformed_or_out_of_range_values_are_refused_naming_the_field(
    county: County, change: dict[str, Any], message: str
) -> None:
    populate(county)
    with pytest.raises(InvalidInput) as refused:
        make_draw(county, **change)
    assert refused.value.message == message
    _nothing_written()


def _refused(county: County, **change: Any) -> str:
    with pytest.raises(DomainError) as refused:
        make_draw(county, **change)
    _nothing_written()
    return refused.value.message


def test_an_empty_population_is_refused(county: County) -> None:
    populate(county)
    message = _refused(county, population_filter={"credit_grade": "A", "status": "revoked"})
    assert message == "抽查对象为空：没有符合范围条件的市场主体"


def test_ratios_that_draw_nobody_are_refused(county: County) -> None:
    populate(county)
    assert _refused(county, ratios="A=0,B=0.01") == "按此抽取方式抽不到任何主体：各层应抽户数均为 0"


def test_a_count_above_the_population_is_refused(county: County) -> None:
    populate(county)
    message = _refused(county, selection="count", count=100, ratios=None)
    assert message == "抽取数量 100 超过抽查对象数 24"


def test_a_pool_without_certified_officers_is_refused(county: County) -> None:
    populate(county)
    empty = UnitFactory(code="S-N", name="城北所", parent=county.bureau)
    OfficerFactory(username="clerk", unit=empty, certificate_number=None)
    assert _refused(county, pool_units=[empty]) == "检查人员库中没有持证的在岗执法人员"


def test_a_pool_smaller_than_a_team_is_refused(county: County) -> None:
    populate(county)
    message = _refused(county, pool_units=[county.east], team_size=3)
    assert message == "检查人员库只有 2 名持证执法人员，不足每组 3 人"


def test_caps_too_low_for_the_draw_are_refused(county: County) -> None:
    populate(county)
    assert _refused(county, workload_cap=1) == (
        "工作量上限不足：需要 24 人次（12 户 × 每组 2 人），"
        "检查人员库 6 人 × 每人上限 1 户只有 6 人次"
    )


def test_a_draw_whose_own_grid_rule_leaves_no_team_is_refused_naming_the_entity(
    county: County,
) -> None:
    entities = populate(county, west=0)
    first = min(e.uscc for e in entities)  # whatever the seed: the first such entity by USCC
    message = _refused(county, pool_units=[county.east], ratios="A=1,B=1,C=1,D=1", seed="种子")
    assert message == (
        f"无法为 {first} 组成 2 人检查组：检查人员库 2 人中，负责其所在网格 1 人，"
        "声明回避 0 人，上次抽查检查过该主体 0 人，已达工作量上限 0 人"
    )


def test_caps_exhausted_during_the_run_are_refused_and_nothing_is_written(
    county: County,
) -> None:
    """12 places, 12 in total under the caps, but the east officer may not take his own grid."""
    entities = populate(county, east=6, west=0)
    draw = make_draw(
        county,
        pool_units=[county.east, county.west],
        ratios="A=1,B=1,C=1,D=1",
        workload_cap=3,
        seed="上限",
    )
    usccs = sorted(e.uscc for e in entities)
    fifth = usccs[int(engine.rank_order("上限", usccs)[4])]
    with pytest.raises(DomainError) as refused:
        run(draw, county, seed="上限")
    assert refused.value.message == (
        f"无法为 {fifth} 组成 2 人检查组：检查人员库 4 人中，负责其所在网格 1 人，"
        "声明回避 0 人，上次抽查检查过该主体 0 人，已达工作量上限 2 人"
    )
    _unchanged(draw, RandomDraw.Status.COMMITTED)


def test_a_draw_where_everyone_is_conflicted_is_refused(county: County) -> None:
    entities = populate(county, west=0)
    target = entities[3]
    for officer in (county.west_director, county.west_officer):
        draw_conflicts.declare_conflict(
            officer=officer, entity=target, reason="曾在该店任职", actor=None
        )
    message = _refused(county, pool_units=[county.west], ratios="A=1,B=1,C=1,D=1", seed="种子")
    assert message == (
        f"无法为 {target.uscc} 组成 2 人检查组：检查人员库 2 人中，负责其所在网格 0 人，"
        "声明回避 2 人，上次抽查检查过该主体 0 人，已达工作量上限 0 人"
    )


def test_a_role_without_the_capability_cannot_create_a_draw(county: County) -> None:
    populate(county)
    with pytest.raises(NotPermitted) as refused:
        make_draw(county, actor=county.east_director, unit=county.east)
    assert refused.value.message == "您的角色无权执行此操作。"
    _nothing_written()


# Running and publishing ------------------------------------------------------------------


def _unchanged(draw: RandomDraw, status: str) -> None:
    draw = RandomDraw.objects.get(pk=draw.pk)
    assert draw.status == status
    if status == RandomDraw.Status.COMMITTED:
        assert not DrawSelection.objects.filter(draw=draw).exists()
        assert draw.seed == "" and draw.result_digest == ""


def test_a_draw_is_run_only_once(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    count = DrawSelection.objects.filter(draw=draw).count()
    with pytest.raises(Conflict) as refused:
        run(draw, county)
    assert refused.value.message == "该抽查已抽取，不能再次抽取"
    assert DrawSelection.objects.filter(draw=draw).count() == count


def test_a_draft_cannot_be_run(county: County) -> None:
    populate(county)
    draft = make_draw(county, commit=False)
    with pytest.raises(Conflict) as refused:
        run(draft, county)
    assert refused.value.message == "该抽查尚未锁定名单，不能抽取"
    _unchanged(draft, RandomDraw.Status.DRAFT)


def test_a_seed_that_does_not_match_the_committed_hash_is_refused(county: County) -> None:
    populate(county)
    draw = make_draw(county, seed="正确的种子")
    with pytest.raises(DomainError) as refused:
        run(draw, county, seed="错误的种子")
    assert refused.value.message == "种子与锁定名单时公布的 SHA-256 摘要不符"
    _unchanged(draw, RandomDraw.Status.COMMITTED)


def test_a_seed_kept_by_its_creator_must_be_given_to_run(county: County) -> None:
    populate(county)
    draw = make_draw(county, seed="我保管的种子")
    assert draw.held_seed == ""
    with pytest.raises(DomainError) as refused:
        run(draw, county)
    assert refused.value.message == "该抽查的种子由创建人保管，抽取时请提供种子"
    _unchanged(draw, RandomDraw.Status.COMMITTED)
    assert run(draw, county, seed="我保管的种子").seed == "我保管的种子"


def test_a_snapshot_changed_before_the_run_is_refused(county: County) -> None:
    populate(county)
    draw = make_draw(county)
    RandomDraw.objects.filter(pk=draw.pk).update(pool_snapshot=snapshots.compress(b"65000001,\n"))
    with pytest.raises(DomainError) as refused:
        run(draw, county)
    assert refused.value.message == "检查人员名单快照与锁定时的摘要不符"
    _unchanged(draw, RandomDraw.Status.COMMITTED)


def test_publication_is_due_20_working_days_after_the_inspections_end(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    publication = draw_publication.publish_draw(draw=draw, actor=county.division_staff, at=LATER)
    # 2026-04-30 + 20 working days, over the Labour Day holiday (1–5 May).
    assert publication.deadline == dt.date(2026, 6, 1)
    assert "随机抽取 12 户" in publication.text and draw.seed in publication.text
    draw.refresh_from_db()
    assert draw.status == RandomDraw.Status.PUBLISHED
    assert not draw_publication.is_overdue(draw, publication.deadline, dt.date(2026, 7, 1))


def test_an_unpublished_draw_past_its_deadline_is_overdue(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    assert not draw_publication.is_overdue(draw, dt.date(2026, 6, 1), dt.date(2026, 6, 1))
    assert draw_publication.is_overdue(draw, dt.date(2026, 6, 1), dt.date(2026, 6, 2))


@pytest.mark.parametrize(
    ("state", "message"),
    [("committed", "该抽查尚未抽取，不能公示"), ("published", "该抽查结果已公示")],
)
def test_publication_before_the_draw_or_twice_is_refused(
    county: County, state: str, message: str
) -> None:
    populate(county)
    draw = make_draw(county)
    if state == "published":
        draw = run(draw, county)
        draw_publication.publish_draw(draw=draw, actor=county.division_staff, at=LATER)
    with pytest.raises(Conflict) as refused:
        draw_publication.publish_draw(draw=draw, actor=county.division_staff, at=LATER)
    assert refused.value.message == message
    assert DrawPublication.objects.count() == (1 if state == "published" else 0)


def test_a_malformed_publication_url_is_refused(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    with pytest.raises(InvalidInput) as refused:
        draw_publication.publish_draw(draw=draw, url="ftp://公示", actor=county.division_staff)
    assert refused.value.message == "url: 公示网址格式不正确：ftp://公示"
    assert not DrawPublication.objects.exists()


# 回避 ------------------------------------------------------------------------------------


def test_an_officer_declares_a_conflict_once_with_a_reason(county: County) -> None:
    entity = populate(county, west=0)[0]
    declared = draw_conflicts.declare_conflict(
        officer=county.east_officer,
        entity=entity,
        reason="配偶经营",
        actor=county.east_officer,
        at=AT,
    )
    assert declared.declared_at == AT
    with pytest.raises(Conflict) as duplicate:
        draw_conflicts.declare_conflict(
            officer=county.east_officer, entity=entity, reason="再次", actor=county.east_officer
        )
    assert duplicate.value.message == f"{county.east_officer} 已声明对 {entity} 回避"
    assert ConflictDeclaration.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "for_whom", "reason", "error", "message"),
    [
        ("east_officer", "east_officer", " ", InvalidInput, "reason: 请填写回避理由"),
        ("east_officer", "west_officer", "亲属", NotPermitted, "您的角色无权执行此操作。"),
        ("west_officer", "west_officer", "亲属", NotPermitted, "该记录不属于您所在单位的辖区。"),
        (
            "admin",
            "admin",
            "亲属",
            InvalidInput,
            "officer: {admin} 没有执法证号，不会被抽为检查人员，无需声明回避",
        ),
    ],
)
def test_bad_conflict_declarations_are_refused(
    county: County, who: str, for_whom: str, reason: str, error: type, message: str
) -> None:
    entity = populate(county, west=0)[0]
    with pytest.raises(error) as refused:
        draw_conflicts.declare_conflict(
            officer=getattr(county, for_whom),
            entity=entity,
            reason=reason,
            actor=getattr(county, who),
        )
    assert refused.value.message == message.format(admin=county.admin)
    assert not ConflictDeclaration.objects.exists()
