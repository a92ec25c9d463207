"""The page of every enforcement document: A4, the vendored Chinese font, the verification QR.

fpdf2 embeds only the glyphs a document uses (a PDF of a few dozen KB) from the font vendored
under ``documents/fonts/`` (Noto Sans SC, subset to GB 2312 at vendoring time: docs/vendor.md),
so a fresh machine renders documents with no system font and no network (ADR 0025). The
layout follows the SAMR 2021 templates and GB/T 9704-2012 (docs/documents.md).

Speed (issue 15: one document ≤ 300 ms): parsing the 2.3 MB font — its cmap, its metrics, its
glyph names and its glyph index, ~60 % of a render before — is done once per process
(``shared_font``) and shared by every document, read-only. What a document writes to stays its
own: the glyphs it picks (its ``SubsetMap``), its widths table (a ``defaultdict`` that grows on
lookups), its font descriptor (fpdf2 hangs the PDF's objects on it) and the fontTools font that
fpdf2 subsets *in place* when it writes the PDF: each document opens one from the font's bytes
in memory, with shallow copies of the tables decompiled once (the subsetter replaces their
contents rather than changing them) and Glyph objects of its own (``Glyphs``). So one
document's subset never holds another's glyphs, and threads may render at once
(tests/documents/test_batch.py). The subset's glyphs and cmap are those fpdf2 alone would
embed; its head/hhea/maxp keep the whole font's bounds, and BASE and STAT are left out too.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import threading
from collections import defaultdict
from collections.abc import Iterator, KeysView, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from fontTools import ttLib
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILE = FONT_DIR / "NotoSansSC-Regular.ttf"
FONT = "NotoSansSC"
BODY_PT = 11
LINE_MM = 6.5
# Where the QR code and the code sit on the first page, top right (mm).
QR_SIZE_MM = 22
# The font's tables decompiled once and copied into each document's font: its metrics (7,977
# glyphs, horizontal and vertical), its cmap and its glyphs (``ParsedFont.glyphs``): most of
# what subsetting the font costs.
SHARED_TABLES = ("hmtx", "vmtx", "cmap", "glyf")
# Tables left out of the embedded subset, as fpdf2 leaves out GSUB, GPOS and GDEF (which
# fontTools would still read before dropping them): baselines for line layout (BASE) and a
# variable font's style axes (STAT), which no PDF reader reads; reading, subsetting and writing
# these five cost ~15 % of a render.
UNREAD_TABLES = ("BASE", "STAT", "GDEF", "GPOS", "GSUB")


@dataclass(frozen=True)
class ParsedFont:
    """The font parsed once per process: its bytes, its glyph order and fpdf2's reading of it
    (widths, cmap, glyph ids, descriptor, names), none of which any document changes."""

    data: bytes
    glyph_order: tuple[str, ...]
    template: TTFFont
    # Tables read once and copied into each document's font (``document_font``).
    tables: dict[str, DefaultTable]
    # Each glyph's outline as stored (bytes): a document's font gets Glyph objects of its own
    # over them, since subsetting changes glyphs in place (components renumbered, trimmed).
    glyphs: dict[str, bytes]


_parsed: dict[Path, ParsedFont] = {}
_parsing = threading.Lock()


def shared_font(path: Path = FONT_FILE) -> ParsedFont:
    """The font at ``path``, parsed on first use (under a lock: one parse per process)."""
    found = _parsed.get(path)
    if found is not None:
        return found
    with _parsing:
        found = _parsed.get(path)
        if found is None:
            found = _parsed[path] = _parse(path)
    return found


def _parse(path: Path) -> ParsedFont:
    data = path.read_bytes()
    # fpdf2's own parse, on a throwaway FPDF whose font is never written (nor subset).
    template = TTFFont(FPDF(), path, FONT.lower(), "")
    if template.color_font is not None or template.is_cff:  # pragma: no cover - vendored font
        raise ValueError(f"{path}: only a TrueType outline font can be shared")
    glyph_order = tuple(template.ttfont.getGlyphOrder())
    template.ttfont.close()
    master = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    master.setGlyphOrder(list(glyph_order))
    tables = {tag: master[tag] for tag in SHARED_TABLES if tag in master}
    for subtable in tables["cmap"].tables if "cmap" in tables else ():
        subtable.ensureDecompiled()
    # Read from the table's dict, not glyf[name], which would unpack each glyph.
    glyphs = {
        name: getattr(glyph, "data", b"")
        for name, glyph in (tables["glyf"].glyphs.items() if "glyf" in tables else ())
    }
    return ParsedFont(
        data=data, glyph_order=glyph_order, template=template, tables=tables, glyphs=glyphs
    )


class Glyphs(dict[str, Glyph]):
    """A document's glyf glyphs, each made from the shared outline when first asked for: the
    subset takes a few dozen of the 7,977. Every read (``in``, ``len``, iterating, ``values``)
    answers for all of them, as the dict fontTools reads would."""

    def __init__(self, outlines: dict[str, bytes]) -> None:
        super().__init__()
        self.outlines = outlines

    def __missing__(self, name: str) -> Glyph:
        glyph = self[name] = Glyph(self.outlines[name])
        return glyph

    def __contains__(self, name: object) -> bool:
        return name in self.outlines

    def __len__(self) -> int:
        return len(self.outlines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.outlines)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return self.outlines.keys()

    def values(self) -> list[Glyph]:  # type: ignore[override]
        return [self[name] for name in self.outlines]

    def items(self) -> list[tuple[str, Glyph]]:  # type: ignore[override]
        return [(name, self[name]) for name in self.outlines]

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.outlines else default


def _own_copy(parsed: ParsedFont, table: DefaultTable) -> DefaultTable:
    """A copy of a shared table that the subsetter may change without touching the shared one:
    it *replaces* ``metrics`` (hmtx, vmtx), the cmap's list of subtables and each subtable's
    mapping, and glyf's dict of glyphs and glyph order, never changing them in place
    (fontTools.subset, ``subset_glyphs``); glyphs, which it does change, are new objects."""
    own = copy.copy(table)
    if table.tableTag == "cmap":
        own.tables = [copy.copy(subtable) for subtable in table.tables]
    elif table.tableTag == "glyf":
        own.glyphs = Glyphs(parsed.glyphs)
        own.glyphOrder = list(parsed.glyph_order)
        own._reverseGlyphOrder = {}
    return own


def document_font(pdf: FPDF, parsed: ParsedFont, fontkey: str) -> TTFFont:
    """A font of ``pdf`` sharing ``parsed``'s read-only tables, with its own subset, widths
    and fontTools font (opened lazily from the bytes in memory: fpdf2 subsets it in place)."""
    template = parsed.template
    font = TTFFont.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(template, slot):
            setattr(font, slot, getattr(template, slot))
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    missing_width = template.desc.missing_width  # fpdf2's default for an unmapped character
    font.cw = defaultdict(lambda: missing_width, template.cw)
    font.glyph_ids = dict(template.glyph_ids)
    # fpdf2 writes the PDF's object id, font name and font stream onto the descriptor.
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    # recalcBBoxes=False: the subset keeps the whole font's bounds in head/hhea/maxp (larger
    # than its glyphs need, which readers accept) instead of unpacking and re-packing each
    # glyph to recompute them (~30 ms a document); each glyph's own box is unchanged.
    font.ttfont = ttLib.TTFont(
        io.BytesIO(parsed.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
    )
    # The glyph names fontTools would otherwise derive again from the cmap (post format 3),
    # and the tables it would otherwise decompile again for the subset.
    font.ttfont.setGlyphOrder(list(parsed.glyph_order))
    for tag, table in parsed.tables.items():
        font.ttfont.tables[tag] = _own_copy(parsed, table)
    for tag in UNREAD_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font.subset = SubsetMap(font)
    return font


@dataclass(frozen=True)
class Stamp:
    """What every issued document prints beside its content: who issued it, its number, and
    how to verify it (the QR code's address and the short code)."""

    bureau: str
    title: str
    number: str
    verification_code: str
    verify_url: str
    issued_at: dt.datetime


def qr_png(url: str) -> io.BytesIO:
    """The QR code of ``url`` as a PNG in memory (segno, pure Python; error level M)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


class DocumentPdf(FPDF):
    """An A4 document with its head (bureau, title, number, QR) and a footer on every page
    naming the number, the verification code and the page (第 1 页 共 2 页)."""

    def __init__(self, stamp: Stamp) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.stamp = stamp
        # GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm; a little less, for a phone's screen too.
        self.set_margins(left=25, top=20, right=20)
        self.set_auto_page_break(auto=True, margin=22)
        # add_font(FONT, "", FONT_FILE), without parsing the font again (module docstring).
        fontkey = FONT.lower()
        self.fonts[fontkey] = document_font(self, shared_font(), fontkey)
        self.set_font(FONT, size=BODY_PT)
        self.set_title(f"{stamp.title} {stamp.number}")
        self.set_author(stamp.bureau)
        self.set_subject(stamp.title)
        self.set_creator("xiaoneng")
        self.set_creation_date(stamp.issued_at)
        self.alias_nb_pages()
        self.add_page()
        self._head()

    def _head(self) -> None:
        stamp = self.stamp
        self.image(
            qr_png(stamp.verify_url),
            x=self.w - self.r_margin - QR_SIZE_MM,
            y=self.t_margin - 8,
            w=QR_SIZE_MM,
            h=QR_SIZE_MM,
        )
        self.set_xy(self.w - self.r_margin - QR_SIZE_MM - 6, self.t_margin - 8 + QR_SIZE_MM)
        self.set_font(FONT, size=8)
        self.cell(QR_SIZE_MM + 6, 4, f"核验码 {stamp.verification_code}", align=Align.C)
        self.set_xy(self.l_margin, self.t_margin + 4)
        self.set_font(FONT, size=16)
        self.cell(0, 9, stamp.bureau, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=20)
        self.cell(0, 12, stamp.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=BODY_PT)
        self.cell(0, 8, stamp.number, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(
            0,
            5,
            f"{self.stamp.number}　核验码 {self.stamp.verification_code}　"
            f"第 {self.page_no()} 页 共 {{nb}} 页",
            align=Align.C,
        )
        self.set_font(FONT, size=BODY_PT)

    # Building blocks ---------------------------------------------------------------------------

    def field(self, label: str, value: str) -> None:
        """``label：value`` on as many lines as the value needs; an empty value leaves a line
        to fill in by hand, as on the printed templates."""
        self.set_font(FONT, size=BODY_PT)
        text = f"{label}：{value or '＿' * 12}"
        self.multi_cell(
            0, LINE_MM, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Two ``label：value`` pairs on one line (half the width each)."""
        half = (self.w - self.l_margin - self.r_margin) / 2
        for label, value in pairs:
            self.multi_cell(
                half,
                LINE_MM,
                f"{label}：{value or '＿' * 8}",
                wrapmode=WrapMode.CHAR,
                new_x=XPos.RIGHT,
                new_y=YPos.TOP,
            )
        self.ln(LINE_MM)

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.set_font(FONT, size=BODY_PT + 1)
        self.cell(0, LINE_MM + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=BODY_PT)

    def paragraph(self, text: str) -> None:
        self.multi_cell(
            0, LINE_MM, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
    ) -> None:
        """A bordered table whose cells wrap by character (Chinese has no spaces to break at)."""
        self.set_font(FONT, size=BODY_PT - 1)
        with self.table(
            col_widths=tuple(widths),
            headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235)),
            line_height=LINE_MM - 1,
            text_align=("CENTER", "LEFT", "CENTER", "LEFT")[: len(widths)],
            wrapmode=WrapMode.CHAR,
            padding=1,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)
        self.set_font(FONT, size=BODY_PT)

    def signature_line(self, label: str, names: str = "") -> None:
        """A line to sign on, with the date to write beside it (年 月 日)."""
        self.ln(2)
        self.multi_cell(
            0,
            LINE_MM,
            f"{label}：{names}",
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.cell(0, LINE_MM, "年　　月　　日", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
