"""``python -m xiaoneng.targeting``: the report, and clear errors (main() in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_data import CHICAGO_FILE
from tests.targeting import synthetic
from xiaoneng.targeting.cli import main

REAL = CHICAGO_FILE


def test_the_report_shows_every_order_and_the_breakdowns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = synthetic.write(tmp_path / "f.csv", synthetic.rows(1500))
    assert main([str(path), "--period", "2012-11-01:2013-01-15"]) == 0
    out = capsys.readouterr().out
    assert "Period 2012-11-01 … 2013-01-15: 228 inspections" in out
    for line in ("  model ", "  actual ", "  random ", "  class "):
        assert line in out
    assert "By inspector group" in out and "  blue " in out
    assert "By area (Zip prefix)" in out and "6060x" in out
    assert main([str(path), "--period", "2012-11-01:2013-01-15", "--no-inspector"]) == 0
    assert "inspector=" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2012-11-01", "period must be START:END"),
        ("2012-11-01:tomorrow", "period must be START:END"),
        ("2013-01-15:2012-11-01", "ends (2012-11-01) before it starts"),
        ("2020-01-01:2020-02-01", "no inspections in the period"),
    ],
)
def test_bad_periods_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str, message: str
) -> None:
    path = synthetic.write(tmp_path / "f.csv", synthetic.rows(400))
    assert main([str(path), "--period", period]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nope.csv"), "--period", "2012-11-01:2013-01-15"]) == 2
    assert "No such file" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(REAL is None, reason="the Chicago data is not on this machine")
def test_on_the_real_chicago_file_the_model_beats_7_44_days_sooner(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from xiaoneng.targeting.chicago import read_inspections
    from xiaoneng.targeting.cli import parse_period
    from xiaoneng.targeting.evaluate import evaluate

    assert REAL is not None
    report = evaluate(read_inspections(REAL), *parse_period("2013-09-01:2014-04-16"))
    assert (report.inspections, report.violations) == (4920, 686)
    model = report.orders["model"]
    assert model.days_sooner > 7.44
    assert model.days_sooner > report.orders["random"].days_sooner
    assert model.days_sooner > report.orders["class"].days_sooner
    assert model.first_half_share > 1.25 * model.actual_first_half_share
    assert model.auc > 0.7
