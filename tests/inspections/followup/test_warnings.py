"""Warnings (警示): an order still open after its re-inspection day is warned once, and the
credit feedback proposes a lower grade by the default rule table."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    order,
)
from xiaoneng.core import audit
from xiaoneng.inspections.followup.overdue import warn_overdue
from xiaoneng.inspections.followup.services import record_rectified
from xiaoneng.registry.models import CreditProposal

D = dt.date
# Issued Sep 30 with 1 working day: deadline Oct 8, re-inspection Fri Oct 9.
DEADLINE, REINSPECTION_DAY = D(2026, 10, 8), D(2026, 10, 9)


def test_order_is_not_warned_before_its_reinspection_day_has_passed(county: County) -> None:
    rectification = order(county, working_days=1)
    assert rectification.deadline == DEADLINE
    assert warn_overdue(today=DEADLINE) == 0
    assert warn_overdue(today=REINSPECTION_DAY) == 0
    rectification.refresh_from_db()
    assert rectification.status == "open"
    assert not CreditProposal.objects.exists()


def test_overdue_order_is_warned_once_and_reported_to_credit(county: County) -> None:
    rectification = order(county, working_days=1)
    assert warn_overdue(today=D(2026, 10, 10)) == 1
    rectification.refresh_from_db()
    assert (rectification.status, rectification.warned_on) == ("warned", D(2026, 10, 10))
    assert "整改期限 2026-10-08 已过，未整改到位" in [
        e.reason for e in audit.history(rectification)
    ]
    proposal = CreditProposal.objects.get()
    assert (proposal.trigger, proposal.current_grade, proposal.proposed_grade) == (
        "rectification_overdue",
        "B",
        "C",
    )
    assert proposal.status == CreditProposal.Status.PENDING
    assert proposal.source == f"{rectification.number} 逾期未整改"
    assert proposal.source_url == f"/rectifications/{rectification.pk}/"
    assert warn_overdue(today=D(2026, 10, 10)) == 0
    assert warn_overdue(today=D(2026, 10, 20)) == 0
    assert CreditProposal.objects.count() == 1


def test_order_without_a_task_is_warned_the_day_after_its_deadline(county: County) -> None:
    rectification = order(county, working_days=1)
    rectification.reinspection_task = None
    rectification.save()
    assert warn_overdue(today=REINSPECTION_DAY) == 1


def test_rectified_orders_are_not_warned(county: County) -> None:
    rectification = order(county, working_days=1)
    record_rectified(rectification=rectification, actor=county.east_officer, outcome="已整改")
    assert warn_overdue(today=D(2026, 10, 20)) == 0


def test_warned_order_may_still_be_rectified(county: County) -> None:
    rectification = order(county, working_days=1)
    warn_overdue(today=D(2026, 10, 12))
    rectification.refresh_from_db()
    record_rectified(rectification=rectification, actor=county.east_officer, outcome="已整改")
    rectification.refresh_from_db()
    assert rectification.status == "rectified"


def test_command_warns_overdue_orders(county: County) -> None:
    order(county, working_days=1)
    out = io.StringIO()
    call_command("followup", "warn", "--today", "2026-10-12", stdout=out)
    assert out.getvalue().strip() == "2026-10-12：警示逾期未整改 1 件 (orders warned: 1)"
    out = io.StringIO()
    call_command("followup", "warn", "--today", "2026-10-12", stdout=out)
    assert "警示逾期未整改 0 件" in out.getvalue()


def test_command_refuses_a_bad_date(county: County) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("followup", "warn", "--today", "2026-13-01")
    assert refused.value.returncode == 2
    assert str(refused.value) == "--today should be a date YYYY-MM-DD: 2026-13-01"


def test_command_refuses_a_day_in_the_future_and_warns_nothing(county: County) -> None:
    import datetime as dt

    from django.utils import timezone

    from xiaoneng.inspections.models import Rectification
    from xiaoneng.registry.models import CreditProposal

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CommandError) as refused:
        call_command("followup", "warn", "--today", f"{tomorrow:%Y-%m-%d}")
    assert refused.value.returncode == 2
    assert str(refused.value) == f"--today cannot lie in the future: {tomorrow:%Y-%m-%d}"
    assert not Rectification.objects.filter(status="warned").exists()
    assert not CreditProposal.objects.exists()
