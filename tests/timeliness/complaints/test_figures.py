"""The figures of complaints and reports against hand-counted ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.timeliness.complaints.factories import east_entity, make_complaint
from xiaoneng.timeliness.complaints import filing, services
from xiaoneng.timeliness.complaints.figures import complaint_figures
from xiaoneng.timeliness.complaints.models import Complaint

pytestmark = pytest.mark.django_db
JUNE = dt.date(2026, 6, 1)


def test_the_figures_of_a_period(county: County) -> None:
    officer = county.east_officer
    entity = east_entity(county)
    # Accepted on the 4th working day, mediated, agreed with 100.00 recovered.
    a = make_complaint(county, entity=entity)
    services.accept(complaint=a, actor=officer, on=dt.date(2026, 6, 5))
    services.end_mediation(
        complaint=a,
        actor=officer,
        agreed=True,
        on=dt.date(2026, 6, 8),
        outcome="退款",
        amount_recovered="100",
        founded="founded",
    )
    # Accepted late (2026-06-11 is the 8th working day), terminated.
    b = make_complaint(county, entity=entity, channel="hotline")
    services.accept(complaint=b, actor=officer, on=dt.date(2026, 6, 11))
    services.end_mediation(
        complaint=b,
        actor=officer,
        agreed=False,
        on=dt.date(2026, 6, 15),
        outcome="拒绝调解",
        amount_recovered="20.5",
    )
    # Refused in time.
    c = make_complaint(county, respondent="流动摊贩", topic="price")
    services.refuse(complaint=c, actor=officer, on=JUNE, reason="不属于管辖范围")
    # Still waiting for a decision.
    make_complaint(county, entity=entity, channel="letter")
    # A report filed as a case, one not filed.
    r1 = make_complaint(county, kind="report", entity=entity)
    filing.decide_filing(
        complaint=r1, actor=officer, file=True, on=JUNE, founded="partly", outcome="属实"
    )
    r2 = make_complaint(county, kind="report", entity=entity, topic="price")
    filing.decide_filing(
        complaint=r2, actor=officer, file=False, on=JUNE, founded="unfounded", outcome="查无实据"
    )
    # Outside the period.
    make_complaint(county, entity=entity, received_on=dt.date(2026, 5, 29))

    figures = complaint_figures(Complaint.objects.all(), JUNE, dt.date(2026, 6, 30))
    assert (figures.total, figures.complaints, figures.reports) == (6, 4, 2)
    assert {r.key: r.count for r in figures.by_channel} == {
        "platform": 4,
        "hotline": 1,
        "letter": 1,
    }
    assert {r.key: r.count for r in figures.by_topic} == {"food": 4, "price": 2}
    assert [(r.key, r.count) for r in figures.by_unit] == [("S-E", 6)]
    assert figures.top_entities[0].key == entity.uscc and figures.top_entities[0].count == 5
    assert (figures.decided, figures.decided_in_time, figures.in_time_rate) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert (figures.accepted, figures.refused) == (2, 1)
    assert (figures.agreed, figures.terminated, figures.mediation_rate) == (1, 1, Decimal("50.0"))
    assert figures.amount_recovered == Decimal("120.50")
    assert figures.founded == 2
    assert (figures.reports_decided, figures.reports_filed) == (2, 1)


def test_no_mediation_gives_no_rate(county: County) -> None:
    figures = complaint_figures(Complaint.objects.all(), JUNE, JUNE)
    assert figures.total == 0
    assert figures.mediation_rate is None and figures.in_time_rate is None
    assert figures.amount_recovered == Decimal("0.00")
