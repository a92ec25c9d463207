"""Director spot checks (所长抽查): the monthly draw per officer, its seed, and the review."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import at, make_checklist, make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Inspection
from xiaoneng.org.models import Officer
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound

MARCH = "2026-03"


def signed_in_march(
    county: County, officer: Officer, count: int, *, director: bool = True, **values: Any
) -> list[Inspection]:
    """``count`` records led by ``officer``, signed on successive days of March 2026, with the
    east director on the team (the east officer when the director leads), unless told."""
    lon, lat = county.east_point()
    entity = make_entity(name="城东便利店", longitude=lon, latitude=lat)
    checklist = make_checklist(items=2)
    records = []
    for n in range(count):
        day = dt.date(2026, 3, 1 + n % 28)
        records.append(
            make_inspection(
                entity=entity,
                officers=[
                    officer,
                    county.east_director
                    if officer != county.east_director
                    else county.east_officer,
                ][: 2 if director else 1],
                checklist=checklist,
                visited_on=day,
                signed_at=at(day, 18),
                **values,
            )
        )
    return records


@pytest.fixture
def march(county: County) -> dict[str, list[Inspection]]:
    return {
        "officer": signed_in_march(county, county.east_officer, 30),
        "director": signed_in_march(county, county.east_director, 3),
    }


def reviewed_ids(drawn: ReviewRound, officer: Officer) -> list[int]:
    return sorted(
        drawn.reviews.filter(inspection__lead_officer=officer).values_list(
            "inspection_id", flat=True
        )
    )


def test_each_officer_gets_the_rate_of_their_records_rounded_up(
    county: County, march: dict[str, list[Inspection]], settings: Any
) -> None:
    settings.DIRECTOR_REVIEW_RATE = 0.05
    drawn = director_reviews.draw_reviews(unit=county.east, month=MARCH, actor=county.east_director)
    assert drawn.population == 33 and drawn.rate == Decimal("0.050")
    assert drawn.drawn_by == county.east_director
    assert len(reviewed_ids(drawn, county.east_officer)) == 2  # ⌈0.05 × 30⌉
    assert len(reviewed_ids(drawn, county.east_director)) == 1  # ⌈0.05 × 3⌉
    assert set(reviewed_ids(drawn, county.east_officer)) <= {r.pk for r in march["officer"]}
    assert set(drawn.reviews.values_list("status", flat=True)) == {"pending"}
    assert set(drawn.reviews.values_list("unit_id", flat=True)) == {county.east.pk}


def test_at_least_the_minimum_is_drawn_but_never_more_than_there_are(
    county: County, settings: Any
) -> None:
    settings.DIRECTOR_REVIEW_MINIMUM = 3
    signed_in_march(county, county.east_officer, 2)
    signed_in_march(county, county.east_director, 10)
    drawn = director_reviews.draw_reviews(unit=county.east, month=MARCH, rate="0.1")
    assert len(reviewed_ids(drawn, county.east_officer)) == 2
    assert len(reviewed_ids(drawn, county.east_director)) == 3
    assert director_reviews.verify_round(drawn)


def test_the_draw_is_reproducible_from_its_seed(
    county: County, march: dict[str, list[Inspection]]
) -> None:
    drawn = director_reviews.draw_reviews(
        unit=county.east, month=MARCH, rate="0.1", seed="S-E:2026-03:abc"
    )
    assert drawn.seed == "S-E:2026-03:abc"
    # The algorithm, written out: default_rng(SHA-256 of the seed); officers by id; a
    # permutation of each one's records by id; the first ⌈rate × n⌉.
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(b"S-E:2026-03:abc").digest(), "big"))
    expected = []
    for officer in sorted([county.east_officer, county.east_director], key=lambda o: o.pk):
        ids = sorted(
            r.pk for r in march["officer" if officer == county.east_officer else "director"]
        )
        order = [ids[i] for i in rng.permutation(len(ids))]
        expected += order[: -(-len(ids) // 10)]
    assert sorted(drawn.reviews.values_list("inspection_id", flat=True)) == sorted(expected)
    assert director_reviews.verify_round(drawn)


def test_a_round_whose_sample_was_changed_fails_verification(
    county: County, march: dict[str, list[Inspection]]
) -> None:
    drawn = director_reviews.draw_reviews(unit=county.east, month=MARCH)
    assert director_reviews.check_round(drawn) == director_reviews.Verification(True, [])
    chosen = set(drawn.reviews.values_list("inspection_id", flat=True))
    other = next(r for r in march["officer"] if r.pk not in chosen)
    DirectorReview.objects.filter(
        round=drawn, inspection__lead_officer=county.east_officer
    ).first().delete()  # type: ignore[union-attr]
    DirectorReview.objects.create(round=drawn, inspection=other, unit=county.east)
    outcome = director_reviews.check_round(drawn)
    assert not outcome.verified
    assert outcome.problems == [f"执法人员 #{county.east_officer.pk} 的抽查记录与种子不符"]


def test_one_round_per_station_and_month(
    county: County, march: dict[str, list[Inspection]]
) -> None:
    first = director_reviews.draw_reviews(unit=county.east, month=MARCH)
    again = director_reviews.draw_reviews(unit=county.east, month=MARCH, seed="another")
    assert again.pk == first.pk and again.seed == first.seed
    assert ReviewRound.objects.count() == 1
    assert DirectorReview.objects.count() == first.reviews.count()


def test_amendments_and_records_signed_outside_the_month_are_not_drawn(county: County) -> None:
    lon, lat = county.east_point()
    entity = make_entity(name="城东饭店", longitude=lon, latitude=lat)
    original = make_inspection(
        entity=entity,
        officers=[county.east_officer],
        visited_on=dt.date(2026, 2, 27),
        signed_at=at(dt.date(2026, 3, 1), 9),
    )
    make_inspection(
        entity=entity,
        officers=[county.east_officer],
        visited_on=dt.date(2026, 3, 31),
        signed_at=at(dt.date(2026, 4, 1), 9),
    )
    make_inspection(
        entity=entity,
        officers=[county.east_officer],
        amends=original,
        amendment_reason="更正",
        signed_at=at(dt.date(2026, 3, 5), 9),
    )
    drawn = director_reviews.draw_reviews(unit=county.east, month=MARCH)
    assert drawn.population == 1
    assert list(drawn.reviews.values_list("inspection_id", flat=True)) == [original.pk]


def test_an_empty_month_draws_an_empty_round(county: County) -> None:
    drawn = director_reviews.draw_reviews(unit=county.west, month=MARCH)
    assert (
        drawn.population == 0
        and drawn.reviews.count() == 0
        and director_reviews.verify_round(drawn)
    )


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def next_month() -> str:
    today = timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=10)).strftime("%Y-%m")


@pytest.mark.parametrize("month", ["this", "next"])
def test_a_month_not_over_is_refused_and_nothing_written(county: County, month: str) -> None:
    text = this_month() if month == "this" else next_month()
    with pytest.raises(InvalidInput) as refused:
        director_reviews.draw_reviews(unit=county.east, month=text)
    assert refused.value.errors[0].field == "month"
    assert refused.value.errors[0].message == f"{text} 尚未结束，月份结束后才能抽查"
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"month": "2026-3"}, "month", "月份应为 YYYY-MM：“2026-3”"),
        ({"rate": "0"}, "rate", "抽查比例应大于 0 且不超过 1：“0”"),
        ({"rate": "1.5"}, "rate", "抽查比例应大于 0 且不超过 1：“1.5”"),
        ({"rate": "五成"}, "rate", "抽查比例应大于 0 且不超过 1：“五成”"),
        ({"seed": "x" * 65}, "seed", "随机种子应为 1 至 64 个字符"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    county: County, values: dict[str, str], field: str, message: str
) -> None:
    arguments: dict[str, Any] = {"unit": county.east, "month": MARCH} | values
    with pytest.raises(InvalidInput) as refused:
        director_reviews.draw_reviews(**arguments)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert not ReviewRound.objects.exists()


def test_only_a_station_is_drawn_and_only_by_a_reviewer_in_scope(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        director_reviews.draw_reviews(unit=county.division, month=MARCH)
    assert refused.value.errors[0].message == "只能抽查所的检查记录：信用监管科"
    with pytest.raises(NotPermitted):
        director_reviews.draw_reviews(unit=county.east, month=MARCH, actor=county.west_director)
    with pytest.raises(NotPermitted):
        director_reviews.draw_reviews(unit=county.east, month=MARCH, actor=county.east_officer)
    assert not ReviewRound.objects.exists()


# Reviewing ---------------------------------------------------------------------------------


@pytest.fixture
def review(county: County, march: dict[str, list[Inspection]]) -> DirectorReview:
    drawn = director_reviews.draw_reviews(unit=county.east, month=MARCH)
    return drawn.reviews.filter(inspection__lead_officer=county.east_officer).first()  # type: ignore[return-value]


def other_director(county: County) -> Officer:
    from tests.org.factories import OfficerFactory
    from xiaoneng.org.models import Role

    return OfficerFactory(username="deputy", unit=county.east, roles=[Role.STATION_DIRECTOR])


def test_the_director_confirms_a_record(county: County, review: DirectorReview) -> None:
    deputy = other_director(county)
    director_reviews.review_inspection(
        review=review, actor=deputy, confirmed=True, method="电话回访经营者", note=""
    )
    review.refresh_from_db()
    assert review.status == "confirmed" and review.reviewer == deputy
    assert review.method == "电话回访经营者" and review.reviewed_at is not None


def test_a_problem_needs_a_note(county: County, review: DirectorReview) -> None:
    with pytest.raises(InvalidInput) as refused:
        director_reviews.review_inspection(
            review=review, actor=county.division_staff, confirmed=False, method="实地复核", note=" "
        )
    assert refused.value.errors[0].field == "note"
    assert refused.value.errors[0].message == "发现问题时请填写抽查意见"
    review.refresh_from_db()
    assert review.status == "pending" and review.reviewer is None
    director_reviews.review_inspection(
        review=review,
        actor=county.division_staff,
        confirmed=False,
        method="实地复核",
        note="现场未见检查痕迹",
    )
    review.refresh_from_db()
    assert review.status == "problem" and review.note == "现场未见检查痕迹"


def test_a_review_needs_its_method(county: County, review: DirectorReview) -> None:
    with pytest.raises(InvalidInput) as refused:
        director_reviews.review_inspection(
            review=review, actor=county.division_staff, confirmed=True, method="", note=""
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "method",
        "请填写抽查方式（如电话回访、实地复核）",
    )


def test_nobody_reviews_a_record_of_their_own_team(county: County, review: DirectorReview) -> None:
    # The east director signed the record as the second member of its team.
    with pytest.raises(NotPermitted) as refused:
        director_reviews.review_inspection(
            review=review, actor=county.east_director, confirmed=True, method="实地复核", note=""
        )
    assert refused.value.message == "不能抽查本人参与的检查记录。"


def test_only_a_reviewer_in_scope_reviews(county: County, review: DirectorReview) -> None:
    with pytest.raises(NotPermitted):
        director_reviews.review_inspection(
            review=review, actor=county.west_director, confirmed=True, method="实地复核", note=""
        )
    with pytest.raises(NotPermitted):
        director_reviews.review_inspection(
            review=review, actor=county.east_officer, confirmed=True, method="实地复核", note=""
        )
    review.refresh_from_db()
    assert review.status == "pending"


def test_a_review_is_concluded_once(county: County, review: DirectorReview) -> None:
    director_reviews.review_inspection(
        review=review, actor=county.division_staff, confirmed=True, method="实地复核", note=""
    )
    with pytest.raises(Conflict) as refused:
        director_reviews.review_inspection(
            review=review,
            actor=county.division_staff,
            confirmed=False,
            method="实地复核",
            note="再看",
        )
    assert refused.value.message == "所长抽查状态为“属实规范”，不能改为“存在问题”"


# The CLI -------------------------------------------------------------------------------------


def test_the_cli_draws_every_station_and_verifies(
    county: County, march: dict[str, list[Inspection]]
) -> None:
    from io import StringIO

    out = StringIO()
    call_command("review", "draw", "--month", MARCH, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("S-E 城东所 2026-03: 抽取 drawn 3 / 33")
    assert lines[1].startswith("S-W 城西所 2026-03: 抽取 drawn 0 / 0")
    again = StringIO()
    call_command("review", "draw", "--month", MARCH, "--unit", "S-E", stdout=again)
    assert ReviewRound.objects.count() == 2
    assert again.getvalue().rstrip().endswith("（此前已抽取 drawn before）")
    checked = StringIO()
    call_command("review", "verify", "--month", MARCH, stdout=checked)
    assert checked.getvalue().count("一致 verified") == 2
    nothing = StringIO()
    call_command("review", "verify", "--month", "2026-01", stdout=nothing)
    assert nothing.getvalue() == "2026-01: 没有已抽取的批次 no rounds drawn\n"


@pytest.mark.parametrize(
    "arguments",
    [["--month", "2026-3"], ["--month", MARCH, "--unit", "NOPE"], ["--month", "2099-01"]],
)
def test_the_cli_refuses_bad_input_with_status_2(county: County, arguments: list[str]) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("review", "draw", *arguments)
    assert refused.value.returncode == 2
    assert not ReviewRound.objects.exists()
