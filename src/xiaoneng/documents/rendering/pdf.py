"""The page of every enforcement document: A4, the vendored Chinese font, the verification QR.

fpdf2 embeds only the glyphs a document uses (a PDF of a few dozen KB) from the font vendored
under ``documents/fonts/`` (Noto Sans SC, subset to GB 2312 at vendoring time: docs/vendor.md),
so a fresh machine renders documents with no system font and no network (ADR 0025). The
layout follows the SAMR 2021 templates and GB/T 9704-2012 (docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILE = FONT_DIR / "NotoSansSC-Regular.ttf"
FONT = "NotoSansSC"
BODY_PT = 11
LINE_MM = 6.5
# Where the QR code and the code sit on the first page, top right (mm).
QR_SIZE_MM = 22


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
        self.add_font(FONT, "", str(FONT_FILE))
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
