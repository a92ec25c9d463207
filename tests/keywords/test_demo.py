"""The demo's keyword library: the starter library and two later edits, dated in the year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import County
from xiaoneng.demo.keywords import LOCAL_RULE, build_keywords
from xiaoneng.demo.org import Organisation
from xiaoneng.keywords import scanning
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_starter_library_and_edits_it_in_the_year(county: County) -> None:
    organisation = Organisation(bureau=county.bureau, stations=[], grids=[])
    now = timezone.make_aware(dt.datetime(2026, 11, 20, 9))
    build_keywords(organisation, now=now, progress=lambda text: None)
    versions = list(LibraryVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [timezone.localtime(v.created_at).date() for v in versions] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 4, 14),
        dt.date(2026, 8, 3),
    ]
    assert versions[0].by == county.division_staff and versions[0].rule_count >= 20
    assert versions[1].changed and versions[2].added == [LOCAL_RULE.id]
    assert KeywordRule.objects.filter(code=LOCAL_RULE.id, active=True).exists()
    result = scanning.scan_text("纯正伊犁原产蜂蜜", target="listing")
    assert result.version == 3 and [v.rule for v in result.violations] == [LOCAL_RULE.id]
