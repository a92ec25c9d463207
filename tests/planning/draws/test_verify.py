"""`verify` re-runs a draw from its snapshots and seed, and names whatever was tampered with."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.planning.draws.factories import make_draw, populate, run
from xiaoneng.core.errors import Conflict
from xiaoneng.planning.draws import snapshots
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw
from xiaoneng.planning.draws.verify import verify_draw


@pytest.fixture
def drawn(county: County) -> RandomDraw:
    populate(county)
    draw = run(make_draw(county, seed="复核"), county, seed="复核")
    draw.refresh_from_db()
    return draw


def _fresh(draw: RandomDraw) -> RandomDraw:
    return RandomDraw.objects.get(pk=draw.pk)


def test_verify_confirms_an_untouched_draw(drawn: RandomDraw) -> None:
    result = verify_draw(draw=drawn)
    assert result.verified and result.problems == []


def test_verify_detects_a_tampered_selection_row(drawn: RandomDraw) -> None:
    second = DrawSelection.objects.get(draw=drawn, order=2)
    other = DrawSelection.objects.get(draw=drawn, order=3)
    DrawSelection.objects.filter(pk=second.pk).update(uscc="91654002MA9999999X")
    problems = verify_draw(draw=_fresh(drawn)).problems
    assert "记录的抽取结果与抽取时的结果摘要不符" in problems
    assert (
        f"第 2 户：记录的统一社会信用代码 91654002MA9999999X 与所链接的市场主体 {second.uscc} 不符"
        in problems
    )
    assert other.uscc not in " ".join(problems)


def test_verify_detects_a_swapped_inspector_and_names_the_row(drawn: RandomDraw) -> None:
    member = DrawInspector.objects.get(selection__draw=drawn, selection__order=1, position=2)
    leader = DrawInspector.objects.get(selection__draw=drawn, selection__order=1, position=1)
    DrawInspector.objects.filter(pk=member.pk).update(certificate_number="65009999")
    problems = verify_draw(draw=_fresh(drawn)).problems
    assert problems[0] == "记录的抽取结果与抽取时的结果摘要不符"
    assert problems[1].startswith(f"第 1 户：抽取时记录为 {member.selection.uscc}")
    assert problems[1].endswith(
        f"{leader.certificate_number}（{leader.officer.username}）、"
        f"65009999（{member.officer.username}）"
    )
    # Both the row and its digest changed, in a draw run before records: the re-run names it.
    rows = [f"1,{member.selection.uscc},{leader.certificate_number};65009999\n"]
    rest = [line for line in _result_lines(drawn) if not line.startswith("1,")]
    RandomDraw.objects.filter(pk=drawn.pk).update(
        result_digest=snapshots.digest("".join(rows + rest).encode()), record_version=0
    )
    problems = verify_draw(draw=_fresh(drawn)).problems
    assert problems == [
        f"第 1 户：记录为 {member.selection.uscc}（{leader.certificate_number}、65009999），"
        f"重新抽取为 {member.selection.uscc}（{leader.certificate_number}、{member.certificate_number}）"
    ]


def _result_lines(draw: RandomDraw) -> list[str]:
    from xiaoneng.planning.draws.verify import stored_rows

    return [f"{r.order},{r.uscc},{';'.join(r.team)}\n" for r in stored_rows(draw)]


def test_verify_detects_a_tampered_population_snapshot(drawn: RandomDraw) -> None:
    text = snapshots.decompress(bytes(drawn.population_snapshot)).replace(b",A,", b",D,", 1)
    RandomDraw.objects.filter(pk=drawn.pk).update(population_snapshot=snapshots.compress(text))
    problems = verify_draw(draw=_fresh(drawn)).problems
    assert problems == ["抽查对象名单快照与锁定时的摘要不符"]


def test_verify_detects_an_unreadable_pool_snapshot(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(pool_snapshot=b"not zlib")
    assert verify_draw(draw=_fresh(drawn)).problems == ["检查人员名单快照与锁定时的摘要不符"]


def test_verify_detects_a_wrong_seed(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(seed="另一个种子")
    assert verify_draw(draw=_fresh(drawn)).problems == [
        "公开的种子与锁定名单时公布的 SHA-256 摘要不符"
    ]


def test_verify_detects_changed_parameters(drawn: RandomDraw) -> None:
    RandomDraw.objects.filter(pk=drawn.pk).update(workload_cap=3)
    assert verify_draw(draw=_fresh(drawn)).problems == [
        "抽取参数（比例、数量、每组人数、每人上限）与锁定时不一致"
    ]


def test_verify_detects_a_consistent_forgery_of_seed_and_digests(drawn: RandomDraw) -> None:
    """A forger who replaces the seed and its hash still cannot reproduce the stored result
    (in a draw run before records, which would name the digest: test_record.py)."""
    RandomDraw.objects.filter(pk=drawn.pk).update(
        seed="伪造", seed_sha256=snapshots.seed_digest("伪造"), record_version=0
    )
    problems = verify_draw(draw=_fresh(drawn)).problems
    assert problems and problems[0].startswith("第 1 户：记录为 ")


def test_verify_refuses_a_draw_not_yet_drawn(county: County) -> None:
    populate(county)
    with pytest.raises(Conflict) as refused:
        verify_draw(draw=make_draw(county))
    assert refused.value.message == "该抽查尚未抽取，无法验证"
