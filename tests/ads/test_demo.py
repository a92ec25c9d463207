"""The demo county's advertising supervision: operators with their checks, filings, a year of
monitored ads with decisions, notices and confiscations, consistent in time."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from xiaoneng.ads.filings.models import Filing
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.operators.models import AdOperator, QualificationCheck
from xiaoneng.demo.reset import reset


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        call_command("demo", entities=2000, seed=3, stdout=io.StringIO())
        yield
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def test_operators_media_and_their_checks() -> None:
    assert AdOperator.objects.filter(role="medium").exclude(reviewers="").count() >= 1
    assert AdOperator.objects.count() >= 5
    checks = QualificationCheck.objects.all()
    assert checks.count() == AdOperator.objects.count()
    assert checks.filter(status="qualified").exists()
    assert not checks.filter(checked_on__lt=F("operator__entity__registered_on")).exists()
    assert not checks.filter(checked_on__month__gt=3).exists()
    assert not checks.exclude(inspection__visited_on=F("checked_on")).exists()


def test_filings_and_monitored_ads_are_scanned_and_consistent_in_time() -> None:
    today = timezone.localdate()
    assert Filing.objects.filter(status="accepted").exists()
    assert Filing.objects.filter(status="returned").exists()
    assert not Filing.objects.filter(submitted_on__lt=F("advertiser__registered_on")).exists()
    ads = MonitoredAd.objects.all()
    assert ads.count() >= 300
    assert ads.filter(review="clean").exists() and ads.filter(review="violation").exists()
    assert (
        ads.filter(review="dismissed").exists()
        or AdHit.objects.filter(decision="dismissed").exists()
    )
    assert not ads.filter(captured_at__gt=timezone.now()).exists()
    assert not ads.filter(
        advertiser__isnull=False, captured_at__date__lt=F("advertiser__registered_on")
    ).exists()
    assert ads.filter(case__isnull=False).exists()
    notices = AdNotice.objects.all()
    assert notices.filter(status="complied").exists()
    assert not notices.filter(deadline__lte=F("issued_on")).exists()
    assert not notices.filter(outcome_on__gt=today).exists()
    assert Confiscation.objects.exists()
