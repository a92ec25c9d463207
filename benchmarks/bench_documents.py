"""Enforcement documents (执法文书, issue 15): one document rendered, and 1,000 责令改正通知书
issued and written as one archive.

Figures:

- one 责令改正通知书 rendered (``rendering.rectification.render_notice``: the A4 page, the
  QR code, the findings and provisions, the deadline in words, the font subset embedded),
  median of 20 renders of different orders after the first (5 with --quick); target ≤ 300 ms.
  The first render of the process — which parses the font once (``rendering.pdf``) — and the
  same median with the font parsed for every document, as fpdf2's ``add_font`` does, are
  printed in the note;
- ``documents.batch.write_notices`` of 1,000 orders (100 with --quick): each notice issued
  through the issue service (its number adopted, the PDF stored with its SHA-256 and a
  verification code), then the ZIP of the PDFs and the manifest; target ≤ 60 s (scaled with
  --quick). The second run (nothing to issue: the stored PDFs written again) is in the note.

Baseline, same process: a one-page fpdf2 PDF with a Latin core font (Helvetica, nothing to
embed), the same median; for the batch, 1,000 of them written into a ZIP in memory.

The database holds one bureau with one station, ten certified officers, the entities, a
three-item checklist and, per order, a signed inspection with two findings, written in bulk.

    python benchmarks/bench_documents.py [--quick] [--postgres] [--keep] [--orders N]
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
import zipfile
from typing import Any

import common
import entities
from common import Figure, say, timed
from county_year import insert

NAME = "documents"
LIMIT_ONE_MS = 300.0
LIMIT_BATCH_SECONDS = 60.0
BATCH = 1_000
DAY = dt.date(2026, 9, 28)


# The records ----------------------------------------------------------------------------


def fill(count: int) -> Any:
    """``count`` rectification orders of one station, each on a signed inspection with two
    findings; returns the station."""
    from xiaoneng.inspections.models import (
        Checklist,
        ChecklistItem,
        Finding,
        Inspection,
        Rectification,
    )
    from xiaoneng.org.models import Officer
    from xiaoneng.registry.models import Entity

    organisation = common.build_organisation(12, stations=1)
    station = organisation.stations[0]
    people = [
        Officer(
            username=f"bench{n}",
            name=f"执法员{n}",
            unit=station,
            certificate_number=f"650000210{n:02d}",
        )
        for n in range(10)
    ]
    for person in people:
        person.set_unusable_password()
    Officer.objects.bulk_create(people)
    officers = list(Officer.objects.filter(unit=station).values_list("pk", flat=True))
    entities.write_entities(entities.entity_columns(count, organisation, seed=3))
    entity_ids = list(Entity.objects.order_by("pk").values_list("pk", flat=True))[:count]
    checklist = Checklist.objects.create(
        code="bench-food", version=1, title="食品销售检查清单", kind="onsite", effective_on=DAY
    )
    items = [
        ChecklistItem.objects.create(
            checklist=checklist,
            number=str(n),
            position=n,
            title=title,
            method="现场查看",
            legal_basis=basis,
            severity="minor",
        ).pk
        for n, (title, basis) in enumerate(
            [
                ("亮照经营", "《市场主体登记管理条例》第三十六条"),
                ("食品贮存", "《中华人民共和国食品安全法》第三十三条"),
                ("进货查验记录", "《中华人民共和国食品安全法》第五十三条"),
            ],
            start=1,
        )
    ]
    lead = [officers[n % len(officers)] for n in range(count)]
    inspections = insert(
        Inspection,
        {
            "entity_id": entity_ids,
            "unit_id": [station.pk] * count,
            "region_code": [common.REGION] * count,
            "origin": ["patrol"] * count,
            "kind": ["onsite"] * count,
            "checklist_id": [checklist.pk] * count,
            "status": ["signed"] * count,
            "lead_officer_id": lead,
            "visited_on": [DAY] * count,
            "items_failed": [2] * count,
        },
    )
    orders = insert(
        Rectification,
        {
            "number": [f"伊市监责改〔2026〕{n:04d}号" for n in range(1, count + 1)],
            "entity_id": entity_ids,
            "unit_id": [station.pk] * count,
            "inspection_id": inspections,
            "requirements": ["立即清理过期食品，完善进货查验记录，亮照经营"] * count,
            "issued_on": [DAY + dt.timedelta(days=2)] * count,
            "working_days": [10] * count,
            "deadline": [dt.date(2026, 10, 21)] * count,
            "issued_by_id": lead,
            "status": ["open"] * count,
        },
    )
    pairs = [
        (o, i, e, item)
        for o, i, e in zip(orders, inspections, entity_ids, strict=True)
        for item in items[1:]
    ]
    insert(
        Finding,
        {
            "inspection_id": [p[1] for p in pairs],
            "item_id": [p[3] for p in pairs],
            "entity_id": [p[2] for p in pairs],
            "unit_id": [station.pk] * len(pairs),
            "severity": ["minor"] * len(pairs),
            "description": ["冷柜内有过期酸奶 3 盒，未按要求贮存", "未建立进货查验记录"]
            * (len(pairs) // 2),
            "status": ["rectifying"] * len(pairs),
            "rectification_id": [p[0] for p in pairs],
            "found_on": [DAY] * len(pairs),
        },
    )
    return station


# Measuring ------------------------------------------------------------------------------


def latin_page() -> bytes:
    """The baseline: a one-page fpdf2 PDF in a Latin core font (nothing to embed)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6.5, "Notice of rectification. " * 20)
    return bytes(pdf.output())


def stamp_for(number: str) -> Any:
    from xiaoneng.documents.rendering.pdf import Stamp

    return Stamp(
        bureau="基准测试县市场监督管理局",
        title="责令改正通知书",
        number=number,
        verification_code="ABCDEFGHJK",
        verify_url="https://example.org/verify/ABCDEFGHJK/",
        issued_at=dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC),
    )


def render_times(orders: list[Any]) -> list[float]:
    from xiaoneng.documents.rendering import rectification

    def once(order: Any) -> float:
        return timed(lambda: rectification.render_notice(order, stamp_for(order.number)))[0]

    return [once(order) for order in orders]


def uncached_median(orders: list[Any]) -> float:
    """The same renders with the font parsed for every document (fpdf2's ``add_font``)."""
    from fpdf.fonts import TTFFont

    from xiaoneng.documents.rendering import pdf

    shared = pdf.document_font

    def parsed_each_time(document: Any, _parsed: Any, fontkey: str) -> TTFFont:
        return TTFFont(document, pdf.FONT_FILE, fontkey, "")

    pdf.document_font = parsed_each_time  # type: ignore[assignment]
    try:
        return statistics.median(render_times(orders))
    finally:
        pdf.document_font = shared


def measure(count: int, runs: int) -> list[Figure]:
    from xiaoneng.documents import batch
    from xiaoneng.documents.rendering import rectification
    from xiaoneng.documents.services import issue_document
    from xiaoneng.inspections.models import Rectification

    station = Rectification.objects.first().unit  # type: ignore[union-attr]
    sample = [
        rectification.load(pk)
        for pk in batch.orders_of(station).values_list("pk", flat=True)[: runs + 1]
    ]
    first = render_times(sample[:1])[0]
    one = statistics.median(render_times(sample[1:]))
    size = len(rectification.render_notice(sample[1], stamp_for(sample[1].number)))
    uncached = uncached_median(sample[1:])
    latin = common.median_seconds(latin_page, runs=runs)
    say(
        f"one notice rendered: median {one * 1000:.0f} ms ({size:,} bytes); "
        f"first {first * 1000:.0f} ms"
    )
    say(
        f"  font parsed per document: {uncached * 1000:.0f} ms; "
        f"Latin one-page baseline {latin * 1000:.1f} ms"
    )

    # One issued end to end (number, render, store, digest), outside the batch's orders.
    issue, _doc = timed(
        lambda: issue_document(kind="rectification", record_id=sample[0].pk, actor=None)
    )
    say(f"one notice issued (number, render, store): {issue * 1000:.0f} ms")

    orders = batch.orders_of(station)
    target = common.OUT / "documents-batch.zip"
    cpu = time.process_time()
    seconds, report = timed(lambda: batch.write_notices(orders, target, actor=None))
    cpu = time.process_time() - cpu
    assert report.issued == count - 1 and report.already == 1 and not report.skipped, report
    say(f"batch of {count:,}: {seconds:.1f} s ({cpu:.1f} s CPU), {report.size / 1e6:.1f} MB")
    again, repeat = timed(lambda: batch.write_notices(orders, target, actor=None))
    assert repeat.issued == 0 and repeat.already == count
    say(f"  again (all issued before, stored PDFs written): {again:.1f} s")

    def latin_archive() -> int:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for n in range(count):
                archive.writestr(f"{n}.pdf", latin_page(), zipfile.ZIP_STORED)
        return buffer.tell()

    latin_batch, _size = timed(latin_archive)
    say(f"  baseline: {count:,} Latin one-page PDFs zipped in memory {latin_batch:.1f} s")
    target.unlink(missing_ok=True)
    vendor = common.vendor()
    return [
        Figure(
            benchmark=NAME,
            case="one 责令改正通知书 rendered (median)",
            value=one * 1000,
            unit="ms",
            limit=LIMIT_ONE_MS,
            baseline=latin * 1000,
            baseline_label="one-page fpdf2 PDF, Latin core font",
            note=f"first render (font parsed) {first * 1000:.0f} ms; font parsed per document "
            f"{uncached * 1000:.0f} ms; issued end to end {issue * 1000:.0f} ms; {size:,} bytes",
        ),
        Figure(
            benchmark=NAME,
            case=f"{vendor} batch of {count:,} notices → ZIP",
            value=seconds,
            unit="s",
            limit=LIMIT_BATCH_SECONDS * count / BATCH,
            baseline=latin_batch,
            baseline_label=f"{count:,} Latin one-page PDFs zipped in memory",
            note=f"{cpu:.1f} s CPU in this process; {report.size / 1e6:.1f} MB; "
            f"run again (nothing new) {again:.1f} s",
        ),
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, help=f"orders in the batch (default {BATCH:,})")
    options = parser.parse_args()
    count = options.orders or (100 if options.quick else BATCH)
    runs = 5 if options.quick else 20

    def work() -> list[Figure]:
        spent, _station = timed(lambda: fill(count))
        say(f"filled {count:,} orders with their inspections and findings in {spent:.1f} s")
        return measure(count, runs)

    common.run_on_fresh_media(NAME, options, "documents", work)


if __name__ == "__main__":
    main()
