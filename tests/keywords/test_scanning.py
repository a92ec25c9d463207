"""Scanning with the library in force: version 0 before any load, new versions picked up."""

from __future__ import annotations

import dataclasses

import pytest

from tests.keywords.factories import ABSOLUTE, load
from xiaoneng.keywords import scanning, services
from xiaoneng.keywords.models import KeywordRule

pytestmark = pytest.mark.django_db


def test_no_library_scans_with_an_empty_one() -> None:
    result = scanning.scan_text("全国最好的药，根治百病", target="ad")
    assert result.version == 0 and result.violations == []
    assert scanning.scan_texts([("最佳", None)], target="ad") == (0, [[]])


def test_scan_text_reports_spans_in_the_original_text() -> None:
    load()
    text = "本店最近上新，品质最佳，药到病除"
    result = scanning.scan_text(text, target="ad", kind="general")
    assert result.version == 1
    assert {v.rule for v in result.violations} == {"ABS-001", "MED-001"}
    for v in result.violations:
        assert text[v.start : v.end] == v.match
    assert "最近" not in [v.match for v in result.violations]


def test_kind_and_target_scope_the_rules() -> None:
    load()
    medical = scanning.scan_text("药到病除", target="ad", kind="medical")
    assert medical.violations == []
    listing = scanning.scan_text("药到病除", target="listing")
    assert listing.violations == []


def test_a_new_version_is_picked_up_on_the_next_call() -> None:
    load()
    assert scanning.scan_text("顶级享受", target="ad").violations == []
    row = KeywordRule.objects.get(code="ABS-001")
    rule = dataclasses.replace(ABSOLUTE, terms=(*ABSOLUTE.terms, "顶级"))
    services.edit_rule(actor=None, row=row, rule=rule, reason="增补")
    result = scanning.scan_text("顶级享受", target="ad")
    assert result.version == 2 and [v.match for v in result.violations] == ["顶级"]


def test_scan_texts_keeps_the_order() -> None:
    load()
    version, found = scanning.scan_texts(
        [("干净的文字", None), ("最佳", None), ("无效退款", "general")], target="ad"
    )
    assert version == 1
    assert [[v.rule for v in hits] for hits in found] == [[], ["ABS-001"], ["GUA-001"]]
