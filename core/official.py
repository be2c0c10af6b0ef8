"""Official documents (公文) laid out as GB/T 9704-2012 prints them, as .docx.

    doc = OfficialDocument(title=..., number=..., recipients=..., issuer=..., issued_on=..., blocks=[...])
    data = render_docx(doc)

The layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
(the standard's 156 × 225 mm type area); the title in 方正小标宋简体 二号,
centred; the body in 仿宋_GB2312 三号 with a two-character first-line indent
and a fixed 28.95 pt line (22 lines a page); level-1 headings (一、) in
黑体 三号, level-2 headings (（一）) in 楷体_GB2312 三号; page numbers in
宋体 四号 as "— 1 —", odd pages on the right and even pages on the left
(the outside edges when printed on both sides); the issuer and the date
right-aligned at the end, kept on one page with the body's last paragraph
(never a date alone on a new page).

28 characters a line: three-size characters are 16 pt and a line 442.2 pt,
so each is set 0.25 pt closer (BODY_CHARACTER_SPACING). Word and WPS offer a
character grid instead (w:docGrid linesAndChars, charSpace −849), but
LibreOffice 7 gives each character wider than the grid's cell two cells and
prints 14 characters a line; the closer spacing gives 28 in all three, and
the fixed line height 22 lines a page, so the section has no grid.

A red header (版头) when `masthead` is set (GB/T 9704-2012 7.2): the
发文机关标志 in red 小标宋, larger than the title, its top 35 mm below the
type area's top, narrowed (字宽压缩) where it is wider than the type area;
the 文号 two lines below it; the red separator 4 mm under the 文号, as wide
as the type area (the 文号 paragraph's bottom border); two blank lines; the
title. Without a masthead the 文号 stands alone above the title.

core/tests/layout.py measures these on the PDF LibreOffice prints
(core/tests/test_layout_pdf.py and each app's document layout tests).

Fonts are named, not embedded: a machine without 方正小标宋简体 shows a
substitute, and the clerk's machine, which has it, prints the real one.
Word picks the font of Chinese characters from ``w:rFonts/@w:eastAsia``,
which python-docx's ``font.name`` does not set, so every style sets it here.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Chinese type sizes (字号) in points.
SIZE_MASTHEAD = Pt(36)  # 小初: the 发文机关标志 stands larger than the title
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# 225 mm of type area over 22 lines.
LINE_SPACING = Pt(28.95)
CHAR = SIZE_3  # one character of body text, for indents
# 28 characters of 三号 (16 pt) are 448 pt, more than the 156 mm (442.2 pt)
# of a line: each character is set 0.25 pt closer (in twentieths of a point),
# 15.75 pt a character, so that exactly 28 fit in Word, WPS and LibreOffice.
BODY_CHARACTER_SPACING = -5

MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TYPE_AREA_WIDTH = Mm(210 - 28 - 26)

RED = RGBColor(0xFF, 0x00, 0x00)
# GB/T 9704-2012 7.2: the 发文机关标志's top edge 35 mm below the type area's
# top; the red separator 4 mm below the 文号, as wide as the type area.
MASTHEAD_TOP = Mm(35)
SEPARATOR_GAP_PT = 11  # 4 mm, in points, as w:pBdr's w:space counts it
SEPARATOR_WIDTH = 12  # eighths of a point: a 1.5 pt line
# What follows w:pBdr in w:pPr, and w:spacing and w:w in w:rPr, in the
# schema's order: Word refuses a file whose properties are out of it.
PPR_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                     "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                     "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                     "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                     "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
RPR_AFTER_SCALE = ("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
                   "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
                   "w:oMath")
RPR_AFTER_SPACING = ("w:w", *RPR_AFTER_SCALE)

# Characters XML 1.0 cannot carry; python-docx refuses them, and units do
# paste them from other programs.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STYLE_MASTHEAD = "发文机关标志"
STYLE_TITLE = "公文标题"
STYLE_NUMBER = "发文字号"
STYLE_RECIPIENTS = "主送机关"
STYLE_HEADING = {1: "一级标题", 2: "二级标题", 3: "三级标题"}
STYLE_TABLE = "公文表格"
STYLE_SIGNATURE = "落款"
STYLE_PAGE_NUMBER = "页码"


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: 一、 (黑体); 2: （一） (楷体); 3: 1. (仿宋, bold)


@dataclass
class Paragraph:
    text: str  # a line break starts a new paragraph


@dataclass
class Table:
    header: list
    rows: list  # lists of cells; each cell is written as str()


@dataclass
class Appendix:
    """An attachment (附件) printed after the signature, on a new page."""

    title: str
    blocks: list = field(default_factory=list)


@dataclass
class OfficialDocument:
    title: str
    number: str = ""  # 发文字号, e.g. 管卫办〔2026〕3号
    recipients: str = ""  # 主送机关, e.g. 各成员单位：
    issuer: str = ""  # 发文机关署名
    issued_on: datetime.date = None  # 成文日期
    blocks: list = field(default_factory=list)
    # 发文机关标志 of a red header (红头), e.g. 新乡市卫滨区卫生健康委员会文件;
    # empty: no red header.
    masthead: str = ""
    appendices: list = field(default_factory=list)  # Appendix, 附件1, 附件2, …


BLOCK_KINDS = {"heading": Heading, "paragraph": Paragraph, "table": Table}


def blocks_data(blocks):
    data = []
    for block in blocks:
        if isinstance(block, Heading):
            data.append({"kind": "heading", "text": block.text, "level": block.level})
        elif isinstance(block, Paragraph):
            data.append({"kind": "paragraph", "text": block.text})
        elif isinstance(block, Table):
            data.append({"kind": "table", "header": list(block.header), "rows": [list(r) for r in block.rows]})
        else:
            raise TypeError(f"not a block of an official document: {block!r}")
    return data


def blocks_from(data):
    blocks = []
    for item in data:
        kind = item.get("kind")
        if kind == "heading":
            blocks.append(Heading(str(item["text"]), level=int(item.get("level", 1))))
        elif kind == "paragraph":
            blocks.append(Paragraph(str(item["text"])))
        elif kind == "table":
            blocks.append(Table(header=[str(c) for c in item["header"]], rows=[[str(c) for c in r] for r in item["rows"]]))
        else:
            raise ValueError(f"not a block of an official document: {item!r}")
    return blocks


def to_data(doc):
    """The document as JSON-ready data, for keeping a draft's versions:
    from_data(to_data(doc)) == doc."""
    return {
        "title": doc.title,
        "number": doc.number,
        "recipients": doc.recipients,
        "issuer": doc.issuer,
        "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
        "masthead": doc.masthead,
        "blocks": blocks_data(doc.blocks),
        "appendices": [{"title": a.title, "blocks": blocks_data(a.blocks)} for a in doc.appendices],
    }


def from_data(data):
    """The OfficialDocument that to_data wrote."""
    return OfficialDocument(
        title=data.get("title", ""),
        number=data.get("number", ""),
        recipients=data.get("recipients", ""),
        issuer=data.get("issuer", ""),
        issued_on=datetime.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
        masthead=data.get("masthead", ""),
        blocks=blocks_from(data.get("blocks", [])),
        appendices=[Appendix(str(a["title"]), blocks_from(a.get("blocks", []))) for a in data.get("appendices", [])],
    )


def clean(text):
    return ILLEGAL.sub("", str(text if text is not None else ""))


def written_date(day):
    """2026年11月5日: GB/T 9704-2012 writes the date in Arabic numerals, unpadded."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_fonts(style, name, size, *, bold=None):
    style.font.name = name
    style.font.size = size
    if bold is not None:
        style.font.bold = bold
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)
    # A theme font would win over the named one.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)


def set_character_spacing(style, twentieths):
    """w:spacing of the run properties: the space added after each
    character (negative: closer), which python-docx does not offer."""
    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)
    spacing.set(qn("w:val"), str(twentieths))


def set_spacing(style, *, exact=LINE_SPACING, first_line=None, alignment=None, right=None):
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = exact
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = first_line
    fmt.left_indent = Pt(0)
    fmt.right_indent = right if right is not None else Pt(0)
    fmt.widow_control = False  # the standard fills every line of the type area
    if alignment is not None:
        fmt.alignment = alignment


def paragraph_style(document, name, base="Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def set_defaults(document):
    """The template's defaults name theme fonts (Calibri, an English
    language): replace them with the body font and Chinese."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def build_styles(document):
    set_defaults(document)
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONT, SIZE_3)
    set_character_spacing(normal, BODY_CHARACTER_SPACING)
    set_spacing(normal, first_line=CHAR * 2, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)

    masthead = paragraph_style(document, STYLE_MASTHEAD)
    set_fonts(masthead, TITLE_FONT, SIZE_MASTHEAD, bold=False)
    masthead.font.color.rgb = RED
    set_character_spacing(masthead, 0)
    set_spacing(masthead, exact=Pt(SIZE_MASTHEAD.pt * 1.25), first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.CENTER)
    masthead.paragraph_format.space_before = MASTHEAD_TOP
    masthead.paragraph_format.keep_with_next = True

    title = paragraph_style(document, STYLE_TITLE)
    set_fonts(title, TITLE_FONT, SIZE_2, bold=False)
    set_character_spacing(title, 0)
    set_spacing(title, exact=Pt(35), first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.CENTER)

    number = paragraph_style(document, STYLE_NUMBER)
    set_spacing(number, first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.CENTER)

    recipients = paragraph_style(document, STYLE_RECIPIENTS)
    set_spacing(recipients, first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.LEFT)

    for level, name in STYLE_HEADING.items():
        style = paragraph_style(document, name)
        font = {1: HEADING_1_FONT, 2: HEADING_2_FONT, 3: BODY_FONT}[level]
        set_fonts(style, font, SIZE_3, bold=level == 3)
        set_spacing(style, first_line=CHAR * 2, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
        style.paragraph_format.keep_with_next = True
        # An outline level, so the word processor's navigation pane lists the sections.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        style.element.get_or_add_pPr().append(outline)

    table = paragraph_style(document, STYLE_TABLE)
    set_fonts(table, BODY_FONT, SIZE_4)
    set_character_spacing(table, 0)
    set_spacing(table, exact=Pt(22), first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.CENTER)

    signature = paragraph_style(document, STYLE_SIGNATURE)
    set_spacing(signature, first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.RIGHT, right=CHAR * 2)

    page_number = paragraph_style(document, STYLE_PAGE_NUMBER)
    set_fonts(page_number, PAGE_NUMBER_FONT, SIZE_4)
    set_character_spacing(page_number, 0)
    set_spacing(page_number, exact=Pt(18), first_line=Pt(0))


def set_page(section):
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    # The page number sits 7 mm below the type area.
    section.footer_distance = Mm(28)
    section.header_distance = Mm(15)
    section.start_type = WD_SECTION.NEW_PAGE


def add_page_field(paragraph):
    """ — PAGE — : a field, so Word numbers every page."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(" —")


def page_numbers(document, section):
    """Odd pages right, even pages left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style = document.styles[STYLE_PAGE_NUMBER]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = SIZE_4
    add_page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = document.styles[STYLE_PAGE_NUMBER]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = SIZE_4
    add_page_field(even)


def add_lines(document, text, style):
    for line in clean(text).split("\n"):
        document.add_paragraph(line.strip(), style=style)


def repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def add_table(document, block):
    columns = max([len(block.header)] + [len(row) for row in block.rows] or [1])
    table = document.add_table(rows=1, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, block.header):
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles[STYLE_TABLE]
        run = paragraph.add_run(clean(text))
        run.bold = True
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[STYLE_TABLE]
            paragraph.add_run(clean(text))
    set_column_widths(table, [block.header, *block.rows], columns)
    # A table ends where the next paragraph would touch its border otherwise.
    document.add_paragraph("", style=STYLE_TABLE)
    return table


def set_column_widths(table, rows, columns):
    """Columns as wide as what they hold (a 指标 name wider than a 序号),
    across the type area: Word and LibreOffice otherwise share it equally."""
    longest = [4] * columns  # a cell's padding takes about a character
    for row in rows:
        for position, text in enumerate(row[:columns]):
            longest[position] = max(longest[position], min(len(clean(text)) + 1, 16))
    total = sum(longest)
    table.autofit = False
    for position, column in enumerate(table.columns):
        width = int(TYPE_AREA_WIDTH * longest[position] / total)
        column.width = width
        for cell in column.cells:
            cell.width = width


def add_red_header(document, doc):
    """版头: the 发文机关标志 centred in red, the 文号 two lines below it, the
    red separator 4 mm under the 文号 across the type area, and two blank
    lines to the title (GB/T 9704-2012 7.2). A name too long for one line of
    the type area is narrowed (字宽压缩), as offices print it, never wrapped."""
    text = clean(doc.masthead).replace("\n", "").strip()
    masthead = document.add_paragraph(style=STYLE_MASTHEAD)
    run = masthead.add_run(text)
    width = len(text) * SIZE_MASTHEAD
    if width > TYPE_AREA_WIDTH:
        scale = OxmlElement("w:w")
        scale.set(qn("w:val"), str(max(1, int(TYPE_AREA_WIDTH * 100 / width))))
        rpr = run._r.get_or_add_rPr()
        rpr.insert_element_before(scale, *RPR_AFTER_SCALE)
    for _ in range(2):
        document.add_paragraph("", style=STYLE_NUMBER).paragraph_format.keep_with_next = True
    number = document.add_paragraph(clean(doc.number), style=STYLE_NUMBER)
    number.paragraph_format.keep_with_next = True
    add_separator(number)
    for _ in range(2):
        document.add_paragraph("", style="Normal")


def add_separator(paragraph):
    """The red line under the paragraph, from the type area's left edge to its right."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", SEPARATOR_WIDTH), ("space", SEPARATOR_GAP_PT), ("color", str(RED))):
        bottom.set(qn(f"w:{name}"), str(value))
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDERS)


def build(doc):
    document = Document()
    build_styles(document)
    section = document.sections[0]
    set_page(section)
    page_numbers(document, section)
    document.core_properties.title = clean(doc.title).replace("\n", "")
    document.core_properties.author = clean(doc.issuer)
    # Document() starts with no paragraphs in the body; write in order.
    if clean(doc.masthead).strip():
        add_red_header(document, doc)
    elif doc.number:
        document.add_paragraph(clean(doc.number), style=STYLE_NUMBER)
        document.add_paragraph("", style=STYLE_NUMBER)
    add_lines(document, doc.title, STYLE_TITLE)
    document.add_paragraph("", style="Normal")  # the standard's blank line under the title
    if doc.recipients:
        document.add_paragraph(clean(doc.recipients), style=STYLE_RECIPIENTS)
    add_blocks(document, doc.blocks)
    if doc.appendices:
        # 附件说明 (GB/T 9704-2012, 7.3.4): under the body, before the signature.
        names = [clean(a.title).replace("\n", "") for a in doc.appendices]
        document.add_paragraph("", style="Normal")
        if len(names) == 1:
            document.add_paragraph(f"附件：{names[0]}", style="Normal")
        else:
            for number, name in enumerate(names, start=1):
                prefix = "附件：" if number == 1 else "　　　"
                document.add_paragraph(f"{prefix}{number}.{name}", style="Normal")
    if doc.issuer or doc.issued_on:
        # The signature never starts a page alone: the body's last paragraph,
        # the blank line, the issuer and the date go over a page break together.
        last = document.paragraphs[-1] if document.paragraphs else None
        if last is not None:
            last.paragraph_format.keep_with_next = True
        document.add_paragraph("", style="Normal").paragraph_format.keep_with_next = True
        if doc.issuer:
            issuer = document.add_paragraph(clean(doc.issuer), style=STYLE_SIGNATURE)
            issuer.paragraph_format.keep_with_next = bool(doc.issued_on)
            issuer.paragraph_format.keep_together = True
        if doc.issued_on:
            date = document.add_paragraph(written_date(doc.issued_on), style=STYLE_SIGNATURE)
            date.paragraph_format.keep_together = True
            # The date sits two characters further right than the name, where
            # the name is short enough for that (GB/T 9704-2012, 7.3.5.2).
            if doc.issuer and len(clean(doc.issuer)) >= len(written_date(doc.issued_on)) + 2:
                date.paragraph_format.right_indent = CHAR * 2
            else:
                date.paragraph_format.right_indent = CHAR * 4
    add_appendices(document, doc.appendices)
    return document


def add_blocks(document, blocks):
    for block in blocks:
        if isinstance(block, Heading):
            add_lines(document, block.text, STYLE_HEADING.get(block.level, "Normal"))
        elif isinstance(block, Paragraph):
            add_lines(document, block.text, "Normal")
        elif isinstance(block, Table):
            add_table(document, block)
        else:
            raise TypeError(f"not a block of an official document: {block!r}")


def add_appendices(document, appendices):
    """附件 after the signature, each from a new page: 附件1 in 黑体 at the
    top left, its title centred like the document's (GB/T 9704-2012, 8.1)."""
    for number, appendix in enumerate(appendices, start=1):
        label = document.add_paragraph(f"附件{number}" if len(appendices) > 1 else "附件", style=STYLE_HEADING[1])
        label.paragraph_format.first_line_indent = Pt(0)
        label.paragraph_format.page_break_before = True
        document.add_paragraph("", style="Normal")
        add_lines(document, appendix.title, STYLE_TITLE)
        document.add_paragraph("", style="Normal")
        add_blocks(document, appendix.blocks)


def render_docx(doc):
    """The document as .docx bytes."""
    out = io.BytesIO()
    build(doc).save(out)
    return out.getvalue()


def docx_text(data):
    """The paragraphs and table cells of .docx bytes as text, one line each,
    in document order: what a reader sees, for comparing documents in tests
    and checks."""
    document = Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(node.text or "" for node in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = ["".join(node.text or "" for node in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                lines.append("\t".join(cells))
    return "\n".join(lines)
