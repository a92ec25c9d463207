"""The demo county's resource ledger: entries of every kind that hold to the ledger's own checks
(no entry before its activity started or after today), the year's quotas, and efficiency
figures with something to show — overspends and 运动式执法."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from xiaoneng.demo.reset import reset
from xiaoneng.reports.ledger.checks import activity_errors, input_errors
from xiaoneng.reports.ledger.flags import campaign_style, overspends
from xiaoneng.reports.ledger.models import LedgerEntry, Quota
from xiaoneng.reports.ledger.outputs import outputs
from xiaoneng.reports.ledger.services import EntryInput

ENTITIES = 2000
SEED = 3


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """One small county for the module, its photos in a temporary MEDIA_ROOT."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        call_command("demo", entities=ENTITIES, seed=SEED, stdout=io.StringIO())
        yield
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def _entries() -> list[LedgerEntry]:
    return list(LedgerEntry.objects.select_related("unit", "officer", "campaign", "case", "draw"))


def test_the_ledger_has_entries_of_every_kind_and_the_years_quotas() -> None:
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"patrol_day", "campaign", "draw", "case"} <= kinds
    today = timezone.localdate()
    assert set(Quota.objects.values_list("year", flat=True)) >= {today.year}


def test_every_entry_holds_to_the_ledgers_own_checks() -> None:
    today = timezone.localdate()
    offenders = []
    for entry in _entries():
        data = EntryInput(
            **{
                name: getattr(entry, name)
                for name in (
                    "unit", "kind", "officer", "campaign", "case", "draw", "title",
                    "started_on", "ended_on", "officers", "person_hours", "vehicles",
                    "kilometres", "money", "other_resources", "note",
                )
            }
        )  # fmt: skip
        errors = input_errors(data, today) or activity_errors(data)
        if errors or entry.recorded_at > timezone.now():
            offenders.append((entry.pk, errors))
    assert not offenders, offenders[:5]


def test_no_entry_lies_outside_its_activity() -> None:
    for entry in _entries():
        if entry.campaign is not None:
            assert entry.campaign.start_on <= entry.started_on
            assert entry.ended_on <= entry.campaign.end_on
        if entry.case is not None:
            assert entry.case.received_on <= entry.started_on
        if entry.draw is not None:
            assert entry.draw.drawn_at is not None
            assert timezone.localdate(entry.draw.drawn_at) < entry.started_on
            assert entry.ended_on <= entry.draw.inspections_end
        assert entry.started_on >= timezone.localdate() - dt.timedelta(days=400)


def test_the_efficiency_page_has_overspends_and_campaign_style_enforcement() -> None:
    entries = _entries()
    found = outputs(entries)
    assert sum(o.inspections for o in found.values()) > 0
    listed = campaign_style(entries, found)
    assert listed, "the demo's wasteful campaign entries are listed"
    wasteful = {e.pk for e in entries if e.note == "集中统一行动，全员出动"}
    assert wasteful & {c.entry.pk for c in listed}
    assert 0 < len(overspends(entries, found)) < len(entries) // 2
