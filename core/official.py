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
right-aligned at the end.

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
from docx.shared import Mm, Pt

# Chinese type sizes (字号) in points.
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

MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}

# Characters XML 1.0 cannot carry; python-docx refuses them, and units do
# paste them from other programs.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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
    set_spacing(normal, first_line=CHAR * 2, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)

    title = paragraph_style(document, STYLE_TITLE)
    set_fonts(title, TITLE_FONT, SIZE_2, bold=False)
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
    set_spacing(table, exact=Pt(22), first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.CENTER)

    signature = paragraph_style(document, STYLE_SIGNATURE)
    set_spacing(signature, first_line=Pt(0), alignment=WD_ALIGN_PARAGRAPH.RIGHT, right=CHAR * 2)

    page_number = paragraph_style(document, STYLE_PAGE_NUMBER)
    set_fonts(page_number, PAGE_NUMBER_FONT, SIZE_4)
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
    # A table ends where the next paragraph would touch its border otherwise.
    document.add_paragraph("", style=STYLE_TABLE)
    return table


def build(doc):
    document = Document()
    build_styles(document)
    section = document.sections[0]
    set_page(section)
    page_numbers(document, section)
    document.core_properties.title = clean(doc.title).replace("\n", "")
    document.core_properties.author = clean(doc.issuer)
    # Document() starts with no paragraphs in the body; write in order.
    if doc.number:
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
        document.add_paragraph("", style="Normal")
        if doc.issuer:
            document.add_paragraph(clean(doc.issuer), style=STYLE_SIGNATURE)
        if doc.issued_on:
            date = document.add_paragraph(written_date(doc.issued_on), style=STYLE_SIGNATURE)
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
