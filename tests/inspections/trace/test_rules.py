"""Trace rules: each of the six doubts is raised on a crafted record and not just under its
threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import at, make_inspection
from tests.inspections.trace.helpers import (
    MONDAY,
    D,
    day_of_visits,
    flags,
    north_of,
    photo,
    run_of,
    visit,
)
from tests.registry.factories import make_entity
from xiaoneng.inspections.models import Checklist, Inspection, TraceFlag
from xiaoneng.inspections.trace import services as trace
from xiaoneng.registry.models import Entity

# The thresholds of ``helpers.LIMITS``, whatever the environment sets.
pytestmark = pytest.mark.usefixtures("limits")


# far -----------------------------------------------------------------------------------------


def test_a_check_in_far_from_the_entity_is_flagged_with_the_distance(
    county: County, place: Entity, checklist: Checklist
) -> None:
    far = visit(county, place, checklist, checkin=north_of(place, 1_800))
    summary = trace.check()
    assert summary.raised == {"far": 1}
    assert flags() == [(far.pk, "far", "签到位置距主体登记位置 1.8 公里（阈值 500 米）")]
    flag = TraceFlag.objects.get()
    assert flag.unit_id == county.east.pk and flag.status == "open" and flag.raised_at


def test_a_check_in_just_inside_the_distance_is_not_flagged(
    county: County, place: Entity, checklist: Checklist
) -> None:
    visit(county, place, checklist, checkin=north_of(place, 490))
    assert trace.check().total == 0


def test_the_distance_is_not_judged_without_both_positions_or_for_a_documentary_check(
    county: County, checklist: Checklist
) -> None:
    lon, lat = county.east_point()
    unplaced = make_entity(name="未定位商店", longitude=None, latitude=None)
    placed = make_entity(name="已定位商店", longitude=lon, latitude=lat)
    visit(county, unplaced, checklist, checkin=(lon, lat + 0.1))
    visit(county, placed, checklist, checkin=(lon, lat + 0.1), kind="documentary")
    without = visit(county, placed, checklist, checkin=(lon, lat))
    Inspection.objects.filter(pk=without.pk).update(checkin_longitude=None, checkin_latitude=None)
    assert trace.check().raised.get("far", 0) == 0


def test_the_distance_threshold_comes_from_the_settings(
    county: County, place: Entity, checklist: Checklist, limits: dict[str, Any]
) -> None:
    visit(county, place, checklist, checkin=north_of(place, 1_800))
    limits["max_distance_m"] = 2_000.0
    assert trace.check().total == 0


# short ---------------------------------------------------------------------------------------


def test_a_visit_shorter_than_the_minimum_is_flagged_and_one_of_the_minimum_is_not(
    county: County, place: Entity, checklist: Checklist
) -> None:
    short = visit(county, place, checklist, minutes=4)
    visit(county, place, checklist, minutes=5, start_hour=10)
    visit(county, place, checklist, minutes=2, start_hour=11, kind="documentary")
    trace.check()
    assert flags() == [(short.pk, "short", "现场检查用时 4 分钟（阈值 5 分钟）")]


# many ----------------------------------------------------------------------------------------


def test_more_visits_in_a_day_than_possible_flags_every_record_of_that_day(
    county: County, place: Entity, checklist: Checklist
) -> None:
    records = day_of_visits(county, place, checklist, 13)
    visit(county, place, checklist, visited_on=D(2026, 3, 3))
    summary = trace.check()
    assert summary.raised == {"many": 13}
    assert flags() == [
        (r.pk, "many", "主查人 2026-03-02 签名现场检查 13 户（阈值每日 12 户）") for r in records
    ]


def test_as_many_visits_as_possible_are_not_flagged(
    county: County, place: Entity, checklist: Checklist
) -> None:
    day_of_visits(county, place, checklist, 12)
    # Another officer's visit, a documentary check and an amendment do not count.
    make_inspection(
        entity=place, officers=[county.east_director], checklist=checklist, visited_on=MONDAY
    )
    visit(county, place, checklist, visited_on=MONDAY, kind="documentary")
    first = Inspection.objects.filter(lead_officer=county.east_officer).order_by("id").first()
    visit(county, place, checklist, visited_on=MONDAY, amends=first, amendment_reason="更正笔误")
    assert trace.check().raised.get("many", 0) == 0


# photo ---------------------------------------------------------------------------------------


def test_the_same_photo_in_two_inspections_flags_both_naming_the_other(
    county: County, checklist: Checklist
) -> None:
    lon, lat = county.east_point()
    shop = make_entity(name="甲商店", longitude=lon, latitude=lat)
    cafe = make_entity(name="乙饭店", longitude=lon, latitude=lat)
    first = visit(county, shop, checklist, visited_on=D(2026, 3, 2))
    second = visit(county, cafe, checklist, visited_on=D(2026, 3, 5))
    photo(first, "a" * 64)
    photo(second, "a" * 64)
    photo(second, "b" * 64)
    assert trace.check().raised == {"photo": 2}
    assert flags() == [
        (first.pk, "photo", f"照片与检查记录 #{second.pk}（乙饭店，2026-03-05）相同"),
        (second.pk, "photo", f"照片与检查记录 #{first.pk}（甲商店，2026-03-02）相同"),
    ]


def test_photos_that_differ_a_repeated_document_and_an_amendments_photos_are_not_flagged(
    county: County, place: Entity, checklist: Checklist
) -> None:
    first = visit(county, place, checklist)
    other = visit(county, place, checklist, start_hour=11)
    photo(first, "a" * 64)
    photo(other, "b" * 64)
    photo(first, "d" * 64, kind="document")
    photo(other, "d" * 64, kind="document")
    correction = visit(county, place, checklist, amends=first, amendment_reason="补充说明")
    photo(correction, "a" * 64)
    again = visit(county, place, checklist, amends=correction, amendment_reason="再次更正")
    photo(again, "a" * 64)
    draft = visit(county, place, checklist, signed=False)
    photo(draft, "b" * 64)
    assert trace.check().raised.get("photo", 0) == 0


def test_a_photo_shared_by_many_records_names_three_and_counts_the_rest(
    county: County, place: Entity, checklist: Checklist
) -> None:
    records = [visit(county, place, checklist, visited_on=D(2026, 3, 2 + n)) for n in range(5)]
    for record in records:
        photo(record, "c" * 64)
    trace.check()
    detail = TraceFlag.objects.get(inspection=records[0]).detail
    assert detail.startswith(f"照片与检查记录 #{records[1].pk}（城东放心超市，2026-03-03）、")
    assert detail.endswith("等 4 份其他记录相同")


# late ----------------------------------------------------------------------------------------


def test_a_record_signed_long_after_the_visit_is_flagged_and_one_just_in_time_is_not(
    county: County, place: Entity, checklist: Checklist
) -> None:
    ended = at(MONDAY, 9, 30)
    late = visit(county, place, checklist, signed_at=ended + dt.timedelta(hours=73))
    visit(
        county,
        place,
        checklist,
        start_hour=11,
        signed_at=at(MONDAY, 11, 30) + dt.timedelta(hours=71),
    )
    trace.check()
    assert flags() == [(late.pk, "late", "检查结束后 73 小时才签名（阈值 72 小时）")]


def test_without_an_end_time_the_delay_counts_from_the_end_of_the_visit_day(
    county: County, place: Entity, checklist: Checklist
) -> None:
    end_of_day = at(MONDAY + dt.timedelta(days=1), 0)
    late = visit(county, place, checklist, signed_at=end_of_day + dt.timedelta(hours=80))
    on_time = visit(
        county, place, checklist, start_hour=11, signed_at=end_of_day + dt.timedelta(hours=70)
    )
    Inspection.objects.filter(pk__in=[late.pk, on_time.pk]).update(finished_at=None)
    trace.check()
    assert flags() == [(late.pk, "late", "检查日结束后 80 小时才签名（阈值 72 小时）")]


def test_an_amendment_signed_long_after_the_visit_is_not_late(
    county: County, place: Entity, checklist: Checklist
) -> None:
    first = visit(county, place, checklist)
    visit(
        county,
        place,
        checklist,
        amends=first,
        amendment_reason="补充整改要求",
        signed_at=at(MONDAY, 9) + dt.timedelta(days=10),
    )
    assert trace.check().raised.get("late", 0) == 0


# uniform -------------------------------------------------------------------------------------


def test_a_run_of_uniform_records_flags_each_record_of_the_run(
    county: County, place: Entity, checklist: Checklist
) -> None:
    records = run_of(county, place, checklist, [False] + [True] * 9 + [False])
    assert trace.check().raised == {"uniform": 9}
    assert flags() == [
        (r.pk, "uniform", "主查人连续 9 份记录全部同一结论且无说明（阈值 8 份）")
        for r in records[1:10]
    ]


def test_a_run_one_short_is_not_flagged_nor_are_runs_of_different_officers(
    county: County, place: Entity, checklist: Checklist
) -> None:
    run_of(county, place, checklist, [True] * 7 + [False] + [True] * 7)
    for n in range(3):
        make_inspection(
            entity=place,
            officers=[county.east_director],
            checklist=checklist,
            visited_on=D(2026, 3, 2 + n),
        )
    assert trace.check().total == 0


def test_a_record_with_a_note_breaks_a_run(
    county: County, place: Entity, checklist: Checklist
) -> None:
    run_of(county, place, checklist, [True] * 4)
    make_inspection(
        entity=place,
        officers=[county.east_officer],
        checklist=checklist,
        visited_on=D(2026, 3, 6),
        notes=["", "货架整洁", ""],
    )
    run_of(county, place, checklist, [True] * 4, first_day=7)
    assert trace.check().total == 0
