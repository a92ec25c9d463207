"""Reading the CSV and building features: the outcome never reaches a feature."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.targeting import synthetic
from xiaoneng.targeting.chicago import OUTCOME_COLUMNS, read_inspections
from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.features import CATEGORICAL, NUMERIC, FeatureEncoder


def test_the_allow_list_names_no_outcome_column(tmp_path: Path) -> None:
    assert not set(OUTCOME_COLUMNS) & {*NUMERIC, *CATEGORICAL}
    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(30)))
    names = FeatureEncoder.fit(table).names
    assert not {n.split("=")[0] for n in names} & set(OUTCOME_COLUMNS)


def test_perturbing_the_outcome_columns_leaves_the_features_unchanged(tmp_path: Path) -> None:
    data = synthetic.rows(300)
    table = read_inspections(synthetic.write(tmp_path / "a.csv", data))
    rng = np.random.default_rng(0)
    for row in data:
        for column in OUTCOME_COLUMNS:
            row[column] = str(float(rng.integers(0, 2)))
    perturbed = read_inspections(synthetic.write(tmp_path / "b.csv", data))
    encoder = FeatureEncoder.fit(table)
    assert FeatureEncoder.fit(perturbed) == encoder
    assert np.array_equal(encoder.transform(table), encoder.transform(perturbed))
    assert table.outcome is not None and perturbed.outcome is not None
    assert not np.array_equal(table.outcome, perturbed.outcome)


def test_a_file_without_the_outcome_columns_gives_the_same_features(tmp_path: Path) -> None:
    data = synthetic.rows(100)
    table = read_inspections(synthetic.write(tmp_path / "a.csv", data))
    without = [c for c in synthetic.COLUMNS if c not in OUTCOME_COLUMNS]
    blind = read_inspections(synthetic.write(tmp_path / "b.csv", data, without), with_outcome=False)
    encoder = FeatureEncoder.fit(table)
    assert blind.outcome is None
    assert np.array_equal(encoder.transform(table), encoder.transform(blind))
    with pytest.raises(TargetingError, match=r"missing column.*criticalFound"):
        read_inspections(tmp_path / "b.csv")


def test_a_missing_feature_column_is_named(tmp_path: Path) -> None:
    columns = [c for c in synthetic.COLUMNS if c != "pastCritical"]
    path = synthetic.write(tmp_path / "f.csv", synthetic.rows(10), columns)
    with pytest.raises(TargetingError, match=r"missing column\(s\): pastCritical$"):
        read_inspections(path)


def test_a_file_of_the_wrong_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    with pytest.raises(TargetingError, match=r"missing column.*Inspection_ID, Inspection_Date"):
        read_inspections(path)


def test_an_empty_file_or_a_header_only_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(TargetingError, match="empty file"):
        read_inspections(empty)
    header = synthetic.write(tmp_path / "h.csv", [])
    with pytest.raises(TargetingError, match="no inspections in the file"):
        read_inspections(header)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("pastFail", "many", "column pastFail: not a number: 'many'"),
        ("Inspection_Date", "2014-13-01", "bad Inspection_ID or Inspection_Date"),
        ("criticalFound", "2", "column criticalFound: must be 0 or 1"),
    ],
)
def test_a_bad_cell_names_its_line_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    data = synthetic.rows(5)
    data[2][column] = value
    with pytest.raises(TargetingError, match=f"line 4.*{message}"):
        read_inspections(synthetic.write(tmp_path / "f.csv", data))


def test_duplicate_ids_and_unknown_risk_are_refused(tmp_path: Path) -> None:
    data = synthetic.rows(5)
    data[1]["Inspection_ID"] = data[0]["Inspection_ID"]
    with pytest.raises(TargetingError, match="duplicate Inspection_ID"):
        read_inspections(synthetic.write(tmp_path / "d.csv", data))
    data = synthetic.rows(5)
    data[3]["Risk"] = "All"
    table = read_inspections(synthetic.write(tmp_path / "r.csv", data))
    with pytest.raises(TargetingError, match="column Risk: unknown value 'All'"):
        FeatureEncoder.fit(table).transform(table)


def test_missing_numbers_are_filled_with_the_training_median(tmp_path: Path) -> None:
    data = synthetic.rows(5)
    data[0]["humidity"] = ""
    table = read_inspections(synthetic.write(tmp_path / "f.csv", data))
    encoder = FeatureEncoder.fit(table)
    column = encoder.names.index("humidity")
    assert encoder.transform(table)[0, column] == encoder.medians[column]


def test_categories_are_encoded_row_by_row_and_unseen_ones_fall_to_other(
    tmp_path: Path,
) -> None:
    from xiaoneng.targeting.features import risk_class

    table = read_inspections(synthetic.write(tmp_path / "f.csv", synthetic.rows(40)))
    encoder = FeatureEncoder.fit(table)
    scored = read_inspections(synthetic.write(tmp_path / "s.csv", synthetic.rows(9, seed=3)))
    scored.categorical["Facility_Type"][4] = "Zoo"
    scored.categorical["Inspector_Assigned"][5] = "violet"
    x = encoder.transform(scored)
    names = encoder.names
    for i in range(len(scored)):
        facility = scored.categorical["Facility_Type"][i]
        group = scored.categorical["Inspector_Assigned"][i]
        for j, name in enumerate(names):
            if name.startswith("facility=") and name != "facility=<other>":
                assert x[i, j] == float(name == f"facility={facility}")
            if name.startswith("inspector="):
                assert x[i, j] == float(name == f"inspector={group}")
    assert x[4, names.index("facility=<other>")] == 1.0
    assert not x[5, [j for j, n in enumerate(names) if n.startswith("inspector=")]].any()
    assert risk_class(["Risk 2 (Medium)", "Risk 1 (High)", "Risk 2 (Medium)"]).tolist() == [
        2.0,
        1.0,
        2.0,
    ]
    assert risk_class([]).shape == (0,)
    with pytest.raises(TargetingError, match=r"unknown value 'Risk 9' \(row 3\)"):
        risk_class(["Risk 1 (High)", "Risk 1 (High)", "Risk 9", "Risk 9"])
