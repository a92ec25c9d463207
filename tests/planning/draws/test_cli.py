"""`xiaoneng draw …`: create, run --json, verify, publish, list; errors exit 2 with the message."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import County
from tests.planning.draws.factories import populate
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.draws.models import DrawSelection, RandomDraw
from xiaoneng.planning.management.commands.draw import Command

CREATE = [
    "create",
    "--name",
    "2099 年食品经营者双随机抽查",
    "--unit",
    "D1",
    "--items",
    "R02",
    "--ratio",
    "A=0.5,B=0.5,C=1,D=1",
    "--pool",
    "S-E,S-W",
    "--team-size",
    "2",
    "--cap",
    "20",
    "--inspections-end",
    "2099-06-30",
]


def draw(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("draw", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        draw(*args)
    return raised.value


def test_create_prints_id_seed_hash_population_and_digest(county: County) -> None:
    populate(county)
    out, _err = draw(*CREATE)
    created = RandomDraw.objects.get()
    assert out.splitlines() == [
        f"draw {created.pk} 已锁定名单",
        f"seed_sha256 {created.seed_sha256}",
        "population 24",
        f"population_digest {created.population_digest}",
        "to draw 16",
    ]


def test_run_json_has_the_documented_shape(county: County) -> None:
    populate(county)
    draw(*CREATE, "--seed", "公开抽取仪式上掷出的种子")
    pk = RandomDraw.objects.get().pk
    out, _err = draw("run", str(pk), "--seed", "公开抽取仪式上掷出的种子", "--json")
    result: dict[str, Any] = json.loads(out)
    assert list(result)[:4] == ["draw_id", "seed_sha256", "population_digest", "selected"]
    assert result["draw_id"] == pk
    assert result["seed_sha256"] == hashlib.sha256("公开抽取仪式上掷出的种子".encode()).hexdigest()
    assert len(result["selected"]) == 16
    for row in result["selected"]:
        assert set(row) == {"uscc", "inspectors"}
        assert len(row["inspectors"]) == 2 and all(isinstance(c, str) for c in row["inspectors"])
    orders = DrawSelection.objects.filter(draw_id=pk).order_by("order")
    assert [r["uscc"] for r in result["selected"]] == [s.uscc for s in orders]


def test_verify_prints_verified_or_exits_2_naming_the_difference(county: County) -> None:
    populate(county)
    draw(*CREATE)
    pk = RandomDraw.objects.get().pk
    draw("run", str(pk))
    out, _err = draw("verify", str(pk))
    assert out.strip() == f"draw {pk} verified"
    RandomDraw.objects.filter(pk=pk).update(seed="换掉的种子")
    with pytest.raises(CommandError) as failed:
        call_command("draw", "verify", str(pk), stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert failed.value.returncode == 2
    assert str(failed.value) == f"draw {pk} NOT verified"
    assert err.getvalue().strip() == "公开的种子与锁定名单时公布的 SHA-256 摘要不符"


def test_publish_and_list(county: County) -> None:
    populate(county)
    draw(*CREATE)
    pk = RandomDraw.objects.get().pk
    draw("run", str(pk), "--user", "division")
    out, _err = draw("publish", str(pk), "--url", "https://example.gov.cn/gs")
    # 2099's holidays are not loaded: 20 weekdays after 2099-06-30, provisional.
    assert out.strip() == f"draw {pk} published; deadline 2099-07-28 (provisional)"
    listing, _err = draw("list")
    assert "published" in listing and "2099 年食品经营者双随机抽查" in listing
    run_event = AuditEvent.objects.filter(
        content_type__model="randomdraw", changes__has_key="seed"
    ).get()
    assert run_event.actor_name == county.division_staff.name


def test_the_snapshot_prints_the_text_whose_sha256_is_the_digest(county: County) -> None:
    populate(county)
    draw(*CREATE)
    created = RandomDraw.objects.get()
    out, _err = draw("snapshot", str(created.pk), "population")
    assert hashlib.sha256(out.encode()).hexdigest() == created.population_digest
    assert len(out.splitlines()) == 24


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--ratio": "A=1.5"}, "ratio: 抽查比例应在 0 至 1 之间：A=1.5"),
        ({"--team-size": "1"}, "team_size: 每组检查人员至少 2 人：1"),
        ({"--cap": "none"}, "workload_cap: 每人检查户数上限应为正整数：none"),
        ({"--unit": "X9"}, "unit: 未知的单位代码：X9"),
        ({"--pool": "S-E,S-Q"}, "pool: 未知的单位代码：S-Q"),
        ({"--items": "R77"}, "items: 未知或已停用的检查事项：R77"),
        ({"--inspections-end": "30/06/2099"}, "--inspections-end 30/06/2099: expected YYYY-MM-DD"),
        ({"--pool": "S-E", "--team-size": "3"}, "检查人员库只有 2 名持证执法人员，不足每组 3 人"),
    ],
)
def test_create_errors_exit_2_with_the_message_and_write_nothing(
    county: County, change: dict[str, str], message: str
) -> None:
    populate(county)
    args = list(CREATE)
    for flag, value in change.items():
        args[args.index(flag) + 1] = value
    error = refused(*args)
    assert error.returncode == 2 and str(error) == message
    assert not RandomDraw.objects.exists()


def test_create_filters_and_bad_filters(county: County) -> None:
    populate(county)
    error = refused(*CREATE, "--filter", "grid")
    assert str(error) == "--filter grid: expected KEY=VALUE"
    error = refused(*CREATE, "--filter", "flavour=sweet")
    assert str(error) == "filter.flavour: 未知的范围条件：flavour"
    draw(*CREATE, "--filter", "grid=G-E", "--filter", "credit_grade=A,B")
    assert RandomDraw.objects.get().population_count == 8


def test_run_errors_exit_2(county: County) -> None:
    populate(county)
    assert str(refused("run", "404")) == "no draw 404"
    draw(*CREATE, "--seed", "s1")
    pk = str(RandomDraw.objects.get().pk)
    assert str(refused("run", pk)) == "该抽查的种子由创建人保管，抽取时请提供种子"
    assert str(refused("run", pk, "--seed", "s2")) == "种子与锁定名单时公布的 SHA-256 摘要不符"
    draw("run", pk, "--seed", "s1")
    assert str(refused("run", pk, "--seed", "s1")) == "该抽查已抽取，不能再次抽取"
    assert str(refused("run", pk, "--user", "ghost")) == "unknown user: ghost"


@pytest.mark.parametrize("verb", ["create", "run", "verify", "publish", "list", "snapshot"])
def test_every_subcommand_has_help(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = Command().create_parser("xiaoneng", "draw")
    with pytest.raises(SystemExit) as exited:
        parser.parse_args([verb, "--help"])
    assert exited.value.code == 0
    assert f"xiaoneng draw {verb}" in capsys.readouterr().out
