"""Fixtures of the online-monitoring tests: a stand-in for the keyword library (a few terms,
so that the tests do not depend on the starter library's wording), the working calendar,
and listing files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from xiaoneng.core.models import CalendarYear

TERMS = {
    "最好": ("absolute", "《广告法》第九条第（三）项"),
    "处方药": ("prohibited_goods", "《电子商务法》第十三条"),
    "高仿": ("prohibited_goods", "《电子商务法》第十三条"),
    "根治": ("medical_claim", "《广告法》第十七条"),
}
VERSION = 7


@dataclass(frozen=True)
class FakeViolation:
    rule: str
    category: str
    law: str
    severity: str
    match: str
    start: int
    end: int


def fake_scan(
    items: Sequence[tuple[str, str | None]], *, target: str
) -> tuple[int, list[list[FakeViolation]]]:
    assert target == "listing"
    found = []
    for text, _kind in items:
        hits = []
        for term, (category, law) in TERMS.items():
            at = text.find(term)
            while at >= 0:
                hits.append(
                    FakeViolation(f"r-{category}", category, law, "high", term, at, at + len(term))
                )
                at = text.find(term, at + 1)
        found.append(sorted(hits, key=lambda v: v.start))
    return VERSION, found


@pytest.fixture(autouse=True)
def scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xiaoneng.online.listings.importer.scan_texts", fake_scan)


@pytest.fixture(autouse=True)
def calendar(db: Any) -> None:
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "测试"})


def listing(n: int = 1, **values: Any) -> dict[str, Any]:
    """One listing line's values."""
    row: dict[str, Any] = {
        "platform": "淘宝",
        "shop": f"店铺{n}",
        "seller_id": f"s{n}",
        "claimed_uscc": "",
        "title": f"纯棉T恤 {n}",
        "description": "舒适透气",
        "price": "59.00",
        "url": f"https://item.example.com/{n}",
        "domain": "",
        "ip": f"10.0.0.{n}",
        "payment_account": f"pay-{n}",
        "logistics_company": "顺丰",
        "logistics_account": f"log-{n}",
        "captured_at": "2026-03-02 10:00:00",
    }
    row.update(values)
    return row


def jsonl(rows: Sequence[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def csv_bytes(rows: Sequence[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


DAY = dt.date(2026, 3, 2)
