"""The effectiveness bulletin (效能通报): its parts, page, files and command, on made-up
indicators."""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.conftest import County, client_for
from tests.reports.assessment.fake import STATION_VALUES, VALUES
from xiaoneng.reports.assessment import bulletin, services
from xiaoneng.reports.assessment.periods import parse_period
from xiaoneng.reports.assessment.services import Item

pytestmark = pytest.mark.usefixtures("fake_catalogue")
NOVEMBER = parse_period("2026-11")


def assessed(county: County) -> None:
    for kind in ("officer", "station"):
        services.save_scheme(
            kind=kind,
            year=2026,
            name="方案",
            items=[Item("rate", D("0.6"), D(100), D(50)), Item("warnings", D("0.4"), D(0), D(10))],
            actor=None,
        )
    VALUES["rate"].update({county.east_officer.pk: D(90), county.west_officer.pk: D(100)})
    VALUES["warnings"].update({county.east_officer.pk: D(0), county.west_officer.pk: D(5)})
    STATION_VALUES["rate"].update({county.east.pk: D(75), county.west.pk: D(100)})
    STATION_VALUES["warnings"].update({county.east.pk: D(2), county.west.pk: D(10)})
    for kind in ("officer", "station"):
        services.compute(kind=kind, period=NOVEMBER, actor=None)


def section(found: bulletin.Bulletin, heading: str) -> bulletin.Section:
    return next(s for s in found.sections if s.heading == heading)


def test_the_bulletin_ranks_the_stations_and_officers(county: County) -> None:
    assessed(county)
    found = bulletin.bulletin(period=NOVEMBER, unit=None, user=county.leader)
    assert found.title == "示范县市场监督管理局2026年11月效能监管工作通报"
    part = section(found, "二、效能考核情况")
    # east: rate 75 → 50, warnings 2 → 80: 0.6×50 + 0.4×80 = 62; west: 100, 0 → 60
    assert part.sentences[0] == (
        "本期对2个市场监管所进行效能考核，得分前列的是：城东所（62.00分）、城西所（60.00分）。"
    )
    assert "需要改进的方面：预警平均得分40.0分；完成率平均得分75.0分。" in part.sentences
    assert "对2名执法人员进行效能考核，最高88.00分，最低80.00分。" in part.sentences
    stations, officers = part.tables
    assert stations.rows == [[1, "城东所", D("62.00"), "50.00", "80.00"],
                             [2, "城西所", D("60.00"), "100.00", "0.00"]]  # fmt: skip
    assert [row[0] for row in officers.rows] == [1, 2]


def test_a_period_not_assessed_says_so_and_a_station_sees_its_own(county: County) -> None:
    found = bulletin.bulletin(period=NOVEMBER, unit=None, user=county.leader)
    assert section(found, "二、效能考核情况").sentences == ["本期效能考核尚未计算。"]
    assessed(county)
    east = bulletin.bulletin(period=NOVEMBER, unit=None, user=county.east_director)
    assert east.title.startswith("城东所2026年11月")
    rows = section(east, "二、效能考核情况").tables[0].rows
    assert [row[1] for row in rows] == ["城东所"]  # the west station is not in its bulletin


def test_the_page_and_its_files(county: County) -> None:
    assessed(county)
    client = client_for(county.leader)
    page = client.get("/assessment/bulletin/?period=2026-11")
    assert page.status_code == 200 and "效能监管工作通报" in page.content.decode()
    xlsx = client.get("/assessment/bulletin/?period=2026-11&download=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:2] == ["通报", "基层所效能考核排名"]
    md = client.get("/assessment/bulletin/?period=2026-11&download=md").content.decode()
    assert md.startswith("# 示范县市场监督管理局2026年11月效能监管工作通报")
    bad = client.get("/assessment/bulletin/?period=11-2026")
    assert bad.status_code == 400 and "考核期间应为月" in bad.content.decode()


def test_the_command_writes_the_file_or_refuses(county: County, tmp_path: Path) -> None:
    assessed(county)
    target = tmp_path / "通报.xlsx"
    out = io.StringIO()
    call_command("report", "bulletin", "--period", "2026-11", "-o", str(target), stdout=out)
    assert target.exists() and "效能监管工作通报" in out.getvalue()
    for args, message in (
        (["--period", "2026-11", "-o", str(tmp_path / "x.pdf")], "--format: 应为 xlsx 或 md"),
        (["--period", "2026/11", "-o", "-"], "--period: 考核期间应为月"),
        (["--period", "2026-11", "--unit", "NOPE", "-o", "-"], "--unit: 未知的单位代码：NOPE"),
        (["--period", "2026-11", "-o", str(tmp_path / "no" / "x.md")], "文件夹"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("report", "bulletin", *args)
    assert not (tmp_path / "x.pdf").exists()


def test_the_assess_command_computes_and_prints_the_top(county: County) -> None:
    assessed(county)
    out = io.StringIO()
    call_command("report", "assess", "--period", "2026-11", "--kind", "station", stdout=out)
    assert "2026年11月 基层所：2 个考核对象，2 个有得分" in out.getvalue()
    assert "62.00  城东所" in out.getvalue()
    with pytest.raises(CommandError, match="--period: 考核期间应为月"):
        call_command("report", "assess", "--period", "2026-14")
