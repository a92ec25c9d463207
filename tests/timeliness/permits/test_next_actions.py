"""The steps a case offers (``next_actions``) are those its services let through: the
stages in order, 一审一核, 审核分离, 移交 while open, and the clock's notice, suspension and
resumption; the case page shows its clock in the clocks panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.timeliness.permits.factories import day, make_case, make_item
from xiaoneng.timeliness.clocks.models import Clock
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits import suspensions
from xiaoneng.timeliness.permits.steps import next_actions

pytestmark = pytest.mark.django_db


def test_the_steps_follow_the_stages_and_the_clock(county):
    officer, director = county.east_officer, county.east_director
    case = make_case(officer)
    assert next_actions(case, officer) == ["accept", "reject", "withdraw", "hand_on"]
    permits.accept_case(case=case, actor=officer, on=day(1))
    running = ["review", "withdraw", "hand_on"]
    assert next_actions(case, officer) == [*running, "notice", "suspend"]
    suspensions.issue_notice(case=case, actor=officer, materials="申请书", on=day(2))
    assert next_actions(case, officer) == [*running, "materials", "resume"]
    suspensions.materials_received(case=case, actor=officer, on=day(3))
    permits.review_case(case=case, actor=officer, on=day(3))
    assert "approve" not in next_actions(case, officer)  # 审核分离
    assert next_actions(case, director)[:2] == ["approve", "withdraw"]
    permits.approve_case(case=case, actor=director, on=day(3))
    assert next_actions(case, director)[:2] == ["complete", "withdraw"]
    permits.complete_case(case=case, actor=director, on=day(4), outcome="granted")
    assert next_actions(case, director) == []


def test_a_single_review_item_goes_from_acceptance_straight_to_approval(county):
    case = make_case(county.east_officer, item=make_item(single_review=True), accepted=day(1))
    steps = next_actions(case, county.east_officer)
    assert "approve" in steps and "review" not in steps


def test_whoever_does_not_handle_the_case_is_offered_nothing(county):
    case = make_case(county.east_officer, accepted=day(1))
    assert next_actions(case, county.leader) == []
    assert next_actions(case, county.west_officer) == []


def test_the_case_page_shows_its_clock_in_the_clocks_panel(county):
    case = make_case(county.east_officer, accepted=day(1))
    clock = Clock.objects.get(subject_type="service_case", subject_id=case.pk)
    url = reverse("timeliness:service_case_detail", args=[case.pk])
    page = client_for(county.east_officer).get(url)
    assert [row["clock"] for row in page.context["clock_rows"]] == [clock]
    assert f'data-clock="{clock.pk}"' in page.content.decode()
