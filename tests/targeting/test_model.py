"""The time split, model choice and calibration; nothing from the period or later leaks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.targeting import synthetic
from xiaoneng.targeting.chicago import read_inspections
from xiaoneng.targeting.errors import TargetingError, TooLittleHistory
from xiaoneng.targeting.evaluate import evaluate
from xiaoneng.targeting.features import FeatureEncoder
from xiaoneng.targeting.model import fitting_from, time_split, train, validation_cut

START, END = np.datetime64("2012-11-01"), np.datetime64("2013-01-15")


def test_time_split_trains_only_before_the_period() -> None:
    dates = np.array(["2012-10-31", "2012-11-01", "2013-01-15", "2013-01-16"], "datetime64[D]")
    past, period = time_split(dates, START, END)
    assert past.tolist() == [True, False, False, False]
    assert period.tolist() == [False, True, True, False]
    with pytest.raises(TargetingError, match=r"ends .* before it starts"):
        time_split(dates, END, START)


def test_the_validation_slice_is_the_latest_days_whole() -> None:
    dates = np.repeat(np.arange(10).astype("datetime64[D]"), 3)
    cut = validation_cut(dates, 0.2)
    assert cut == np.datetime64(8, "D")  # the last 6 of 30 rows; no day in both parts
    assert not (set(dates[dates < cut]) & set(dates[dates >= cut]))


def test_training_picks_a_model_calibrates_and_is_deterministic(tmp_path: Path) -> None:
    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(1200)))
    encoder = FeatureEncoder.fit(table)
    x = encoder.transform(table)
    assert table.outcome is not None
    first = train(x, table.outcome, table.dates, encoder.names)
    second = train(x, table.outcome, table.dates, encoder.names)
    assert first.name in ("logistic_regression", "gradient_boosting")
    assert set(first.validation_auc) == {"logistic_regression", "gradient_boosting"}
    assert max(first.validation_auc.values()) == first.validation_auc[first.name] > 0.6
    p = first.predict(x)
    assert np.array_equal(p, second.predict(x))
    assert ((p > 0) & (p < 1)).all()
    assert abs(p.mean() - table.outcome.mean()) < 0.05  # calibrated to the base rate
    with pytest.raises(TargetingError, match=f"expected {len(encoder.names)} features, got 2"):
        first.predict(x[:, :2])


def test_too_little_history_is_a_clear_error(tmp_path: Path) -> None:
    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(150)))
    encoder = FeatureEncoder.fit(table)
    assert table.outcome is not None
    with pytest.raises(TooLittleHistory, match=r"too little history.*fall back to class order"):
        train(encoder.transform(table), table.outcome, table.dates, encoder.names)


def _evaluate(path: Path, data: list[dict[str, str]]) -> tuple[float, ...]:
    report = evaluate(read_inspections(synthetic.write(path, data)), START, END)
    model = report.orders["model"]
    return (*report.model.validation_auc.values(), model.auc, model.days_sooner)


def test_outcomes_of_the_period_and_later_never_change_the_model(tmp_path: Path) -> None:
    data = synthetic.rows(1500)  # 2012-01-02 … 2013-05-11
    baseline = _evaluate(tmp_path / "a.csv", data)
    # rewrite everything from the period on, except the period's own outcome (which the
    # figures read): the validation AUCs (training only) must not move
    later = [dict(r) for r in data]
    rng = np.random.default_rng(9)
    for row in later:
        if row["Inspection_Date"] > str(END):
            row["criticalFound"] = f"{rng.integers(0, 2)}.0"
            row["pastCritical"] = str(rng.integers(0, 9))
    assert _evaluate(tmp_path / "b.csv", later) == baseline
    # the period's outcomes move its figures but not the trained model
    flipped = [dict(r) for r in data]
    for row in flipped:
        if str(START) <= row["Inspection_Date"] <= str(END):
            row["criticalFound"] = "1.0" if row["criticalFound"] == "0.0" else "0.0"
    changed = _evaluate(tmp_path / "c.csv", flipped)
    assert changed[:2] == baseline[:2]
    assert changed[2:] != baseline[2:]


def test_evaluation_refuses_an_empty_period_or_no_history(tmp_path: Path) -> None:
    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(600)))
    with pytest.raises(TargetingError, match="no inspections in the period 2020-01-01"):
        evaluate(table, np.datetime64("2020-01-01"), np.datetime64("2020-02-01"))
    with pytest.raises(TargetingError, match="no inspections before the period start"):
        evaluate(table, np.datetime64("2011-01-01"), np.datetime64("2012-03-01"))
    with pytest.raises(TooLittleHistory, match="too little history"):
        evaluate(table, np.datetime64("2012-02-01"), np.datetime64("2012-03-01"))


def test_a_long_history_fits_only_its_latest_inspections(tmp_path: Path) -> None:
    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(1500)))
    encoder = FeatureEncoder.fit(table)
    x = encoder.transform(table)
    assert table.outcome is not None
    dates = table.dates
    cut = validation_cut(dates)
    start = fitting_from(dates[dates < cut], 600)
    assert start == dates[dates < cut][-600]  # whole days: three inspections a day
    capped = train(x, table.outcome, dates, encoder.names, max_fit_rows=600)
    # what happened before the fitted window no longer matters
    scrambled, y = x.copy(), table.outcome.copy()
    early = dates < start
    assert early.sum() == 1500 - 300 - 600
    y[early] = np.random.default_rng(4).integers(0, 2, early.sum())
    scrambled[early] = np.random.default_rng(5).random((early.sum(), x.shape[1]))
    again = train(scrambled, y, dates, encoder.names, max_fit_rows=600)
    assert again.validation_auc == capped.validation_auc
    assert np.array_equal(again.predict(x), capped.predict(x))
    # without the cap the whole fitting part counts
    full = train(scrambled, y, dates, encoder.names)
    assert full.validation_auc != capped.validation_auc
