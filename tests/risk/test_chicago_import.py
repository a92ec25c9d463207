"""``xiaoneng import chicago FILE.csv``: the Chicago food inspections as entities, signed
inspections and findings of the register, and a clear refusal of every bad file."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from tests.conftest import County
from tests.shared_data import CHICAGO_FILE
from xiaoneng.core.errors import NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.inspections.checklists.services import checklist_for
from xiaoneng.inspections.models import Checklist, Finding, Inspection, Severity
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import ClassificationChange, Entity
from xiaoneng.risk import services
from xiaoneng.risk.chicago import import_chicago
from xiaoneng.risk.chicago_setup import industry_for, uscc_for
from xiaoneng.risk.models import ExternalEntity, ExternalInspection

# The header of ../shared/data/chicago/inspections_2011_2014.csv, as the city's export has it.
HEADER = [
    "Inspection_Date",
    "License",
    "Inspection_ID",
    "Business_ID",
    "criticalCount",
    "seriousCount",
    "minorCount",
    "Facility_Type",
    "pass_flag",
    "fail_flag",
    "pastFail",
    "pastCritical",
    "pastSerious",
    "pastMinor",
    "timeSinceLast",
    "firstRecord",
    "ageAtInspection",
    "consumption_on_premises_incidental_activity",
    "tobacco_retail_over_counter",
    "package_goods",
    "limited_business_license",
    "outdoor_patio",
    "public_place_of_amusement",
    "childrens_services_facility_license",
    "tavern",
    "regulated_business_license",
    "filling_station",
    "caterers_liquor_license",
    "mobile_food_license",
    "heat_burglary",
    "heat_garbage",
    "heat_sanitation",
    "Inspector_Assigned",
    "precipIntensity",
    "temperatureMax",
    "windSpeed",
    "humidity",
    "criticalFound",
    "DBA_Name",
    "Address",
    "Zip",
    "Risk",
    "Latitude",
    "Longitude",
]
REAL = CHICAGO_FILE


def row(**values: Any) -> dict[str, str]:
    """A row of the file: a clean restaurant inspection unless told otherwise."""
    base = {name: "0.0" for name in HEADER}
    base |= {
        "Inspection_Date": "2013-01-31",
        "License": "30790",
        "Inspection_ID": "269961",
        "Business_ID": "30790-20110416",
        "Facility_Type": "Restaurant",
        "ageAtInspection": "2.0",
        "Inspector_Assigned": "green",
        "DBA_Name": "SEVEN STAR",
        "Address": "3352 N BROADWAY ",
        "Zip": "60657.0",
        "Risk": "Risk 1 (High)",
        "Latitude": "41.943359344775146",
        "Longitude": "-87.64499875300952",
    }
    return base | {k: str(v) for k, v in values.items()}


def write(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def three_rows() -> list[dict[str, str]]:
    """Licence 30790 twice (its class, type and group change), licence 1475890 once."""
    return [
        row(
            Inspection_ID="269961",
            Inspection_Date="2013-01-31",
            criticalCount="0.0",
            seriousCount="1.0",
            minorCount="2.0",
            ageAtInspection="2.0",
        ),
        row(
            Inspection_ID="301001",
            Inspection_Date="2013-06-03",
            criticalCount="2.0",
            minorCount="1.0",
            criticalFound="1.0",
            Risk="Risk 2 (Medium)",
            Facility_Type="Grocery_Store",
            Inspector_Assigned="blue",
            DBA_Name="SEVEN STAR FOODS",
            ageAtInspection="2.34",
        ),
        row(
            Inspection_ID="507211",
            Inspection_Date="2011-10-18",
            License="1475890",
            Facility_Type="Other",
            Inspector_Assigned="blue",
            DBA_Name="PANERA BREAD",
            Address="6059 N LINCOLN AVE ",
            Zip="",
            Latitude="",
            Longitude="NA",
            Risk="Risk 3 (Low)",
            ageAtInspection="NA",
        ),
    ]


def entity_of(licence: str) -> Entity:
    link = ExternalEntity.objects.get(source="chicago", external_id=licence)
    return Entity.objects.get(pk=link.entity_id)


def inspection_of(inspection_id: int) -> Inspection:
    link = ExternalInspection.objects.get(source="chicago", external_id=inspection_id)
    return Inspection.objects.select_related("unit", "lead_officer").get(pk=link.inspection_id)


def nothing_written() -> bool:
    return not (
        Entity.objects.exists()
        or Inspection.objects.exists()
        or Finding.objects.exists()
        or Unit.objects.filter(code__startswith="chicago").exists()
        or Officer.objects.filter(username__startswith="chicago").exists()
        or Checklist.objects.filter(code="chicago-food").exists()
    )


def refused(path: Path) -> list[str]:
    """The row errors of a refused file, checking that nothing was written."""
    with pytest.raises(ImportRejected) as raised:
        import_chicago(source=path)
    assert nothing_written()
    return [str(e) for e in raised.value.row_errors]


# What the import writes -------------------------------------------------------------------


@pytest.mark.django_db
def test_each_licence_becomes_one_entity_from_its_latest_row(tmp_path: Path) -> None:
    result = import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    assert (result.entities, result.inspections, result.findings) == (2, 3, 6)
    seven = entity_of("30790")
    assert (seven.name, seven.address, seven.industry_id) == (
        "SEVEN STAR FOODS",
        "3352 N BROADWAY",
        "F5229",
    )
    assert (seven.risk_class, seven.risk_class_overridden) == ("II", True)
    assert seven.unit.code == "chicago-blue"
    assert (seven.latitude, seven.longitude) == (41.943359344775146, -87.64499875300952)
    # First inspection 2013-01-31, 2.0 years (of 365 days) after the first licence.
    assert seven.established == dt.date(2013, 1, 31) - dt.timedelta(days=730)
    assert seven.registered_on == seven.established
    assert seven.last_inspected_on == dt.date(2013, 6, 3)
    assert (seven.status, seven.kind) == (Entity.Status.OPERATING, Entity.Kind.ENTERPRISE)
    assert seven.grid_id is None and seven.grid_overridden
    assert ExternalEntity.objects.get(entity_id=seven.pk).area == "60657"
    assert seven.region_code == Unit.objects.get(code="chicago").region_code == "000000"
    assert stdnum_uscc.is_valid(seven.uscc) and seven.uscc == uscc_for("30790")

    panera = entity_of("1475890")
    assert (panera.industry_id, panera.risk_class, panera.unit.code) == (
        "H6299",
        "III",
        "chicago-blue",
    )
    assert panera.latitude is None and panera.longitude is None
    assert panera.established is None and panera.registered_on == dt.date(2011, 10, 18)
    assert ExternalEntity.objects.get(entity_id=panera.pk).area == ""


@pytest.mark.django_db
def test_a_class_other_than_the_rule_tables_is_kept_as_an_override_with_its_history(
    tmp_path: Path,
) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()[2:]))

    panera = entity_of("1475890")
    change = ClassificationChange.objects.get(entity=panera)
    assert (panera.risk_class, panera.risk_class_overridden) == ("III", True)
    assert (change.field, change.old_value, change.new_value) == ("risk_class", "", "III")


@pytest.mark.django_db
def test_each_row_becomes_a_signed_patrol_inspection_of_its_group(tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    record = inspection_of(301001)
    assert record.status == Inspection.Status.SIGNED
    assert (record.origin, record.kind) == (Inspection.Origin.PATROL, "onsite")
    assert record.visited_on == dt.date(2013, 6, 3)
    assert timezone.localtime(record.signed_at).date() == record.visited_on
    assert (record.items_failed, record.entity_operating) == (3, True)
    assert record.unit.code == "chicago-blue"
    assert record.unit.parent is not None and record.unit.parent.code == "chicago"
    assert record.lead_officer.username == "chicago-blue"
    assert list(record.officers.values_list("username", flat=True)) == ["chicago-blue"]
    assert record.entity == entity_of("30790")
    assert inspection_of(269961).unit.code == "chicago-green"
    officer = Officer.objects.get(username="chicago-green")
    assert officer.unit is not None and officer.unit.name == "芝加哥检查组 green"
    assert not officer.has_usable_password()


@pytest.mark.django_db
def test_every_counted_problem_is_a_resolved_finding_of_its_severity(tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    def severities(inspection_id: int) -> list[str]:
        return sorted(inspection_of(inspection_id).findings.values_list("severity", flat=True))

    assert severities(269961) == [Severity.MAJOR, Severity.MINOR, Severity.MINOR]
    assert severities(301001) == [Severity.CRITICAL, Severity.CRITICAL, Severity.MINOR]
    assert severities(507211) == []
    finding = inspection_of(301001).findings.filter(severity=Severity.CRITICAL).first()
    assert finding is not None
    assert (finding.status, finding.found_on) == (Finding.Status.RESOLVED, dt.date(2013, 6, 3))
    assert (finding.entity, finding.unit.code) == (entity_of("30790"), "chicago-blue")
    # The outcome the model reads: the inspections with a critical finding.
    critical = Inspection.objects.filter(findings__severity=Severity.CRITICAL).distinct()
    assert list(critical) == [inspection_of(301001)]


@pytest.mark.django_db
def test_the_datasets_checklist_is_never_offered_for_a_new_inspection(tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    checklist = Checklist.objects.get(code="chicago-food")
    assert (checklist.effective_on, checklist.retired_on) == (
        dt.date(2011, 10, 18),
        dt.date(2013, 6, 4),
    )
    assert checklist.items.filter(severity=Severity.CRITICAL).count() == 14
    assert checklist_for(entity=entity_of("30790"), kind="onsite") != checklist


@pytest.mark.django_db
def test_the_import_is_traced_as_an_import(tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    events = AuditEvent.objects.filter(source=AuditEvent.Source.IMPORT, action="create")
    by_model = {
        model: events.filter(content_type__model=model).count()
        for model in ("entity", "inspection", "finding")
    }
    assert by_model == {"entity": 2, "inspection": 3, "finding": 6}
    assert events.filter(reason="导入文件 f.csv（芝加哥食品检查）").count() == 11


@pytest.mark.django_db
def test_the_bureau_sits_under_the_systems_top_bureau(county: County, tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "f.csv", three_rows()))

    bureau = Unit.objects.get(code="chicago")
    assert (bureau.kind, bureau.parent) == (Unit.Kind.BUREAU, county.bureau)
    assert entity_of("30790").region_code == county.bureau.region_code


@pytest.mark.django_db
def test_a_later_file_adds_inspections_to_the_licences_already_imported(tmp_path: Path) -> None:
    import_chicago(source=write(tmp_path / "a.csv", three_rows()))
    later = [row(Inspection_ID="400001", Inspection_Date="2014-02-03", minorCount="1.0")]

    result = import_chicago(source=write(tmp_path / "b.csv", later))

    assert (result.entities, result.inspections, result.findings) == (0, 1, 1)
    assert Entity.objects.count() == 2
    assert entity_of("30790").last_inspected_on == dt.date(2014, 2, 3)
    assert inspection_of(400001).entity == entity_of("30790")
    assert Checklist.objects.get(code="chicago-food").retired_on == dt.date(2014, 2, 4)


def test_the_uscc_of_a_licence_is_valid_deterministic_and_distinct() -> None:
    codes = [uscc_for(str(n)) for n in (0, 1, 30790, 2308713, 31**7 - 1)]
    assert all(stdnum_uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert uscc_for("30790") == uscc_for("30790") and uscc_for("30790").startswith("91000000CH")


def test_facility_types_map_to_industries() -> None:
    assert industry_for("Restaurant") == "H6210"
    assert industry_for("Grocery_Store") == industry_for("Grocery Store") == "F5229"
    assert industry_for("Daycare (2 - 6 Years)") == "P8310"
    assert industry_for("Other") == industry_for("Roof top garden") == industry_for("") == "H6299"


# Bad input: a clear error, nothing written -------------------------------------------------


@pytest.mark.django_db
def test_missing_columns_are_named(tmp_path: Path) -> None:
    header = [c for c in HEADER if c not in ("License", "criticalCount")]
    errors = refused(write(tmp_path / "f.csv", [row()], header))
    assert errors == [
        "row 1, License: 缺少必需的列",
        "row 1, criticalCount: 缺少必需的列",
    ]


@pytest.mark.django_db
def test_a_file_to_score_without_the_outcome_columns_is_refused(tmp_path: Path) -> None:
    outcome = ("criticalFound", "criticalCount", "seriousCount", "minorCount")
    header = [c for c in HEADER if c not in outcome]
    errors = refused(write(tmp_path / "f.csv", [row()], header))
    assert [e.split(": ")[0] for e in errors] == [
        "row 1, criticalCount",
        "row 1, seriousCount",
        "row 1, minorCount",
        "row 1, criticalFound",
    ]


@pytest.mark.django_db
def test_an_empty_file_and_a_header_alone_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert refused(empty) == ["row 1, 文件: 文件是空的"]
    assert refused(write(tmp_path / "header.csv", [])) == ["row 2, 文件: 文件中没有数据行"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "error"),
    [
        (
            {"Inspection_Date": "2013-02-30"},
            "row 3, Inspection_Date: 日期格式错误（应为 YYYY-MM-DD）：'2013-02-30'",
        ),
        (
            {"Inspection_Date": "01/31/2013"},
            "row 3, Inspection_Date: 日期格式错误（应为 YYYY-MM-DD）：'01/31/2013'",
        ),
        ({"minorCount": "two"}, "row 3, minorCount: 应为 0–15 的整数：'two'"),
        ({"seriousCount": "NA"}, "row 3, seriousCount: 应为 0–15 的整数：'NA'"),
        ({"criticalCount": "1.5"}, "row 3, criticalCount: 应为 0–14 的整数：'1.5'"),
        ({"Risk": "All"}, "row 3, Risk: 未知的风险等级（应为 Risk 1/2/3）：'All'"),
        ({"Risk": ""}, "row 3, Risk: 未知的风险等级（应为 Risk 1/2/3）：''"),
        ({"License": "ABC"}, "row 3, License: 许可证号应为非负整数：'ABC'"),
        ({"Zip": "606"}, None),
        ({"Zip": "Chicago"}, "row 3, Zip: 邮政编码应为 5 位数字：'Chicago'"),
        ({"Latitude": "north"}, "row 3, Latitude: 坐标应为 −90 到 90 之间的数：'north'"),
        ({"DBA_Name": " "}, "row 3, DBA_Name: 名称不能为空"),
        (
            {"Inspector_Assigned": ""},
            "row 3, Inspector_Assigned: 检查组应为 1–24 个字母、数字、- 或 _：''",
        ),
        (
            {"criticalCount": "1.0", "criticalFound": "0.0"},
            "row 3, criticalFound: 与 criticalCount 不一致：criticalFound=0，criticalCount=1",
        ),
        ({"ageAtInspection": "-1"}, "row 3, ageAtInspection: 应为 0–200 之间的年数：'-1'"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(
    tmp_path: Path, values: dict[str, str], error: str | None
) -> None:
    rows = [row(), row(Inspection_ID="269962", **values)]
    path = write(tmp_path / "f.csv", rows)
    if error is None:  # a ZIP code without its leading zeros is still a ZIP code
        import_chicago(source=path)
        assert ExternalEntity.objects.get().area == "00606"
        return
    assert refused(path) == [error]


@pytest.mark.django_db
def test_a_duplicate_inspection_id_names_both_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", [row(), row(License="1")])
    assert refused(path) == ["row 3, Inspection_ID: 与第 2 行重复：269961"]


@pytest.mark.django_db
def test_reimporting_the_same_file_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", three_rows())
    import_chicago(source=path)
    counts = (Entity.objects.count(), Inspection.objects.count(), Finding.objects.count())
    events = AuditEvent.objects.count()

    with pytest.raises(ImportRejected) as raised:
        import_chicago(source=path)

    assert [str(e) for e in raised.value.row_errors] == [
        "row 2, Inspection_ID: 已导入过的检查记录 3 条（如 269961、301001、507211），不能重复导入"
    ]
    assert (Entity.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_officer_without_the_rights_may_not_import(county: County, tmp_path: Path) -> None:
    with pytest.raises(NotPermitted):
        import_chicago(source=write(tmp_path / "f.csv", three_rows()), actor=county.east_officer)
    assert not Entity.objects.exists()


# The command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_the_counts(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import", "chicago", str(write(tmp_path / "f.csv", three_rows())), stdout=out)
    assert out.getvalue().strip() == "imported chicago: entities 2, inspections 3, findings 6"


@pytest.mark.django_db
def test_the_command_prints_every_error_and_exits_with_status_2(tmp_path: Path) -> None:
    rows = [row(Inspection_Date="2013-13-01"), row(Inspection_ID="2", minorCount="x")]
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", "chicago", str(write(tmp_path / "f.csv", rows)), stderr=err)
    assert raised.value.returncode == 2
    assert str(raised.value) == "导入失败：发现 2 处错误，未写入任何数据。"
    assert err.getvalue().splitlines() == [
        "row 2, Inspection_Date: 日期格式错误（应为 YYYY-MM-DD）：'2013-13-01'",
        "row 3, minorCount: 应为 0–15 的整数：'x'",
    ]
    assert nothing_written()


@pytest.mark.django_db
def test_the_command_refuses_a_missing_file_and_update(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError) as raised:
        call_command("import", "chicago", str(missing))
    assert (raised.value.returncode, str(raised.value)) == (2, f"no such file: {missing}")
    path = write(tmp_path / "f.csv", three_rows())
    with pytest.raises(CommandError) as raised:
        call_command("import", "chicago", str(path), "--update")
    assert (raised.value.returncode, str(raised.value)) == (2, "--update does not apply to chicago")
    assert nothing_written()


# The real file ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(REAL is None, reason="the Chicago data is not on this machine")
def test_the_real_file_imports_with_the_files_outcome() -> None:
    assert REAL is not None
    with open(REAL, newline="", encoding="utf-8") as handle:
        critical_found = sum(int(float(r["criticalFound"])) for r in csv.DictReader(handle))

    result = import_chicago(source=REAL)

    assert (result.inspections, Inspection.objects.count()) == (17_075, 17_075)
    assert result.entities == Entity.objects.count() == 9_398
    assert result.findings == Finding.objects.count()
    critical = Inspection.objects.filter(findings__severity=Severity.CRITICAL).distinct()
    assert critical.count() == critical_found == 2_402

    # … and the model trained on the register's own records beats the city's 7.44 days
    evaluation = services.evaluate_period(
        start=dt.date(2013, 9, 1), end=dt.date(2014, 4, 16), actor=None, store=False
    )
    report = evaluation.report
    assert report["period"] == {"inspections": 4_920, "violations": 686}
    model, random, by_class = (report["orders"][k] for k in ("model", "random", "class"))
    assert model["days_sooner"] > 3 * 7.44  # docs/targeting.md: 58.41
    assert model["days_sooner"] > random["days_sooner"] + 30
    assert model["days_sooner"] > by_class["days_sooner"] + 30
    assert report["within_unit"][0] > 2 * 7.44  # each unit ordering its own dates: 26.54
    assert model["first_half_share"] > 1.25 * model["actual_first_half_share"]
    assert model["auc"] > 0.7
