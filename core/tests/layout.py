"""Measuring an official document on the PDF LibreOffice prints from it, for
the layout tests of every app that writes one (core, documents, evaluations).

    pdf = printed(render_docx(doc))  # skips where LibreOffice is missing
    for page in pdf.pages: page.lines, page.red_text, page.red_strokes

Positions are PDF points from the page's bottom-left corner, read with
pypdf's text visitor: a line is the text drawn on one baseline, its x0 where
its first chunk starts, its x1 estimated from the last chunk's characters
(a CJK character one em, anything narrower half an em, each less the body's
0.25 pt of condensing, core.official.BODY_CHARACTER_SPACING). The named fonts are
substituted on a machine without them, so the checks measure geometry, not
glyph shapes.
"""

import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx.shared import Mm
from pypdf import PdfReader

from core import pdf as pdf_module
from core.official import BODY_CHARACTER_SPACING, LINE_SPACING, MARGINS

CJK_FONTS = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
A4 = (595.28, 841.89)  # 210 × 297 mm in points
TOLERANCE = Mm(2).pt
LEFT = MARGINS["left"].pt
RIGHT = A4[0] - MARGINS["right"].pt
TOP = A4[1] - MARGINS["top"].pt
BOTTOM = MARGINS["bottom"].pt
BODY_SIZE = 16.0  # 三号
PITCH = LINE_SPACING.pt
PAGE_NUMBER = re.compile(r"^— (\d+) —$")
CONDENSING = BODY_CHARACTER_SPACING / 20  # points
HANGING = "，。、；：！？”’）》」』】"


def printed(docx_bytes):
    """The measured PDF of .docx bytes. Skipped where LibreOffice is not
    installed; failed instead under REQUIRE_LIBREOFFICE=1, as CI sets it."""
    missing = []
    if not pdf_module.available():
        missing.append("LibreOffice (soffice)")
    if not any(CJK_FONTS.glob("Noto*CJK*")):
        # Without them every Chinese character would be measured as a box.
        missing.append("the CJK fonts")
    if missing:
        reason = f"{' and '.join(missing)} not found. Install them: apt-get install libreoffice-writer-nogui fonts-noto-cjk"
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return measure(pdf_module.docx_to_pdf(docx_bytes))


@dataclass
class Line:
    y: float  # the baseline
    x0: float
    x1: float
    text: str
    size: float  # the font size of its first chunk
    red: bool  # any of its text filled in red

    @property
    def x1_without_hanging(self):
        """Where the line ends but for a closing punctuation mark, which Word
        (w:overflowPunct, on by default) and LibreOffice let hang in the
        right margin rather than start the next line with it."""
        if self.text and self.text[-1] in HANGING:
            return self.x1 - em(self.text[-1]) * self.size - CONDENSING
        return self.x1

    @property
    def top(self):
        return self.y + 0.88 * self.size

    @property
    def bottom(self):
        return self.y - 0.12 * self.size


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list  # top to bottom
    red_strokes: list = field(default_factory=list)  # (x0, y0, x1, y1) of lines stroked in red

    @property
    def footer(self):
        """The page number's line, or None."""
        found = [line for line in self.lines if PAGE_NUMBER.match(line.text)]
        return found[-1] if found else None

    @property
    def text_lines(self):
        """Every line but the page number's."""
        return [line for line in self.lines if line is not self.footer]

    @property
    def body_lines(self):
        return [line for line in self.text_lines if abs(line.size - BODY_SIZE) < 0.1]

    def find(self, text):
        return [line for line in self.text_lines if text in line.text]


@dataclass
class Printed:
    pages: list
    data: bytes

    def lines(self):
        """(page, line) of every text line in reading order, page numbers left out."""
        return [(page, line) for page in self.pages for line in page.text_lines]

    def page_of(self, text):
        (found,) = [page for page, line in self.lines() if text in line.text]
        return found

    def line_before(self, text):
        """The page and line printed just before the line holding `text`."""
        lines = self.lines()
        (index,) = [i for i, (_, line) in enumerate(lines) if text in line.text]
        return lines[index - 1]


def em(char):
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


def is_red(colour):
    return len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.2 and colour[2] < 0.2


def read_page(number, page):
    chunks = []
    fill, stroke, stack, path, strokes = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), [], [], []

    def before(operator, operands, cm, tm):
        nonlocal fill, stroke, path
        if operator == b"q":
            stack.append((fill, stroke))
        elif operator == b"Q" and stack:
            fill, stroke = stack.pop()
        elif operator == b"rg":
            fill = tuple(float(v) for v in operands)
        elif operator == b"RG":
            stroke = tuple(float(v) for v in operands)
        elif operator == b"g":
            fill = (float(operands[0]),) * 3
        elif operator == b"G":
            stroke = (float(operands[0]),) * 3
        elif operator in (b"m", b"l"):
            x, y = float(operands[0]), float(operands[1])
            path.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))
        elif operator in (b"S", b"s"):
            if is_red(stroke):
                strokes.extend(zip(path, path[1:]))
            path = []
        elif operator in (b"n", b"f", b"F", b"f*", b"B", b"b"):
            path = []

    def text(content, cm, tm, font, size):
        if content.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            # tm[0] narrows the characters of a compressed line (字宽压缩).
            chunks.append((round(y, 1), x, content.strip("\n"), size * tm[3] * cm[3], size * tm[0] * cm[0], is_red(fill)))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    rows = {}
    for y, *chunk in chunks:
        rows.setdefault(y, []).append(chunk)
    lines = []
    for y in sorted(rows, reverse=True):
        row = sorted(rows[y])
        last_x, last_text, _, width, _ = row[-1]
        lines.append(
            Line(
                y=y,
                x0=row[0][0],
                x1=last_x + sum(em(c) * width + CONDENSING for c in last_text),
                text="".join(content for _, content, *_ in row).strip(),
                size=row[0][2],
                red=any(red for *_, red in row),
            )
        )
    box = page.mediabox
    red_strokes = [(a[0], a[1], b[0], b[1]) for a, b in strokes]
    return Page(number=number, width=float(box.width), height=float(box.height), lines=lines, red_strokes=red_strokes)


def measure(data):
    reader = PdfReader(io.BytesIO(data))
    return Printed(pages=[read_page(n, page) for n, page in enumerate(reader.pages, start=1)], data=data)


# Checks every official document passes, whatever it says.


def assert_a4(pdf):
    for page in pdf.pages:
        assert abs(page.width - A4[0]) <= 1 and abs(page.height - A4[1]) <= 1, f"page {page.number} is not A4"


def assert_within_type_area(pdf):
    """Every line of text inside the margins; the page number below the type area."""
    for page in pdf.pages:
        for line in page.text_lines:
            where = f"page {page.number}: {line.text!r}"
            assert line.x0 >= LEFT - TOLERANCE, f"{where} starts left of the margin ({line.x0:.1f} pt)"
            assert line.x1_without_hanging <= RIGHT + TOLERANCE, f"{where} ends right of the margin ({line.x1:.1f} pt)"
            assert line.top <= TOP + TOLERANCE, f"{where} rises above the top margin"
            assert line.bottom >= BOTTOM - TOLERANCE, f"{where} falls below the bottom margin"


def assert_page_numbers(pdf):
    """— N — on every page, below the type area, odd pages right, even pages left."""
    for page in pdf.pages:
        footer = page.footer
        assert footer is not None, f"page {page.number} has no page number"
        assert footer.text == f"— {page.number} —"
        assert footer.y < BOTTOM
        if page.number % 2:
            assert footer.x1 > RIGHT - 40 and footer.x0 > A4[0] / 2, f"page {page.number}'s number is not on the right"
        else:
            assert footer.x0 < LEFT + 40, f"page {page.number}'s number is not on the left"


def assert_full_body_pages(pdf):
    """A page of body text whose last paragraph runs on to the next page (which
    starts at the left margin, not indented, and is no 附件's first page) is
    full: 22 lines, one line pitch apart (a blank line counted by the gap it
    leaves)."""
    for page, following in zip(pdf.pages, pdf.pages[1:]):
        lines = page.text_lines
        # An attachment (附件1) starts its own page at the left margin too.
        runs_on = (
            following.text_lines
            and abs(following.text_lines[0].x0 - LEFT) < 1
            and not following.text_lines[0].text.startswith("附件")
        )
        if lines and runs_on and all(abs(line.size - BODY_SIZE) < 0.1 for line in lines) and not page.red_strokes:
            gaps = [(a.y - b.y) / PITCH for a, b in zip(lines, lines[1:])]
            assert all(abs(gap - round(gap)) < 0.05 for gap in gaps), f"page {page.number}'s lines are off the pitch"
            assert round(sum(gaps)) + 1 == 22, f"page {page.number} holds {round(sum(gaps)) + 1} lines of body text"


def assert_signature_with_the_body(pdf, *, issuer, date):
    """The issuer, the date and the body's last line on one page, the date under the issuer."""
    page = pdf.page_of(issuer)
    (issuer_line,) = page.find(issuer)
    dates = page.find(date)
    assert dates, f"the date is on page {pdf.page_of(date).number}, the issuer on page {page.number}"
    (date_line,) = dates
    assert date_line.y < issuer_line.y
    before, last_body = pdf.line_before(issuer)
    assert before is page, f"the body's last line {last_body.text!r} is on page {before.number}, the issuer on {page.number}"


def assert_official_layout(pdf, *, issuer, date):
    assert_a4(pdf)
    assert_within_type_area(pdf)
    assert_page_numbers(pdf)
    assert_full_body_pages(pdf)
    assert_signature_with_the_body(pdf, issuer=issuer, date=date)
