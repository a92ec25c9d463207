"""The import scans with the real engine and the library in force (keywords.scanning): hits
at their spans in the original text, with the version that found them."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.online.conftest import fake_scan, jsonl, listing
from xiaoneng import textscan
from xiaoneng.keywords import scanning
from xiaoneng.keywords.services import load_library
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Hit, Listing


@pytest.fixture
def real_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xiaoneng.online.listings.importer.scan_texts", scanning.scan_texts)
    assert fake_scan  # the stand-in the other tests use


def test_import_uses_the_library_in_force(county: County, real_scanner: None) -> None:
    library = textscan.Library(
        version="test-1",
        rules=(
            textscan.Rule(
                id="absolute-best",
                category="absolute",
                law="《广告法》第九条第（三）项",
                severity="high",
                terms=("最好",),
                exceptions=("最好吃",),
            ),
            textscan.Rule(
                id="replica",
                category="prohibited_goods",
                law="《电子商务法》第十三条",
                severity="high",
                terms=("高仿",),
                targets=("listing",),
            ),
        ),
    )
    loaded = load_library(library, actor=county.division_staff, reason="测试载入")
    version = scanning.current_scanner()[0]
    assert loaded is not None and version >= 1
    rows = [listing(1, title="全网最好的 高 仿包"), listing(2, title="最好吃的大枣")]
    batch = import_batch(data=jsonl(rows), name="a.jsonl", actor=county.division_staff)
    assert batch.library_version == version and batch.hit_count == 1
    first = Listing.objects.get(url="https://item.example.com/1")
    text = f"{first.title}\n{first.description}"
    hits = list(Hit.objects.filter(listing=first).order_by("start"))
    assert [h.category for h in hits] == ["absolute", "prohibited_goods"]
    assert all(text[h.start : h.end] == h.match for h in hits)
    assert Listing.objects.get(url="https://item.example.com/2").hit_count == 0
