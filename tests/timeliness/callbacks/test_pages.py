"""The callback pages: the list (pending first), the answer form a caller fills on a phone,
the rounds and their draw, the rules, the problems, the satisfaction page and its XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.org.factories import OfficerFactory
from tests.timeliness.callbacks.factories import drawn_round, make_service_case, pending
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.models import (
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
)

pytestmark = pytest.mark.django_db
CALLED = dt.date(2026, 5, 6)


def _answer(client, callback, **data):
    values = {"channel": "phone", "called_on": CALLED.isoformat(), "overall": "satisfied"}
    return client.post(reverse("timeliness:callback_answer", args=[callback.pk]), values | data)


def test_the_list_shows_pending_first_and_filters(county):
    drawn = drawn_round(county, n=3)
    first, *rest = drawn.callbacks.order_by("id")
    callbacks.record_callback(
        callback=first,
        channel="phone",
        called_on=CALLED,
        answers={"overall": "satisfied"},
        actor=county.east_director,
    )
    client = client_for(county.east_director)
    page = client.get(reverse("timeliness:callback_list")).content.decode()
    listed = [int(pk) for pk in re.findall(r'href="/callbacks/(\d+)/"', page)]
    assert listed == [c.pk for c in rest] + [first.pk]  # pending first
    done = client.get(reverse("timeliness:callback_list"), {"status": "done"}).content.decode()
    assert re.findall(r'href="/callbacks/(\d+)/"', done) == [str(first.pk)]
    west = client_for(county.west_director).get(reverse("timeliness:callback_list"))
    assert "张三" not in west.content.decode()


def test_the_detail_links_the_record_and_a_caller_records_the_answers(county):
    callback = pending(county)
    client = client_for(county.east_director)
    page = client.get(reverse("timeliness:callback_detail", args=[callback.pk])).content.decode()
    assert 'data-testid="answer-form"' in page and 'data-testid="subject-link"' in page
    assert 'name="viewport"' in page or "viewport" in page  # the base layout's phone viewport
    response = _answer(client, callback, attitude="basic", remarks="满意")
    assert response.status_code == 302
    callback.refresh_from_db()
    assert (callback.status, callback.attitude, callback.overall) == ("done", "basic", "satisfied")


def test_the_officer_asked_about_gets_no_form_and_is_refused(county):
    callback = pending(county)
    client = client_for(county.east_officer)
    page = client.get(reverse("timeliness:callback_detail", args=[callback.pk])).content.decode()
    assert 'data-testid="answer-form"' not in page
    assert _answer(client, callback).status_code == 403
    assert Callback.objects.get().status == "pending"


def test_a_grid_officer_gets_no_form_and_is_refused_the_supervision_staff_record(county):
    callback = pending(county)
    colleague = client_for(OfficerFactory(username="east_colleague", unit=county.east))
    url = reverse("timeliness:callback_detail", args=[callback.pk])
    page = colleague.get(url).content.decode()
    assert "张三" in page and 'data-testid="answer-form"' not in page
    assert _answer(colleague, callback).status_code == 403
    unreachable = reverse("timeliness:callback_unreachable", args=[callback.pk])
    assert colleague.post(unreachable, {"called_on": CALLED.isoformat()}).status_code == 403
    callback.refresh_from_db()
    assert (callback.status, callback.called_on, callback.caller) == ("pending", None, None)
    staff = client_for(county.division_staff)
    assert 'data-testid="answer-form"' in staff.get(url).content.decode()
    assert _answer(staff, callback).status_code == 302
    callback.refresh_from_db()
    assert (callback.status, callback.caller) == ("done", county.division_staff)


def test_a_bad_answer_shows_the_form_again_with_the_message(county):
    callback = pending(county)
    client = client_for(county.east_director)
    response = _answer(client, callback, overall="很好")
    assert response.status_code == 422
    assert "“总体评价”的回答应为满意、基本满意或不满意：“很好”" in response.content.decode()
    response = _answer(client, callback, called_on="2026-13-01")
    assert response.status_code == 422
    assert "请填写回访日期（YYYY-MM-DD）：2026-13-01" in response.content.decode()
    response = _answer(client, callback, overall="unsatisfied")
    assert response.status_code == 422
    assert "总体评价为不满意时，应登记反映的问题并交办整改" in response.content.decode()
    assert Callback.objects.get().status == "pending" and not CallbackProblem.objects.exists()


def test_unsatisfied_with_a_problem_from_the_form(county):
    callback = pending(county)
    client = client_for(county.east_director)
    response = _answer(
        client,
        callback,
        overall="unsatisfied",
        problem_description="窗口等候太久",
        problem_owner="east_officer",
        problem_deadline="2026-06-01",
    )
    assert response.status_code == 302
    problem = CallbackProblem.objects.get()
    assert problem.owner == county.east_officer
    # the owner rectifies, then feeds back
    owner = client_for(county.east_officer)
    url = reverse("timeliness:callback_problem_detail", args=[problem.pk])
    assert 'data-testid="rectify-form"' in owner.get(url).content.decode()
    today = timezone.localdate().isoformat()
    bad = owner.post(
        reverse("timeliness:callback_problem_feedback", args=[problem.pk]),
        {"channel": "phone", "on": today},
    )
    assert bad.status_code == 409
    assert "问题尚未整改，整改完成后才能反馈" in bad.content.decode()
    problem.refresh_from_db()
    assert problem.status == "open"
    owner.post(
        reverse("timeliness:callback_problem_rectify", args=[problem.pk]),
        {"outcome": "已增设窗口", "on": today},
    )
    owner.post(
        reverse("timeliness:callback_problem_feedback", args=[problem.pk]),
        {"channel": "sms", "on": today},
    )
    problem.refresh_from_db()
    assert (problem.status, problem.feedback_channel) == ("fed_back", "sms")
    listed = owner.get(reverse("timeliness:callback_problem_list")).content.decode()
    assert "窗口等候太久" in listed


def test_unreachable_from_the_page(county):
    callback = pending(county)
    client = client_for(county.east_director)
    client.post(
        reverse("timeliness:callback_unreachable", args=[callback.pk]),
        {"called_on": timezone.localdate().isoformat(), "remarks": "空号"},
    )
    assert Callback.objects.get().status == "unreachable"


def test_rules_and_a_draw_from_the_pages(county):
    for _ in range(4):
        make_service_case(unit=county.east, officer=county.east_officer)
    director = client_for(county.east_director)
    response = director.post(
        reverse("timeliness:callback_rule_save"),
        {"unit": "S-E", "subject_kind": "service_case", "mode": "share", "share": "2"},
    )
    assert response.status_code == 422
    assert "抽取比例应大于 0 且不超过 1：“2”" in response.content.decode()
    assert not CallbackRule.objects.exists()
    director.post(
        reverse("timeliness:callback_rule_save"),
        {
            "unit": "S-E",
            "subject_kind": "service_case",
            "mode": "count",
            "count": "2",
            "active": "1",
        },
    )
    assert CallbackRule.objects.get().count == 2
    response = director.post(
        reverse("timeliness:callback_round_draw"),
        {"unit": "S-E", "subject_kind": "service_case", "month": "2026-04"},
    )
    drawn = CallbackRound.objects.get()
    assert response.status_code == 302 and drawn.callbacks.count() == 2
    page = director.get(reverse("timeliness:callback_round", args=[drawn.pk])).content.decode()
    assert drawn.seed in page and drawn.population_digest in page and "已核验：与种子一致" in page
    again = director.post(
        reverse("timeliness:callback_round_draw"),
        {"unit": "S-E", "subject_kind": "service_case", "month": "2026-04"},
    )
    assert again.status_code == 409 and CallbackRound.objects.count() == 1
    # a grid officer may neither set rules nor draw
    officer = client_for(county.east_officer)
    assert (
        'data-testid="draw-form"'
        not in officer.get(reverse("timeliness:callback_rounds")).content.decode()
    )
    assert officer.post(reverse("timeliness:callback_round_draw"), {}).status_code == 403
    assert officer.post(reverse("timeliness:callback_rule_save"), {}).status_code == 403


def test_satisfaction_page_and_xlsx(county):
    from openpyxl import load_workbook

    drawn = drawn_round(county, n=2)
    for callback, overall in zip(
        drawn.callbacks.order_by("id"), ["satisfied", "basic"], strict=True
    ):
        callbacks.record_callback(
            callback=callback,
            channel="phone",
            called_on=CALLED,
            answers={"overall": overall},
            actor=county.east_director,
        )
    client = client_for(county.east_director)
    query = {"from": "2026-05-01", "to": "2026-05-31"}
    page = client.get(reverse("timeliness:satisfaction"), query).content.decode()
    assert "回访服务对象和群众2人次，其中电话回访2人次，上门回访0人次，回访满意率达100.0%" in page
    response = client.get(reverse("timeliness:satisfaction_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "分组" and rows[1][2] == 2 and rows[1][-1] == 100
