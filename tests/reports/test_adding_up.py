"""Issue 9, items 7, 8 and 10: the figures a report quotes add up — the parts of a sentence to
its total, every column of a table to its 合计, in the text, the Markdown and the workbook — and
the leader's view counts overdue and warned orders as the report does."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import County, client_for
from tests.inspections.factories import make_inspection
from tests.reports.helpers import TODAY, D, east_entity, make_case, rectification, report
from xiaoneng.cases.models import CaseKind, Collection, ConfiscatedGoods
from xiaoneng.inspections.models import Rectification, Sample, SamplingPlan
from xiaoneng.oversight.leader.queries import oversight
from xiaoneng.reports.export import case_table, goods_table, markdown, tables, write_xlsx
from xiaoneng.reports.text import period_label, sentences, title, wan_parts

R = Rectification.Status


def orders_of_every_standing(county: County) -> None:
    """Five orders issued on 2 March: one rectified after a warning, one escalated after a
    warning, one warned and still open, one past its deadline not yet warned, one in time."""
    inspection = make_inspection(
        entity=east_entity(county), officers=[county.east_officer, county.east_director]
    )
    late, warned_on = D(2026, 3, 16), D(2026, 3, 17)
    rectification(inspection, deadline=late, status=R.RECTIFIED, warned_on=warned_on)
    rectification(inspection, deadline=late, status=R.ESCALATED, warned_on=warned_on)
    rectification(inspection, deadline=late, status=R.WARNED, warned_on=warned_on)
    rectification(inspection, deadline=D(2026, 7, 1))  # past on TODAY, not yet warned
    rectification(inspection, deadline=D(2026, 7, 20))  # in time on TODAY


def parts_of(text: str, total_clause: str) -> tuple[int, list[int], list[int]]:
    """The total a sentence quotes after ``total_clause``, its parts, and the sub-parts in
    brackets (其中…), each a number before 份 or 批次."""
    found = re.search(rf"{total_clause}(\d+)(份|批次)", text)
    assert found, text
    rest = text[found.end() :]
    inner = re.findall(r"（([^）]*)）", rest)
    outer = re.sub(r"（[^）]*）", "", rest)
    numbers = r"(\d+)(?:份|批次)"
    subparts = [int(n) for part in inner for n in re.findall(numbers, part)]
    return int(found[1]), [int(n) for n in re.findall(numbers, outer)], subparts


def rectification_sentence(written: list[str]) -> str:
    return next(s for s in written if "下达责令整改通知书" in s)


# 7: rectification orders --------------------------------------------------------------------


def test_the_rectification_sentence_parts_add_up_to_the_orders_issued(county: County) -> None:
    orders_of_every_standing(county)
    text = rectification_sentence(sentences(report(county)))
    total, parts, warned = parts_of(text, "下达责令整改通知书")
    assert total == 5
    assert sum(parts) == total, text
    assert text == (
        "下达责令整改通知书5份，已整改到位1份，转立案查处1份，"
        "逾期未整改2份（其中逾期警示1份），尚在整改期限内1份。"
    )
    assert warned == [1]


def test_an_order_warned_then_escalated_counts_once_as_escalated(county: County) -> None:
    orders_of_every_standing(county)
    figures = report(county).inspections
    assert (figures.rectified, figures.escalated, figures.overdue, figures.in_time) == (1, 1, 2, 1)
    assert figures.warned == 1  # standing warned on the day of the report, not ever warned
    parts = figures.rectified + figures.escalated + figures.overdue + figures.in_time
    assert parts == figures.rectifications


def test_the_leader_view_counts_overdue_and_warned_orders_as_the_report(county: County) -> None:
    orders_of_every_standing(county)
    figures = report(county).inspections
    view = oversight(user=county.leader, today=TODAY)
    assert view.item("rectifications_overdue").count == figures.overdue == 2
    assert view.item("rectifications_warned").count == figures.warned == 1


def test_the_inspection_table_lists_the_standings_that_add_up(county: County) -> None:
    orders_of_every_standing(county)
    rows = dict((label, n) for label, n in tables(report(county))[3].rows)
    parts = ["已整改（份）", "转立案（份）", "逾期未整改（份）", "整改期限内（份）"]
    assert sum(rows[p] for p in parts) == rows["下达责令整改（份）"] == 5
    assert rows["逾期未整改·其中逾期警示（份）"] == 1


def test_the_api_answers_standings_that_add_up(county: County) -> None:
    orders_of_every_standing(county)
    response = client_for(county.leader).get(
        "/api/v1/reports/period", {"from": "2026-01-01", "to": "2026-06-30"}
    )
    assert response.status_code == 200, response.content
    figures = response.json()["inspections"]
    parts = [figures[k] for k in ("rectified", "escalated", "overdue", "in_time")]
    assert (figures["rectifications"], sum(parts), figures["warned"]) == (5, 5, 1)


# 8: batches still at the laboratory ---------------------------------------------------------


def sample_batches(county: County) -> None:
    """Two categories: 化肥 3 passed, 1 failed, 2 pending; 种子 1 passed. Firm 农资店0 is
    sampled in both categories."""
    for category, results in (("化肥", "PPFNN"), ("种子", "P")):
        plan = SamplingPlan.objects.create(
            year=2026,
            title=f"{category}监督抽查",
            category=category,
            region_code="654002",
            unit=county.division,
            planned_batches=10,
        )
        for n, result in enumerate(results + ("P" if category == "化肥" else "")):
            Sample.objects.create(
                plan=plan,
                firm_name=f"农资店{n}",
                product=category,
                batch_number=f"{category}{n}",
                sampled_on=D(2026, 5, 6),
                region_code="654002",
                unit=county.east,
                result={"P": "pass", "F": "fail", "N": "pending"}[result],
            )


def test_pending_batches_are_a_part_of_their_own_in_the_sampling_sentence(
    county: County,
) -> None:
    sample_batches(county)
    figures = report(county).sampling
    assert (figures.batches, figures.passed, figures.failed, figures.pending) == (7, 4, 1, 2)
    assert figures.rate == Decimal("80.0")  # 4 of the 5 batches with a verdict
    text = next(s for s in sentences(report(county)) if "监督抽查" in s)
    total, parts, _inner = parts_of(text, "的")
    assert (total, sum(parts)) == (7, 7), text
    assert "检验中2批次" in text and "合格率为80.0%（不含检验中批次）" in text


# 10: columns that cross-foot ----------------------------------------------------------------


def test_rounded_parts_add_up_to_the_total_rounded_once() -> None:
    assert wan_parts([Decimal("50"), Decimal("50"), Decimal("50")]) == [
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.00"),
    ]
    yuan = [Decimal("6649.99"), Decimal("5000.00"), Decimal("1234.56"), Decimal("0")]
    rounded = wan_parts(yuan)
    # 12,884.55 yuan is 1.29万元; rounded one by one the parts would give 0.66 + 0.50 + 0.12
    assert sum(rounded) == Decimal("1.29")
    assert rounded == [Decimal("0.67"), Decimal("0.50"), Decimal("0.12"), Decimal("0.00")]
    assert wan_parts([]) == []


def cases_that_round_badly(county: County, yuan: tuple[str, str, str] = ("50", "50", "50")) -> None:
    """Three kinds, 双打, 涉农 and 食品, with case value and collected ``yuan`` each; 50 yuan
    (0.005万元) rounds up alone, but three of them make 0.02万元, not 0.03."""
    kinds = (CaseKind.COUNTERFEIT, CaseKind.AGRICULTURAL, CaseKind.FOOD)
    for kind, amount in zip(kinds, yuan, strict=True):
        case = make_case(county.east, county.east_officer, kind=kind, value=amount)
        Collection.objects.create(
            case=case,
            kind=Collection.Kind.FINE,
            amount=Decimal(amount),
            collected_on=D(2026, 4, 1),
            unit=case.unit,
        )


def numeric(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def assert_columns_add_up(rows: list[list[Any]], name: str) -> None:
    *parts, total = rows
    for column, cell in enumerate(total):
        if numeric(cell):
            summed = sum(Decimal(str(row[column])) for row in parts)
            assert summed == Decimal(str(cell)), (name, column, summed, cell)


def test_every_table_with_a_total_row_adds_up(county: County) -> None:
    cases_that_round_badly(county)
    sample_batches(county)
    result = report(county)
    with_total = [t for t in tables(result) if t.rows and t.rows[-1][0] == "合计"]
    assert {t.title for t in with_total} == {"案件", "监督抽查"}
    for table in with_total:
        # 企业 of the 合计 counts a firm sampled in two categories once, as the header says.
        rows = [
            [None if "不重复" in table.columns[i] else v for i, v in enumerate(row)]
            for row in table.rows
        ]
        assert_columns_add_up(rows, table.title)
    assert case_table(result).rows[-1][3:] == [Decimal("0.02"), Decimal("0.02")]


def test_the_text_quotes_the_kinds_as_the_table_and_adds_up_to_the_headline(
    county: County,
) -> None:
    # 45 + 45 + 60 yuan = 0.02万元; one by one 0.00 + 0.00 + 0.01. The largest remainders
    # (食品 .6, then 双打 .45 before 涉农 .45) get the two hundredths.
    cases_that_round_badly(county, ("45", "45", "60"))
    result = report(county)
    written = sentences(result)
    assert written[0] == "立案查处各类案件3起，案值达0.02万元，罚没款入库0.02万元。"
    assert (
        "查处制售假冒伪劣商品和侵犯注册商标专用权案件1起，总案值达0.01万元，罚没款入库0.01万元。"
        in written
    )
    assert "共查处涉农案件1起。" in written
    rows = {row[0]: row[3:] for row in case_table(result).rows}
    assert rows["侵权假冒（双打）"] == [Decimal("0.01"), Decimal("0.01")]
    assert rows["涉农（农资）"] == [Decimal("0.00"), Decimal("0.00")]
    assert rows["食品安全"] == rows["侵权假冒（双打）"]
    assert rows["合计"] == [Decimal("0.02"), Decimal("0.02")]


def test_the_workbook_and_the_markdown_cross_foot(county: County) -> None:
    cases_that_round_badly(county)
    result = report(county)
    buffer = io.BytesIO()
    write_xlsx(result, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["案件"]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[-1][0] == "合计"
    assert_columns_add_up([[v if numeric(v) else None for v in r] for r in rows], "xlsx")
    lines = markdown(result).split("## 案件", 1)[1].split("##", 1)[0].strip().splitlines()
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    assert cells[-1][0] == "合计"
    assert_columns_add_up([[None, *(Decimal(c) for c in r[1:])] for r in cells], "md")


# 10: the title of a single day, goods in their measure --------------------------------------


def test_a_single_day_is_titled_as_one_day(county: County) -> None:
    day = D(2026, 12, 6)
    assert period_label(day, day) == "2026年12月6日"
    assert title(report(county, start=day, end=day)) == "示范县市场监督管理局2026年12月6日工作情况"
    assert period_label(day, D(2026, 12, 7)) == "2026年12月6日至2026年12月7日"


@pytest.mark.parametrize(
    ("quantity", "measure", "shown", "in_text"),
    [
        ("206.000", "千克", 206, "过期食品206千克"),
        ("4.950", "吨", Decimal("4.95"), "过期食品4.95吨"),
        ("12", "箱", 12, "过期食品12箱"),
    ],
)
def test_goods_are_reported_in_their_recorded_measure_as_numbers(
    county: County, quantity: str, measure: str, shown: Any, in_text: str
) -> None:
    case = make_case(county.east, county.east_officer, kind=CaseKind.FOOD)
    ConfiscatedGoods.objects.create(
        case=case,
        description="过期食品",
        quantity=Decimal(quantity),
        measure=measure,
        value=Decimal("100"),
    )
    result = report(county)
    assert goods_table(result).rows == [["食品安全", "过期食品", shown, measure, Decimal("0.01")]]
    assert f"依法没收{in_text}。" in sentences(result)
