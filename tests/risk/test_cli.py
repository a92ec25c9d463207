"""xiaoneng targeting train|score|evaluate|status, and scoring a file of visits without
outcomes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.risk import history
from xiaoneng.registry.models import Entity
from xiaoneng.risk.chicago import import_chicago
from xiaoneng.risk.models import Evaluation, RiskModel

pytestmark = pytest.mark.django_db
OUTCOMES = ("criticalCount", "seriousCount", "minorCount", "criticalFound")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("targeting", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("targeting", *args, stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 2
    return f"{caught.value}\n{err.getvalue()}"


@pytest.fixture
def past_and_coming(tmp_path: Path) -> tuple[list[dict[str, str]], Path]:
    """The first 240 days imported; the next 60 days as a file without outcomes, with one
    licence never seen before."""
    data = history.rows(days=300, per_day=5)
    cut = str(history.START + 240)
    import_chicago(
        source=str(
            history.write(tmp_path / "past.csv", [r for r in data if r["Inspection_Date"] < cut])
        )
    )
    coming = [dict(r) for r in data if r["Inspection_Date"] >= cut]
    coming[0]["License"] = "999999"
    columns = tuple(c for c in history.HEADER if c not in OUTCOMES)
    return coming, history.write(tmp_path / "coming.csv", coming, columns)


def test_train_score_status_and_evaluate(past_and_coming: object) -> None:
    assert "no model trained yet" in run("status")
    out = run("train", "--until", "2012-07-01")
    assert out.startswith("model v1: ") and "2012-01-02 … 2012-06-30" in out
    assert "validation AUC" in out
    out = run("score", "--on", "2012-09-01")
    assert out == f"scored {Entity.objects.count()} entities with model v1\n"
    status = run("status")
    assert status.startswith("model v1 (") and "recent AUC" in status
    out = run("evaluate", "--period", "2012-07-01:2012-08-28")
    assert "Period 2012-07-01 … 2012-08-28: 295 inspections" in out
    for name in ("model", "actual", "random", "class"):
        assert f"\n  {name} " in out
    assert "By unit" in out and "By area" in out
    assert Evaluation.objects.count() == 1
    run("evaluate", "--period", "2012-07-01:2012-08-28", "--no-store")
    assert Evaluation.objects.count() == 1


def test_a_file_of_coming_visits_is_scored_row_by_row(
    past_and_coming: tuple[list[dict[str, str]], Path], tmp_path: Path
) -> None:
    coming, path = past_and_coming
    run("train")
    out = run("score", "--input", str(path), "--output", str(tmp_path / "scores.csv"))
    assert out.startswith(f"scored {len(coming)} rows with model v1")
    with (tmp_path / "scores.csv").open(newline="") as handle:
        scored = list(csv.reader(handle))
    assert scored[0] == ["Inspection_ID", "score"]
    assert [r[0] for r in scored[1:]] == [r["Inspection_ID"] for r in coming]
    scores = {r["License"]: [] for r in coming}
    for row, (_id, score) in zip(coming, scored[1:], strict=True):
        assert 0 < float(score) < 1
        scores[row["License"]].append(float(score))
    careless = [s for lic, ss in scores.items() if history.careless(int(lic)) for s in ss]
    careful = [s for lic, ss in scores.items() if not history.careless(int(lic)) for s in ss]
    assert sum(careless) / len(careless) > sum(careful) / len(careful) + 0.15
    assert Entity.objects.count() == len({r["License"] for r in history.rows(days=240, per_day=5)})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("evaluate", "--period", "2012-07-01"), "period must be START:END"),
        (("evaluate", "--period", "2012-07-01:2012-13-01"), "not a date"),
        (("evaluate", "--period", "2012-08-01:2012-07-01"), "ends before it starts"),
        (("train", "--until", "yesterday"), "not a date"),
        (("score", "--input", "x.csv"), "--input and --output go together"),
        (("score", "--input", "/nonexistent.csv", "--output", "s.csv"), "no such file"),
    ],
)
def test_bad_arguments_are_refused(
    past_and_coming: object, args: tuple[str, ...], message: str
) -> None:
    assert message in refused(*args)
    assert not RiskModel.objects.exists() and not Evaluation.objects.exists()


def test_scoring_before_training_or_a_file_of_other_columns(
    past_and_coming: tuple[list[dict[str, str]], Path], tmp_path: Path
) -> None:
    _coming, path = past_and_coming
    output = tmp_path / "scores.csv"
    assert "xiaoneng targeting train" in refused("score")
    assert "train first" in refused("score", "--input", str(path), "--output", str(output))
    run("train")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Inspection_ID,Inspection_Date,License\n1,2013-01-01,5\n", encoding="utf-8")
    message = refused("score", "--input", str(wrong), "--output", str(output))
    for column in ("Risk", "Facility_Type", "Inspector_Assigned"):
        assert column in message
    assert not output.exists()


def test_too_little_history_says_so(db: None, tmp_path: Path) -> None:
    import_chicago(source=str(history.write(tmp_path / "h.csv", history.rows(days=10))))
    message = refused("train")
    assert "too little history" in message and "class order" in message
