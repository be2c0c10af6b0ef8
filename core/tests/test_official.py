"""The official-document writer lays documents out as GB/T 9704 prints them."""

import datetime
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.official import Heading, OfficialDocument, Paragraph, Table, docx_text, render_docx

ISSUER = "管城回族区卫生健康委员会文明执法素养提升三年行动领导小组办公室"


def sample():
    return OfficialDocument(
        title="关于2026年10月各成员单位综合评定情况的通报",
        number="管卫办〔2026〕3号",
        recipients="各成员单位：",
        issuer=ISSUER,
        issued_on=datetime.date(2026, 11, 5),
        blocks=[
            Heading("一、总体情况", level=1),
            Paragraph("10月份各单位按时报送率为95%。\n第二段正文。"),
            Table(header=["名次", "单位", "得分"], rows=[["1", "区卫生监督所", "95.0"], ["2", "法规科", "90.5"]]),
            Heading("（一）表扬单位", level=2),
            Paragraph("区卫生监督所\x07报送及时。"),
        ],
    )


def opened(doc=None):
    return Document(io.BytesIO(render_docx(doc or sample())))


def east_asia(style):
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph(document, text):
    (found,) = [p for p in document.paragraphs if p.text == text]
    return found


def mm(length):
    return round(length / Mm(1), 1)


def test_page_is_a4_with_the_standards_margins():
    section = opened().sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)


def test_title_number_recipients_and_body_in_order():
    document = opened()
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:4] == ["管卫办〔2026〕3号", "关于2026年10月各成员单位综合评定情况的通报", "各成员单位：", "一、总体情况"]
    assert texts[-2:] == [ISSUER, "2026年11月5日"]
    # The paragraph break of the text makes two paragraphs; a control character is dropped.
    assert "第二段正文。" in texts
    assert "区卫生监督所报送及时。" in texts


def test_title_in_fangzheng_xiaobiaosong_size_2_centred():
    title = paragraph(opened(), "关于2026年10月各成员单位综合评定情况的通报")
    assert title.style.name == "公文标题"
    assert east_asia(title.style) == "方正小标宋简体"
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_body_in_fangsong_size_3_indented_two_characters_fixed_line():
    document = opened()
    body = paragraph(document, "第二段正文。")
    style = body.style
    assert style.name == "Normal"
    assert east_asia(style) == "仿宋_GB2312"
    assert style.font.name == "仿宋_GB2312"
    assert style.font.size == Pt(16)
    fmt = style.paragraph_format
    assert fmt.first_line_indent == Pt(32)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= fmt.line_spacing <= Pt(29)


def test_headings_in_heiti_and_kaiti():
    document = opened()
    first = paragraph(document, "一、总体情况").style
    second = paragraph(document, "（一）表扬单位").style
    assert (east_asia(first), first.font.size) == ("黑体", Pt(16))
    assert (east_asia(second), second.font.size) == ("楷体_GB2312", Pt(16))


def test_issuer_and_date_right_aligned_at_the_end():
    document = opened()
    for text in (ISSUER, "2026年11月5日"):
        found = paragraph(document, text)
        assert (found.alignment or found.style.paragraph_format.alignment) == WD_ALIGN_PARAGRAPH.RIGHT


def test_table_keeps_its_cells():
    (table,) = opened().tables
    assert [c.text for c in table.rows[0].cells] == ["名次", "单位", "得分"]
    assert [c.text for c in table.rows[2].cells] == ["2", "法规科", "90.5"]


def test_page_numbers_on_the_outside_edges_in_size_4():
    document = opened()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.text == "— 1 —"  # the PAGE field's placeholder between dashes
        assert footer.style.font.size == Pt(14)
        assert footer._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_empty_number_and_recipients_are_left_out():
    doc = sample()
    doc.number, doc.recipients = "", ""
    texts = [p.text for p in opened(doc).paragraphs if p.text]
    assert texts[0] == "关于2026年10月各成员单位综合评定情况的通报"
    assert texts[1] == "一、总体情况"


def test_docx_text_reads_paragraphs_and_table_rows_in_order():
    text = docx_text(render_docx(sample()))
    assert "一、总体情况\n10月份各单位按时报送率为95%。\n第二段正文。\n名次\t单位\t得分\n1\t区卫生监督所\t95.0" in text


def test_body_characters_are_set_closer_so_that_28_fill_a_line():
    spacing = opened().styles["Normal"].element.rPr.find(qn("w:spacing"))
    # 28 × (16 pt − 0.25 pt) = 441 pt, within the 156 mm (442.2 pt) of a line.
    assert spacing.get(qn("w:val")) == "-5"
    assert 28 * (16 - 0.25) <= Mm(156).pt < 29 * (16 - 0.25)


def test_red_header_puts_the_masthead_in_red_over_the_number_and_a_red_line():
    doc = sample()
    doc.masthead = "管城回族区卫生健康委员会文件"
    document = opened(doc)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["管城回族区卫生健康委员会文件", "管卫办〔2026〕3号", "关于2026年10月各成员单位综合评定情况的通报"]
    masthead = paragraph(document, "管城回族区卫生健康委员会文件")
    assert masthead.style.name == "发文机关标志"
    assert east_asia(masthead.style) == "方正小标宋简体"
    assert str(masthead.style.font.color.rgb) == "FF0000"
    assert masthead.style.font.size > Pt(22)
    assert mm(masthead.style.paragraph_format.space_before) == 35
    # 14 characters of 36 pt are wider than the type area: narrowed, not wrapped.
    scale = int(masthead.runs[0]._r.rPr.find(qn("w:w")).get(qn("w:val")))
    assert 14 * 36 * scale / 100 <= Mm(156).pt
    (bottom,) = paragraph(document, "管卫办〔2026〕3号")._p.xpath("./w:pPr/w:pBdr/w:bottom")
    assert (bottom.get(qn("w:color")), bottom.get(qn("w:val"))) == ("FF0000", "single")
    assert int(bottom.get(qn("w:space"))) == round(Mm(4).pt)


def test_without_a_masthead_nothing_is_red():
    document = opened()
    assert not [p for p in document.paragraphs if p.style.name == "发文机关标志"]
    assert not document.element.body.xpath(".//w:pBdr")


def test_the_signature_keeps_with_the_bodys_last_paragraph():
    document = opened()
    texts = [p.text for p in document.paragraphs]
    issuer = texts.index(ISSUER)
    last, blank, signed, dated = document.paragraphs[issuer - 2 : issuer + 2]
    assert last.text == "区卫生监督所报送及时。" and blank.text == ""
    assert last.paragraph_format.keep_with_next and blank.paragraph_format.keep_with_next
    assert signed.paragraph_format.keep_with_next
    assert dated.text == "2026年11月5日"


def test_table_columns_are_as_wide_as_what_they_hold():
    from docx import Document as Reader

    doc = OfficialDocument(
        title="表", blocks=[Table(header=["序号", "指标"], rows=[["1", "依法指导医疗机构落实防控措施"]])]
    )
    table = Reader(io.BytesIO(render_docx(doc))).tables[0]
    narrow, wide = (column.width for column in table.columns)
    assert wide > 2 * narrow
