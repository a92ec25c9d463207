"""`xiaoneng demo`: one county with a year of work, shared by the tests of this folder."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.reset import reset
from xiaoneng.inspections.models import (
    Attachment,
    Checklist,
    ChecklistItem,
    ExitCheck,
    Finding,
    Inspection,
    InspectionOfficer,
    ItemResult,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    TraceFlag,
    UnlicensedOperator,
)
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.registry.models import CreditProposal

ENTITIES = 2000
SEED = 6  # a county whose risk model trains (with seed 5 no case happened to confiscate goods)
S = Case.Status
COUNTED = (
    Inspection,
    InspectionOfficer,
    ItemResult,
    Attachment,
    Finding,
    Rectification,
    ExitCheck,
    UnlicensedOperator,
    TraceFlag,
    ReviewRound,
    DirectorReview,
    SupervisionItem,
    SamplingPlan,
    Sample,
    SampleFollowUp,
    Case,
    Collection,
    ConfiscatedGoods,
    Target,
    CreditProposal,
)
# The starter set's shape, for a database where its migration has not run yet.
FALLBACK = {
    "food-retail": (
        "onsite",
        "F512 F521 F522",
        ("亮照经营", "进货查验记录", "不得经营超过保质期的食品"),
    ),
    "catering": ("onsite", "H62", ("从业人员健康证明", "后厨卫生", "食品原料进货查验记录")),
    "general-trade": (
        "onsite",
        "",
        ("亮照经营：营业执照悬挂于醒目位置", "商品明码标价", "年度报告按时公示"),
    ),
    "documentary": ("documentary", "", ("年度报告已公示", "提交的证照复印件与原件一致")),
}


def build(**options: object) -> str:
    out = io.StringIO()
    call_command("demo", entities=ENTITIES, seed=SEED, stdout=out, **options)
    return out.getvalue()


def ensure_checklists() -> None:
    if Checklist.objects.filter(code="general-trade").exists():
        return
    for code, (kind, prefixes, titles) in FALLBACK.items():
        checklist = Checklist.objects.create(
            code=code,
            version=1,
            title=code,
            kind=kind,
            industry_prefixes=prefixes,
            effective_on=dt.date(2025, 1, 1),
        )
        for i, title in enumerate(titles, 1):
            ChecklistItem.objects.create(
                checklist=checklist,
                number=str(i),
                position=i,
                title=title,
                method="现场查看",
                legal_basis="《中华人民共和国食品安全法》第三十三条",
                severity=("minor", "major", "critical")[i % 3],
            )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="package")
def demo_year(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One small county for the folder's tests, its photos in a temporary MEDIA_ROOT."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        ensure_checklists()
        output = build()
        yield output
        with transaction.atomic():
            reset()


def today() -> dt.date:
    return timezone.localdate()


def known(calendar: WorkingCalendar, *days: dt.date) -> bool:
    """Whether the calendar knows the years from the first day to a month after the last."""
    last = max(days) + dt.timedelta(days=40)
    return all(year in calendar.years for year in range(min(days).year, last.year + 1))
