"""The run seals everything a drawn draw's page and API show; `verify` names each field
tampered with afterwards (issue 9 item 18), and draws run before records still verify."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.planning.draws.factories import make_draw, populate, run
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.org.models import Unit
from xiaoneng.planning.draws import record, snapshots
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw
from xiaoneng.planning.draws.verify import verify_draw


@pytest.fixture
def drawn(county: County) -> RandomDraw:
    populate(county)
    draw = run(make_draw(county, seed="记录"), county, seed="记录")
    return RandomDraw.objects.get(pk=draw.pk)


def _problems(draw: RandomDraw) -> list[str]:
    return verify_draw(draw=RandomDraw.objects.get(pk=draw.pk)).problems


def test_the_run_seals_the_record_with_its_digest(drawn: RandomDraw) -> None:
    text = snapshots.decompress(drawn.snapshot_bytes("record") or b"")
    assert drawn.record_version == record.CURRENT_VERSION == 1
    assert drawn.record_digest == snapshots.digest(text)
    header, _newline, rows = text.decode().partition("\n")
    assert '"drawn_at":"2026-03-03T01:00:00+00:00"' in header
    first = DrawInspector.objects.filter(selection__draw=drawn).order_by("selection__order")[0]
    line = rows.splitlines()[0]
    assert line.startswith(f"1,{first.selection.uscc},{first.selection.entity_id},")
    assert f"{first.certificate_number}:{first.officer_id}:{first.officer.username}" in line
    assert verify_draw(draw=drawn).verified


def test_verify_names_a_changed_officer_link(drawn: RandomDraw, county: County) -> None:
    member = DrawInspector.objects.get(selection__draw=drawn, selection__order=2, position=1)
    other = county.admin if member.officer != county.admin else county.leader
    DrawInspector.objects.filter(pk=member.pk).update(officer=other)
    problems = _problems(drawn)
    assert len(problems) == 1
    assert problems[0].startswith(f"第 2 户：抽取时记录为 {member.selection.uscc}")
    assert f"{member.certificate_number}（{member.officer.username}）" in problems[0]
    assert problems[0].endswith(
        f"现为 {member.selection.uscc}（主体 #{member.selection.entity_id}，"
        f"{member.selection.stratum} 层），检查组 {member.certificate_number}（{other.username}）"
        + "".join(
            f"、{m.certificate_number}（{m.officer.username}）"
            for m in DrawInspector.objects.filter(selection=member.selection, position__gt=1)
        )
    )


def test_verify_names_a_changed_drawn_at(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(
        drawn_at=dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
    )
    assert _problems(drawn) == [
        "抽取时间：抽取时记录为 2026-03-03T01:00:00+00:00，现为 2026-03-01T01:00:00+00:00"
    ]


def _other_unit(county: County) -> Unit:
    return county.west


# Each field the draw's page or API shows, changed in the database, and the start of the one
# problem verify names (the counts are also re-derived from the snapshots: a second problem).
TAMPERINGS: list[tuple[str, Any, str]] = [
    ("name", "另一次抽查", "名称：抽取时记录为 2026 年食品经营者双随机抽查，现为 另一次抽查"),
    (
        "inspections_end",
        dt.date(2026, 5, 31),
        "检查截止日期：抽取时记录为 2026-04-30，现为 2026-05-31",
    ),
    ("code_version", "xiaoneng 0.0", "程序版本：抽取时记录为 xiaoneng "),
    (
        "committed_at",
        dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        "锁定时间：抽取时记录为 2026-03-02T01:00:00+00:00",
    ),
    ("population_filter", {"grid": ["G-W"]}, '抽查对象范围：抽取时记录为 {"industry":'),
    ("population_count", 99, "抽查对象数：抽取时记录为 24，现为 99"),
    ("pool_count", 1, "检查人员数：抽取时记录为 "),
    ("planned_count", 1, "应抽户数：抽取时记录为 12，现为 1"),
    ("selected_count", 1, "已抽户数：抽取时记录为 12，现为 1"),
    ("strata", {"A": [1, 1]}, "分层：抽取时记录为 {"),
    ("policy", None, "监管政策版本：抽取时记录为 1，现为 （无）"),
]


@pytest.mark.parametrize(("field", "value", "named"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_verify_names_each_tampered_draw_field(
    drawn: RandomDraw, field: str, value: Any, named: str
) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(**{field: value})
    problems = _problems(drawn)
    assert problems and problems[0].startswith(named), problems
    assert all("户" not in p or "户数" in p for p in problems)  # no row is blamed


def test_verify_names_a_changed_drawn_by_and_unit(drawn: RandomDraw, county: County) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(drawn_by=county.admin, unit=county.west)
    assert _problems(drawn) == [
        "组织单位：抽取时记录为 D1，现为 S-W",
        f"抽取人：抽取时记录为 {county.division_staff.pk}:{county.division_staff.username}，"
        f"现为 {county.admin.pk}:{county.admin.username}",
    ]


def test_verify_names_changed_items_and_pool_units(drawn: RandomDraw, county: County) -> None:
    drawn.items.add(*type(drawn.items.first()).objects.filter(code="R01"))
    drawn.pool_units.set([county.east])
    assert _problems(drawn) == [
        '检查事项：抽取时记录为 ["R02"]，现为 ["R01","R02"]',
        '检查人员库：抽取时记录为 ["B"]，现为 ["S-E"]',
    ]


def test_verify_names_a_changed_stratum_and_entity_link(drawn: RandomDraw) -> None:
    row = DrawSelection.objects.get(draw=drawn, order=3)
    twin = make_entity(uscc=make_uscc(900_001), name="另一户")
    DrawSelection.objects.filter(pk=row.pk).update(stratum="Z")
    assert _problems(drawn)[0].startswith(
        f"第 3 户：抽取时记录为 {row.uscc}（主体 #{row.entity_id}，{row.stratum} 层）"
    )
    DrawSelection.objects.filter(pk=row.pk).update(stratum=row.stratum, entity=twin)
    problems = _problems(drawn)
    assert problems[0] == (
        f"第 3 户：记录的统一社会信用代码 {row.uscc} 与所链接的市场主体 {twin.uscc} 不符"
    )
    assert f"现为 {row.uscc}（主体 #{twin.pk}，" in problems[1]


def test_verify_names_changed_digests_even_when_consistent(drawn: RandomDraw) -> None:
    """A forger who replaces the seed and its hash is named by the record as well."""
    sealed = drawn.seed_sha256
    RandomDraw.objects.filter(pk=drawn.pk).update(
        seed="伪造", seed_sha256=snapshots.seed_digest("伪造")
    )
    assert _problems(drawn) == [
        f"种子摘要（SHA-256）：抽取时记录为 {sealed}，现为 {snapshots.seed_digest('伪造')}"
    ]


def test_verify_names_a_forged_or_damaged_record(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(record_digest="0" * 64)
    assert _problems(drawn) == ["抽取记录与抽取时的记录摘要不符"]
    RandomDraw.objects.filter(pk=drawn.pk).update(record_snapshot=b"not zlib")
    assert _problems(drawn) == ["抽取记录无法读取，与抽取时的记录摘要不符"]


def test_a_draw_run_before_records_still_verifies(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(
        record_version=0, record_digest="", record_snapshot=None
    )
    assert verify_draw(draw=RandomDraw.objects.get(pk=drawn.pk)).verified
    # Its counts and strata are still checked against the snapshots and the re-run.
    RandomDraw.objects.filter(pk=drawn.pk).update(population_count=99, planned_count=1)
    assert _problems(drawn) == [
        "抽查对象数：记录为 99，按名单和种子应为 24",
        "应抽户数：记录为 1，按名单和种子应为 12",
    ]


def test_an_unknown_record_format_is_named(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(record_version=9)
    assert _problems(drawn) == ["未知的抽取记录格式：9"]
