"""Many 责令改正通知书 as one ZIP (documents.batch, `document rectification --batch`): each PDF
named by its number with a manifest, refused orders skipped with their reason, a second run
spending no number, bad input refused writing nothing — and the shared font (rendering.pdf)
keeping each document's subset its own."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fontTools.ttLib import TTFont
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from tests.conftest import County
from tests.documents.helpers import pdf_text
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    order,
)
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.documents.batch import MANIFEST, orders_of, write_notices
from xiaoneng.documents.models import DocumentNumber, IssuedDocument
from xiaoneng.documents.rendering.pdf import FONT_FILE, DocumentPdf, Stamp, shared_font
from xiaoneng.inspections.followup.models import Rectification

NOT_PERMITTED = "您无权出具或重新出具该记录的责令改正通知书。"


def run(*args: str) -> str:
    out = StringIO()
    call_command("document", *args, stdout=out)
    return out.getvalue()


def manifest(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read(MANIFEST).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the archives (the documents' media folder is beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def nothing_issued() -> None:
    assert not IssuedDocument.objects.exists() and not DocumentNumber.objects.exists()


# The service ------------------------------------------------------------------------------


def test_the_archive_holds_each_notice_named_by_its_number_and_a_manifest(
    county: County, out: Path
) -> None:
    orders = [order(county), order(county), order(county)]
    target = out / "通知书.zip"
    report = write_notices(orders_of(county.east), target, actor=county.east_officer)
    assert (report.issued, report.already, report.skipped) == (3, 0, [])
    numbers = [o.number for o in orders]
    assert numbers == [f"伊市监责改〔2026〕000{n}号" for n in (1, 2, 3)]
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [*(f"{n}.pdf" for n in numbers), MANIFEST]
        rows = manifest(archive)
        for o, row in zip(orders, rows, strict=True):
            data = archive.read(f"{o.number}.pdf")
            document = IssuedDocument.objects.get(object_id=o.pk, kind="rectification")
            assert hashlib.sha256(data).hexdigest() == document.sha256
            assert o.number in pdf_text(data) and "责令改正通知书" in pdf_text(data)
            assert row == {
                "文号": o.number,
                "责令整改ID": str(o.pk),
                "当事人": o.entity.name,
                "SHA-256": document.sha256,
                "文件": f"{o.number}.pdf",
                "结果": "已出具",
            }
            assert archive.getinfo(f"{o.number}.pdf").compress_type == zipfile.ZIP_STORED
    assert report.size == target.stat().st_size
    assert [p.name for p in out.iterdir()] == ["通知书.zip"]  # no temporary file left


def test_an_order_that_cannot_be_issued_is_skipped_with_its_reason(
    county: County, out: Path
) -> None:
    first, refused, last = order(county), order(county), order(county)
    Rectification.objects.filter(pk=refused.pk).update(number="伊市监责改2026-2")
    report = write_notices(orders_of(county.east), out / "a.zip", actor=county.east_officer)
    reason = "记录的编号 伊市监责改2026-2 不是文号的格式（机关代字〔年份〕序号号）"
    assert report.issued == 2 and [(e.order_id, e.reason) for e in report.skipped] == [
        (refused.pk, reason)
    ]
    with zipfile.ZipFile(out / "a.zip") as archive:
        assert archive.namelist() == [f"{first.number}.pdf", f"{last.number}.pdf", MANIFEST]
        skipped = manifest(archive)[1]
    assert skipped == {
        "文号": "",
        "责令整改ID": str(refused.pk),
        "当事人": refused.entity.name,
        "SHA-256": "",
        "文件": "",
        "结果": f"未出具：{reason}",
    }
    assert not IssuedDocument.objects.filter(object_id=refused.pk).exists()


def test_a_second_run_writes_the_same_notices_and_spends_no_number(
    county: County, out: Path
) -> None:
    order(county)
    order(county)
    write_notices(orders_of(county.east), out / "1.zip", actor=county.east_officer)
    spent = list(DocumentNumber.objects.values_list("text", flat=True).order_by("id"))
    documents = IssuedDocument.objects.count()
    third = order(county)  # a new order since: issued by the second run, the others not again
    report = write_notices(orders_of(county.east), out / "2.zip", actor=county.east_officer)
    assert (report.issued, report.already) == (1, 2)
    assert list(DocumentNumber.objects.values_list("text", flat=True).order_by("id")) == [
        *spent,
        third.number,
    ]
    assert IssuedDocument.objects.count() == documents + 1
    with zipfile.ZipFile(out / "1.zip") as one, zipfile.ZipFile(out / "2.zip") as two:
        for name in one.namelist():
            if name != MANIFEST:
                assert one.read(name) == two.read(name)
        assert [row["结果"] for row in manifest(two)] == ["此前已出具", "此前已出具", "已出具"]


def test_refusals_write_nothing(county: County, out: Path) -> None:
    order(county)
    target = out / "a.zip"
    with pytest.raises(InvalidInput) as outsider:
        write_notices(orders_of(county.east), target, actor=county.west_officer)
    assert outsider.value.message == (
        f"orders: 没有可出具的责令改正通知书：1 份责令整改均未能出具（{NOT_PERMITTED}）"
    )
    with pytest.raises(InvalidInput) as empty:
        write_notices([], target, actor=None)
    assert empty.value.message == "orders: 没有可出具的责令改正通知书：所选范围内没有责令整改"
    with pytest.raises(InvalidInput) as not_zip:
        write_notices(orders_of(county.east), out / "a.pdf", actor=None)
    assert not_zip.value.message == f"-o: 批量出具写入一个 .zip 文件：{out / 'a.pdf'}"
    nothing_issued()
    assert list(out.iterdir()) == []


def test_a_stored_pdf_changed_since_issue_stops_the_archive_and_nothing_is_written(
    county: County, out: Path
) -> None:
    first = order(county)
    order(county)
    write_notices(orders_of(county.east), out / "a.zip", actor=None)
    document = IssuedDocument.objects.get(object_id=first.pk, kind="rectification")
    Path(document.file.path).write_bytes(b"%PDF-1.4 changed")
    with pytest.raises(Conflict) as refused:
        write_notices(orders_of(county.east), out / "b.zip", actor=None)
    assert refused.value.message == (f"文书 {first.number} 第 1 版的文件与出具时的 SHA-256 不符")
    assert [p.name for p in out.iterdir()] == ["a.zip"]  # no b.zip, no temporary file


# The command ------------------------------------------------------------------------------


def test_the_command_writes_the_units_notices_since_a_day(county: County, out: Path) -> None:
    early = order(county, today=dt.date(2026, 9, 29))
    later = order(county)
    target = out / "notices.zip"
    said = run(
        "rectification", "--batch", "--unit", "S-E", "--since", "2026-09-30", "-o", str(target)
    )
    assert said.startswith(
        "已出具 issued 1 份，此前已出具 already issued 0 份，未出具 skipped 0 份"
    )
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{later.number}.pdf", MANIFEST]
    # The bureau's subtree holds the east station's orders; the operator may issue them all.
    said = run("rectification", "--batch", "--unit", "B", "-o", str(target))
    assert "已出具 issued 1 份，此前已出具 already issued 1 份" in said
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{early.number}.pdf", f"{later.number}.pdf", MANIFEST]


def test_the_command_skips_what_the_user_may_not_issue(county: County, out: Path) -> None:
    order(county)
    with pytest.raises(CommandError) as refused:
        run("rectification", "--batch", "--unit", "S-E", "--user", "leader", "-o", "x.zip")
    assert refused.value.returncode == 2
    assert str(refused.value) == (
        f"orders: 没有可出具的责令改正通知书：1 份责令整改均未能出具（{NOT_PERMITTED}）"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "NOPE"), "--unit: 未知的单位代码：NOPE"),
        (
            ("--unit", "S-E", "--since", "2026-13-01"),
            "--since: 日期格式应为 YYYY-MM-DD：2026-13-01",
        ),
        (("--unit", "S-E", "--out-pdf"), "-o: 批量出具写入一个 .zip 文件：{tmp}/notices.pdf"),
        (
            ("--unit", "S-W"),
            "--unit: 没有可出具的责令改正通知书：城西所（S-W）没有责令整改",
        ),
        (
            ("--unit", "S-E", "--since", "2026-10-01"),
            "--unit: 没有可出具的责令改正通知书：城东所（S-E）自 2026-10-01 起没有责令整改",
        ),
        (("--unit", "S-E", "--user", "nobody"), "--user: 未知的用户：nobody"),
        ((), "--unit: 请指定单位代码"),
        (("--unit", "S-E", "--reissue"), "--reissue: 批量出具不能重新出具，请逐份重新出具"),
    ],
)
def test_bad_input_is_refused_naming_it_and_nothing_is_written(
    county: County, out: Path, args: Sequence[str], message: str
) -> None:
    order(county)
    target = out / ("notices.pdf" if "--out-pdf" in args else "notices.zip")
    with pytest.raises(CommandError) as refused:
        run(
            "rectification",
            "--batch",
            *(a for a in args if a != "--out-pdf"),
            "-o",
            str(target),
        )
    assert refused.value.returncode == 2
    assert str(refused.value) == message.format(tmp=out)
    nothing_issued()
    assert list(out.iterdir()) == []


def test_batch_is_for_rectification_notices_only_and_takes_no_id(county: County, out: Path) -> None:
    rectification = order(county)
    target = str(out / "a.zip")
    with pytest.raises(CommandError) as warning:
        run("warning", "--batch", "--unit", "S-E", "-o", target)
    assert str(warning.value) == "--batch: 仅责令改正通知书（rectification）可批量出具"
    with pytest.raises(CommandError) as with_id:
        run("rectification", str(rectification.pk), "--batch", "--unit", "S-E", "-o", target)
    assert str(with_id.value) == "id: 批量出具不指定记录编号，以 --unit 选定责令整改"
    with pytest.raises(CommandError) as unit_alone:
        run("rectification", str(rectification.pk), "--unit", "S-E", "-o", target)
    assert str(unit_alone.value) == "--unit: 仅用于批量出具（--batch）"
    with pytest.raises(CommandError) as no_id:
        run("rectification", "-o", target)
    assert str(no_id.value) == "id: 请指定记录编号（或以 --batch 批量出具）"
    nothing_issued()


def test_help_describes_the_batch() -> None:
    from xiaoneng.documents.management.commands.document import Command

    text = Command().create_parser("xiaoneng", "document").format_help()
    for expected in ("--batch", "--unit CODE", "--since YYYY-MM-DD", "FILE.zip", "清单.csv"):
        assert expected in text, expected


# The shared font --------------------------------------------------------------------------


def stamp(number: str) -> Stamp:
    return Stamp(
        bureau="示范县市场监督管理局",
        title="责令改正通知书",
        number=number,
        verification_code="ABCDEFGHJK",
        verify_url="https://example.org/verify/ABCDEFGHJK/",
        issued_at=dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC),
    )


def render(text: str) -> bytes:
    pdf = DocumentPdf(stamp(f"伊市监责改〔2026〕{len(text)}号"))
    pdf.paragraph(text)
    return pdf.to_bytes()


def embedded_font(data: bytes) -> TTFont:
    """The font subset the PDF embeds."""
    reader = PdfReader(io.BytesIO(data))
    resources: Any = reader.pages[0]["/Resources"]
    font = resources["/Font"]
    (name,) = list(font)
    descendant = font[name].get_object()["/DescendantFonts"][0].get_object()
    stream = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
    return TTFont(io.BytesIO(stream.get_data()))


def embedded_characters(data: bytes) -> set[int]:
    """The characters the PDF's embedded font subset maps (its cmap)."""
    return set(embedded_font(data).getBestCmap())


def test_each_document_embeds_only_its_own_glyphs_even_rendered_at_once() -> None:
    texts = ["甲乙丙丁戊", "己庚辛壬癸", "子丑寅卯辰巳", "午未申酉戌亥"]
    alone = [render(text) for text in texts]
    for text, data in zip(texts, alone, strict=True):
        characters = embedded_characters(data)
        assert {ord(c) for c in text} <= characters
        others = {ord(c) for other in texts if other != text for c in other}
        assert not others & characters
        # The whole font holds some 7,000 glyphs; a document embeds a few dozen.
        assert len(characters) < 100
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(render, texts * 3))
    assert together == alone * 3
    # The shared tables are as parsed: every glyph's metrics, outline and mapping.
    parsed = shared_font()
    assert len(parsed.tables["hmtx"].metrics) == len(parsed.glyph_order) == 7977
    assert [len(t.cmap) for t in parsed.tables["cmap"].tables] == [7736, 7736]


def test_the_subset_holds_the_glyphs_fpdf2_alone_would_embed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "责令改正通知书：冷柜内有过期酸奶 3 盒（《中华人民共和国食品安全法》第三十三条）"
    shared = embedded_font(render(text))

    def parsed_each_time(pdf: Any, _parsed: Any, fontkey: str) -> TTFFont:
        return TTFFont(pdf, FONT_FILE, fontkey, "")

    monkeypatch.setattr("xiaoneng.documents.rendering.pdf.document_font", parsed_each_time)
    alone = embedded_font(render(text))
    assert shared.getBestCmap() == alone.getBestCmap()
    assert shared.getGlyphOrder() == alone.getGlyphOrder()
    for name in alone.getGlyphOrder():
        assert shared["glyf"][name].compile(shared["glyf"]) == alone["glyf"][name].compile(
            alone["glyf"]
        ), name
        assert shared["hmtx"][name] == alone["hmtx"][name]
    assert "BASE" in alone and "BASE" not in shared
