"""Period report input and scope: each field checked, a station user kept to their station;
the period named as bulletins name it."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.reports.helpers import D, make_case, report
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.reports.scope import parse_request
from xiaoneng.reports.text import period_label


def test_period_labels_as_bulletins_name_them() -> None:
    assert period_label(D(2026, 1, 1), D(2026, 6, 30)) == "2026年上半年"
    assert period_label(D(2026, 1, 1), D(2026, 12, 31)) == "2026年"
    assert period_label(D(2026, 4, 1), D(2026, 6, 30)) == "2026年第二季度"
    assert period_label(D(2026, 3, 1), D(2026, 3, 31)) == "2026年3月"
    assert period_label(D(2026, 3, 5), D(2026, 4, 2)) == "2026年3月5日至2026年4月2日"


@pytest.mark.parametrize(
    ("start", "end", "unit", "field", "message"),
    [
        ("2026-07-01", "2026-06-30", "", "to", "结束日期 2026-06-30 早于开始日期 2026-07-01"),
        ("2026/01/01", "2026-06-30", "", "from", "开始日期应为 YYYY-MM-DD 格式的日期：2026/01/01"),
        ("2026-01-01", "2026-02-30", "", "to", "结束日期应为 YYYY-MM-DD 格式的日期：2026-02-30"),
        ("", "2026-06-30", "", "from", "请填写开始日期（YYYY-MM-DD）"),
        ("2023-01-01", "2026-01-01", "", "to", "报告期间不能超过 3 年：2023-01-01 至 2026-01-01"),
        ("2026-01-01", "2026-06-30", "NOPE", "unit", "未知的单位代码：NOPE"),
    ],
)
def test_bad_input_names_the_field(
    county: County, start: str, end: str, unit: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_request(start=start, end=end, unit_code=unit, user=county.leader)
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]


def test_three_years_less_a_day_is_accepted(county: County) -> None:
    assert parse_request(start="2023-01-01", end="2025-12-31", unit_code="", user=None)[1] == D(
        2025, 12, 31
    )


def test_the_service_refuses_an_end_before_the_start(county: County) -> None:
    with pytest.raises(InvalidInput) as caught:
        report(county, start=D(2026, 7, 1), end=D(2026, 6, 30))
    assert caught.value.errors[0].field == "to"


def test_a_station_user_cannot_report_another_station(county: County) -> None:
    with pytest.raises(NotPermitted) as caught:
        parse_request(
            start="2026-01-01", end="2026-06-30", unit_code="S-W", user=county.east_director
        )
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("unit", "单位不在您的辖区内：S-W")
    ]
    with pytest.raises(NotPermitted):
        report(county, unit=county.west, user=county.east_officer)


def test_a_station_users_report_covers_their_station_only(county: County) -> None:
    make_case(county.east, county.east_officer)
    make_case(county.west, county.west_officer)
    mine = report(county, user=county.east_officer)
    assert (mine.unit_code, mine.cases.filed) == ("S-E", 1)
    everything = report(county, user=county.division_staff)
    assert (everything.unit_code, everything.cases.filed) == ("B", 2)
