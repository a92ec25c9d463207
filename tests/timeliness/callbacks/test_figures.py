"""The callback figures against hand-computed ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xiaoneng.core.states import unlocked
from xiaoneng.timeliness.callbacks import figures
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def _callback(unit, officer, *, status="done", channel="phone", overall="", day=None, kind="case"):
    callback = Callback(
        subject_kind=kind,
        subject="事项",
        unit=unit,
        officer=officer,
        party="张三",
        channel=channel,
        called_on=day or dt.date(2026, 2, 10),
        overall=overall,
    )
    with unlocked(callback):
        callback.status = status
    callback.save()
    return callback


@pytest.fixture
def made(county):
    e, w = county.east, county.west
    eo, wo = county.east_officer, county.west_officer
    # east: 4 satisfied by phone in Jan, 1 basic on site in Feb, 1 unsatisfied by phone in Feb,
    # 1 done without an overall answer, 1 unreachable
    for _ in range(4):
        _callback(e, eo, overall="satisfied", day=dt.date(2026, 1, 15))
    _callback(e, eo, channel="on_site", overall="basic", kind="inspection")
    bad = _callback(e, eo, overall="unsatisfied")
    _callback(e, eo)
    _callback(e, eo, status="unreachable")
    # west: 2 satisfied on site; 1 outside the period; 1 pending
    _callback(w, wo, channel="on_site", overall="satisfied")
    _callback(w, wo, channel="on_site", overall="satisfied")
    _callback(w, wo, overall="unsatisfied", day=dt.date(2026, 4, 1))
    pending = Callback.objects.create(
        subject_kind="case", subject="x", unit=w, party="x", channel="phone"
    )
    assert pending.status == "pending"
    return bad


def test_the_totals(county, made):
    t = figures.tally(Callback.objects.all(), START, END)
    assert (t.made, t.phone, t.on_site, t.unreachable) == (9, 6, 3, 1)
    assert (t.answered, t.satisfied, t.basic, t.unsatisfied) == (8, 6, 1, 1)
    assert t.reached == 9
    assert t.satisfaction == Decimal("87.5")  # (6 + 1) / 8
    assert figures.sentence(t) == (
        "回访服务对象和群众9人次，其中电话回访6人次，上门回访3人次，回访满意率达87.5%。"
    )


def test_by_unit_officer_channel_month_and_kind(county, made):
    rows = Callback.objects.all()
    units = {r.key: r.tally for r in figures.by_unit(rows, START, END)}
    assert units["S-E"].made == 7 and units["S-E"].satisfaction == Decimal("83.3")  # 5 / 6
    assert units["S-W"].made == 2 and units["S-W"].satisfaction == Decimal("100.0")
    officers = {r.key: r.tally for r in figures.by_officer(rows, START, END)}
    assert officers["east_officer"].answered == 6
    channels = {r.key: r.tally for r in figures.by_channel(rows, START, END)}
    assert channels["phone"].made == 6 and channels["phone"].satisfaction == Decimal("80.0")
    assert channels["on_site"].satisfaction == Decimal("100.0")
    months = [(r.key, r.tally.made) for r in figures.by_month(rows, START, END)]
    assert months == [("2026-01", 4), ("2026-02", 5)]
    kinds = {r.key: r.tally.made for r in figures.by_subject_kind(rows, START, END)}
    assert kinds == {"case": 8, "inspection": 1}


def test_rates_round_half_up_and_none_when_nothing_answered():
    assert figures.satisfaction(0, 0, 0) is None
    assert figures.satisfaction(2, 0, 3) == Decimal("66.7")
    assert figures.satisfaction(1, 0, 8) == Decimal("12.5")
    assert figures.satisfaction(996, 0, 1000) == Decimal("99.6")
    assert figures.sentence(figures.Tally()) == (
        "回访服务对象和群众0人次，其中电话回访0人次，上门回访0人次。"
    )


def test_problem_figures(county, made):
    def problem(deadline, rectified_on=None, fed_back_on=None, status="open"):
        p = CallbackProblem(
            callback=made,
            description="x",
            unit=county.east,
            owner=county.east_officer,
            deadline=deadline,
            rectified_on=rectified_on,
            fed_back_on=fed_back_on,
        )
        with unlocked(p):
            p.status = status
        p.save()

    problem(dt.date(2026, 2, 20), dt.date(2026, 2, 18), dt.date(2026, 2, 19), "fed_back")
    problem(dt.date(2026, 2, 20), dt.date(2026, 3, 5), None, "rectified")  # late, done in March
    problem(dt.date(2026, 3, 20))  # open, overdue at the end of March
    problem(dt.date(2026, 4, 20))  # open, not due yet
    p = figures.problems(CallbackProblem.objects.all(), START, END, today=dt.date(2026, 6, 1))
    assert (p.raised, p.rectified, p.fed_back, p.overdue) == (4, 2, 1, 1)
    # at the end of February the late one was overdue too
    feb = figures.problems(
        CallbackProblem.objects.all(), START, dt.date(2026, 2, 28), today=dt.date(2026, 6, 1)
    )
    assert (feb.rectified, feb.overdue) == (1, 1)
