"""GB/T 9704-2012 measured on the PDF LibreOffice prints: 28 characters a
line, 22 lines a page, the margins, the page numbers, the red header, and a
signature that never starts a page alone. One conversion per document
(module-scoped fixtures): each takes a second or two."""

import datetime

import pytest

from core.official import Heading, OfficialDocument, Paragraph, render_docx, written_date

from .layout import (
    BODY_SIZE,
    LEFT,
    PITCH,
    RIGHT,
    TOLERANCE,
    assert_a4,
    assert_full_body_pages,
    assert_official_layout,
    assert_page_numbers,
    assert_signature_with_the_body,
    assert_within_type_area,
    printed,
)

pytestmark = pytest.mark.libreoffice

ISSUER = "卫生监督执法专项行动领导小组办公室"
ISSUED_ON = datetime.date(2026, 11, 5)
DATE = written_date(ISSUED_ON)
# 50 characters, no digits: every character one em wide.
TEXT = "各单位要对照评定结果查找差距及时准确报送工作进展按期完成整改受到通报的单位要认真分析原因切实加以改进"
INDENTED, FULL, LAST = 26, 28, 10
# A paragraph of a first line (after the two-character indent), four full lines and ten characters.
LONG = (TEXT * 4)[: INDENTED + 4 * FULL + LAST]
MASTHEAD = "新乡市卫滨区卫生健康委员会文件"
NUMBER = "卫滨卫〔2026〕12号"
TITLE = "关于开展卫生监督执法专项行动的通知"


def document(blocks, **fields):
    return OfficialDocument(
        **{"title": TITLE, "number": NUMBER, "recipients": "各成员单位：", "issuer": ISSUER, "issued_on": ISSUED_ON, **fields},
        blocks=blocks,
    )


@pytest.fixture(scope="module")
def long_pdf():
    """Three pages and more of long paragraphs under two headings."""
    blocks = [Heading("一、总体情况", level=1), Heading("（一）基本情况", level=2)]
    blocks += [Paragraph(LONG) for _ in range(10)]
    return printed(render_docx(document(blocks)))


def test_long_document_passes_every_check(long_pdf):
    assert len(long_pdf.pages) >= 3
    assert_official_layout(long_pdf, issuer=ISSUER, date=DATE)


def test_a_full_page_holds_22_lines_of_28_characters(long_pdf):
    page = long_pdf.pages[1]
    lines = page.text_lines

    assert len(lines) == 22
    assert all(abs(line.size - BODY_SIZE) < 0.1 for line in lines)
    assert all(abs((a.y - b.y) - PITCH) < 0.5 for a, b in zip(lines, lines[1:]))
    lengths = [len(line.text) for line in lines]
    assert set(lengths) <= {INDENTED, FULL, LAST}, lengths
    full = [line for line in lines if len(line.text) == FULL]
    assert len(full) >= 12
    for line in full:
        # From the left margin to the right one.
        assert abs(line.x0 - LEFT) <= 1
        assert abs(line.x1 - RIGHT) <= TOLERANCE
    for line in lines:
        if len(line.text) == INDENTED:
            assert abs(line.x0 - (LEFT + 2 * BODY_SIZE)) <= 1  # two characters in


def test_every_page_is_numbered_on_its_outside_edge(long_pdf):
    assert [page.footer.text for page in long_pdf.pages] == [f"— {n} —" for n in range(1, len(long_pdf.pages) + 1)]
    assert_page_numbers(long_pdf)


def test_title_is_centred_in_size_2_above_the_body(long_pdf):
    first = long_pdf.pages[0]
    (title,) = first.find(TITLE)
    assert abs(title.size - 22) < 0.1
    assert abs((title.x0 + title.x1) / 2 - (LEFT + RIGHT) / 2) <= TOLERANCE
    (number,) = first.find(NUMBER)
    assert number.y > title.y
    assert not any(line.red for line in first.lines) and not first.red_strokes


@pytest.fixture(scope="module")
def date_at_the_break_pdf():
    """A body whose length, without keeping the signature with it, printed the
    issuer at the foot of page 2 and the date alone at the top of page 3."""
    blocks = [Paragraph(TEXT[:INDENTED] + TEXT[:FULL])] + [Paragraph(TEXT[:INDENTED] + TEXT[:FULL]) for _ in range(17)]
    return printed(render_docx(document(blocks)))


def test_the_date_never_falls_alone_on_a_new_page(date_at_the_break_pdf):
    pdf = date_at_the_break_pdf
    assert_a4(pdf)
    assert_within_type_area(pdf)
    assert_page_numbers(pdf)
    assert_signature_with_the_body(pdf, issuer=ISSUER, date=DATE)
    # The break still falls there: the body's last lines went over with the signature.
    assert len(pdf.pages) == 3
    last = pdf.pages[-1]
    assert [line.text for line in last.text_lines][-2:] == [ISSUER, DATE]
    assert len(last.body_lines) > 2


@pytest.fixture(scope="module")
def red_header_pdf():
    blocks = [Heading("一、总体要求", level=1)] + [Paragraph(LONG) for _ in range(4)]
    return printed(render_docx(document(blocks, masthead=MASTHEAD)))


def test_red_header_masthead_number_separator_then_title(red_header_pdf):
    pdf = red_header_pdf
    assert_official_layout(pdf, issuer=ISSUER, date=DATE)
    first = pdf.pages[0]
    (masthead,) = first.find(MASTHEAD)
    (number,) = first.find(NUMBER)
    (title,) = first.find(TITLE)
    assert masthead.red and not number.red and not title.red
    assert masthead.size > title.size
    # Centred, and narrowed to the type area rather than wrapped.
    assert abs((masthead.x0 + masthead.x1) / 2 - (LEFT + RIGHT) / 2) <= TOLERANCE
    assert masthead.y > number.y > title.y
    # The red line across the type area, about 4 mm under the 文号, above the title.
    (separator,) = {(round(x0), round(y0), round(x1), round(y1)) for x0, y0, x1, y1 in first.red_strokes}
    x0, y0, x1, y1 = separator
    assert y0 == y1
    assert abs(min(x0, x1) - LEFT) <= TOLERANCE and abs(max(x0, x1) - RIGHT) <= TOLERANCE
    gap = number.bottom - y0
    assert 8 <= gap <= 20, f"the separator is {gap:.1f} pt under the 文号"
    assert title.y < y0
    # Only the first page has the header.
    assert all(not page.red_strokes and not any(line.red for line in page.lines) for page in pdf.pages[1:])


def test_full_pages_after_a_red_header_keep_22_lines(red_header_pdf):
    assert_full_body_pages(red_header_pdf)
