"""An assessment system (测评体系) read from the spreadsheet an office keeps.

Offices keep their system one row per 测评标准, with the levels as columns —
测评项目, 测评内容, 测评标准, 分值, 测评方法, 点位类型, sometimes 牵头单位 and
配合单位 — but no two sheets are alike: a title and a note above the header,
the header worded differently (一级指标 / A级指标 / 测评方式 / 考察点位),
level cells merged down, levels numbered A1 / B1.1 / 一、/（一）/ 1.; or the
levels in one column, a 测评项目 row, its 测评内容 rows, then their standards.

This module understands those kinds of structure, with no database: it finds
the header by the words its columns use, carries merged and blank level cells
down, strips the numbering, and splits methods and site types into lists. It
returns a proposal the office previews and confirms (`services.import_system`).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl

# Words a header cell uses for each attribute column, the more specific first.
# A column with none of them, left of the attributes, is a level of the tree:
# the levels are read left to right (测评项目 → 测评内容 → 测评标准), whatever
# the sheet calls them (测评类别 / 一级指标 / 指标名称 / 考评内容 / 测评要点).
ATTRIBUTES = (
    ("ignore", ("自评分", "得分", "等级", "是否达标", "存在问题", "问题", "备注", "序号", "编号", "说明")),
    ("site_types", ("点位类型", "考察点位", "测评点位", "点位")),
    ("methods", ("方法", "方式", "措施", "办法", "途径")),
    ("score", ("分值", "分数", "标准分", "权重", "赋分", "满分")),
    ("co_units", ("配合单位", "协办单位", "协同单位", "配合部门")),
    ("lead_unit", ("牵头单位", "主责单位", "牵头部门")),
    ("units", ("责任单位", "责任部门", "单位")),
)
LEVEL_WORDS = ("项目", "类别", "指标", "内容", "标准", "要点", "要求", "细则", "名称", "条目")
STANDARD_WORDS = ("测评标准", "考核标准", "三级指标", "C级指标", "测评要点", "要点", "细则", "标准")

HEADER_ROWS = 15  # a header sits in the first rows, under a title and a note

# Numbering that leads a level's name or a standard's text.
NUMBER_CLASSES = (
    ("part", r"第[一二三四五六七八九十百\d]+[部分项条章节类]+[、.．:：\s]*"),
    ("roman", r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+(?:\s*[-－—.．]\s*\d+)?[、.．:：\s]*"),
    ("letter", r"[A-Za-z]\d+(?:[.．-]\d+)*[、.．:：\s]*"),
    ("chinese", r"[一二三四五六七八九十百]+[、.．:：]\s*"),
    ("paren_chinese", r"[（(][一二三四五六七八九十百]+[)）][、.．\s]*"),
    ("paren_arabic", r"[（(]\d+[)）][、.．\s]*"),
    ("arabic_paren", r"\d+[)）][、.．\s]*"),
    ("dotted", r"\d+[.．]\d+(?:[.．]\d+)*[、.．\s]*"),
    ("arabic", r"\d+[、.．:：]\s*(?=\D)"),
    ("circled", r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*"),
)
NUMBERING = re.compile(r"^\s*(?:" + "|".join(pattern for _, pattern in NUMBER_CLASSES) + ")")
CLASS_OF = [(name, re.compile(r"^\s*" + pattern)) for name, pattern in NUMBER_CLASSES]
# A level's name may carry its points or a count: 公共环境(23分), 考评指标（7项）, 村级班子强 15分.
LEVEL_SUFFIX = re.compile(r"\s*[（(]?\s*(?:共\s*)?\d+(?:\.\d+)?\s*[分项条个]\s*[)）]?\s*$")
BARE_NUMBER = re.compile(r"^\d+(?=[\u4e00-\u9fff])")
SPLIT = re.compile(r"[、，,；;/／\n|]+|\s{2,}")
SPLIT_WORDS = re.compile(r"[、，,；;/／\n|\s]+")

# What a method is called, from the words offices use for it.
METHODS = (
    ("材料审核", ("材料",)),
    ("实地考察", ("实地", "现场", "暗访", "明查", "察看")),
    ("问卷调查", ("问卷",)),
    ("网络调查", ("网络", "网上", "在线")),
    ("数据采集", ("数据",)),
)


@dataclass
class StandardRow:
    text: str
    row: int  # the sheet's row number, for the office's messages
    score: Decimal = None
    methods: list = field(default_factory=list)
    site_types: list = field(default_factory=list)
    lead_unit: str = ""
    co_units: list = field(default_factory=list)


@dataclass
class ContentRow:
    name: str
    standards: list = field(default_factory=list)


@dataclass
class ItemRow:
    name: str
    contents: list = field(default_factory=list)


@dataclass
class Proposal:
    items: list
    errors: list  # Chinese sentences, one per row the office must look at
    header_row: int = None

    @property
    def standards(self):
        return [s for item in self.items for content in item.contents for s in content.standards]

    @classmethod
    def from_data(cls, data):
        """The proposal `to_data` wrote (the preview's signed payload)."""
        items = []
        for item in data.get("items", []):
            contents = []
            for content in item.get("contents", []):
                standards = [
                    StandardRow(
                        text=str(s["text"]),
                        row=0,
                        score=None if s.get("score") is None else Decimal(str(s["score"])),
                        methods=[str(m) for m in s.get("methods", [])],
                        site_types=[str(t)[:50] for t in s.get("site_types", [])],
                        lead_unit=str(s.get("lead_unit", "")),
                        co_units=[str(u) for u in s.get("co_units", [])],
                    )
                    for s in content.get("standards", [])
                ]
                contents.append(ContentRow(str(content.get("name", ""))[:200], standards))
            items.append(ItemRow(str(item.get("name", ""))[:200], contents))
        return cls(items, [])

    def to_data(self):
        """The proposal as JSON-ready data (what the fixtures' expected files hold)."""
        return {
            "items": [
                {
                    "name": item.name,
                    "contents": [
                        {
                            "name": content.name,
                            "standards": [
                                {
                                    "text": s.text,
                                    "score": None if s.score is None else float(s.score),
                                    "methods": s.methods,
                                    "site_types": s.site_types,
                                    "lead_unit": s.lead_unit,
                                    "co_units": s.co_units,
                                }
                                for s in content.standards
                            ],
                        }
                        for content in item.contents
                    ],
                }
                for item in self.items
            ]
        }


def text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[ \t\u3000\xa0]+", " ", str(value)).strip()


def strip_numbering(value):
    value = text(value)
    stripped = NUMBERING.sub("", value, count=1).strip()
    return stripped or value


def level_name(value):
    """A 测评项目's or 测评内容's name: no numbering, points or line breaks."""
    name = re.sub(r"\s*\n\s*", "", text(value))
    name = LEVEL_SUFFIX.sub("", strip_numbering(name))
    name = BARE_NUMBER.sub("", name).strip()
    return LEVEL_SUFFIX.sub("", name).strip()


def numbering_class(value):
    value = text(value)
    return next((name for name, pattern in CLASS_OF if pattern.match(value)), None)


def _compact(cell):
    return re.sub(r"\s+", "", text(cell))


def attribute_of(cell):
    cell = _compact(cell)
    if not cell or len(cell) > 14:
        return None
    for role, words in ATTRIBUTES:
        if any(word in cell for word in words):
            return role
    return None


def is_level(cell):
    cell = _compact(cell)
    return bool(cell) and len(cell) <= 14 and any(word in cell for word in LEVEL_WORDS)


def _columns(row, below=None):
    """{role: column} and [level columns] a header row says, or None."""
    attributes, levels = {}, []
    for column, cell in enumerate(row):
        # Under a merged header cell (分值 over 标准分 | 自评分) the second row names it.
        if below is not None and column < len(below) and _compact(below[column]) and _compact(below[column]) != _compact(cell):
            cell = below[column]
        role = attribute_of(cell)
        if role and role != "ignore":
            if role == "score" and "score" in attributes:
                continue  # 标准分 first, then 自评分 / 得分
            attributes.setdefault(role, column)
        elif role is None and is_level(cell) and not attributes:
            levels.append(column)
    if not levels:
        return None
    return attributes, levels


def find_header(rows):
    """(index of the header's last row, (attributes, levels)) or (None, {})."""
    best = (None, {})
    for index, row in enumerate(rows[:HEADER_ROWS]):
        below = rows[index + 1] if index + 1 < len(rows) else None
        found = _columns(row)
        if found is None:
            continue
        last = index
        if below is not None:
            merged = _columns(row, below)
            # A second header row names no level of its own and holds no data.
            if merged and any(attribute_of(c) for c in below) and not any(len(_compact(c)) > 14 for c in below):
                found, last = merged, index + 1
        score = len(found[0]) + len(found[1])
        if best[0] is None or score > best[2]:
            best = (last, found, score)
    if best[0] is None:
        return None, {}
    return best[0], best[1]


def parse_score(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    match = re.search(r"\d+(?:\.\d+)?", text(value))
    if not match:
        raise ValueError
    return Decimal(match.group())


def split(value):
    return [part.strip() for part in SPLIT.split(text(value)) if part.strip()]


NUMBERED_METHODS = re.compile(r"((?:\d+[)）])+)\s*([^\d]+)")


def methods_of(value, number=None):
    """The methods a cell names, normalised (审核材料 → 材料审核). A cell that
    maps methods to standards by number ("1)3)材料审核 2)材料审核 实地考察")
    gives standard `number` its own."""
    value = text(value)
    if number is not None and NUMBERED_METHODS.match(value):
        for numbers, methods in NUMBERED_METHODS.findall(value):
            if str(number) in re.findall(r"\d+", numbers):
                return methods_of(methods)
    found = []
    for part in SPLIT_WORDS.split(value):
        part = strip_numbering(part.strip())
        if not part:
            continue
        name = next((name for name, words in METHODS if any(word in part for word in words)), part)
        if name not in found:
            found.append(name)
    return found


def _leading_number(value):
    match = re.match(r"^\s*[（(]?(\d+)", value)
    return int(match.group(1)) if match else None


def _outline(rows, column, attributes):
    """The numbering classes that mark levels in a one-column sheet, the
    outermost first. Standards are the rows with a score, method or site type
    when the sheet has such columns filled; else the unnumbered rows; else the
    rows of the innermost numbering."""
    seen, detailed, plain = [], set(), False
    for row in rows:
        value = text(row[column]) if column < len(row) else ""
        if not value:
            continue
        kind = numbering_class(value)
        if kind is None:
            plain = True
        elif kind not in seen:
            seen.append(kind)
        if any(text(row[c]) for r in ("score", "methods", "site_types") if (c := attributes.get(r)) is not None and c < len(row)):
            detailed.add(kind)
    if detailed:
        return [kind for kind in seen if kind not in detailed]
    if plain:
        return seen
    return seen[:-1]


def read_rows(rows, *, merged=frozenset()):
    """The Proposal in `rows` (lists of cell values, merged cells filled in
    by the caller; `merged` the (row, column) cells so filled, see `load`)."""
    index, found = find_header(rows)
    if index is None:
        return Proposal([], ["没有找到表头：请确认表格有测评内容或测评标准一列（如“测评项目”“测评标准”“考评内容”）。"])
    attributes, levels = found
    header_cells = [_compact(c) for c in rows[index]]
    items, errors = [], []
    state = {"item": None, "content": None}

    def cell(row, column):
        return row[column] if column is not None and column < len(row) else None

    def start_item(name):
        if state["item"] is None or state["item"].name != name:
            state["item"] = ItemRow(name)
            items.append(state["item"])
            state["content"] = None

    def start_content(name):
        if state["item"] is None:
            start_item("")
        if state["content"] is None or state["content"].name != name:
            state["content"] = ContentRow(name)
            state["item"].contents.append(state["content"])

    level_columns = levels[-3:]
    standard_column = level_columns[-1]
    outline = _outline(rows[index + 1 :], standard_column, attributes) if len(level_columns) == 1 else []
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        cells = [_compact(c) for c in row]
        if not any(cells) or cells[: len(header_cells)] == header_cells[: len(cells)]:
            continue  # a blank row, or the header repeated on a printed page
        standard = text(cell(row, standard_column))
        if re.match(r"^(注|说明|备注)\s*\d*\s*[:：]", standard or text(row[0] if row else "")):
            continue
        has_details = any(text(cell(row, attributes.get(r))) for r in ("score", "methods", "site_types"))
        if len(level_columns) == 1:
            kind = numbering_class(standard)
            if not has_details and kind in outline:
                if outline.index(kind) == 0:
                    start_item(level_name(standard))
                else:
                    start_content(level_name(standard))
                continue
        else:
            names = [level_name(cell(row, column)) for column in level_columns[:-1]]
            if len(names) == 2:
                # Four or more levels: the outer ones make the item's name.
                if names[0]:
                    start_item(names[0])
                if names[1]:
                    start_content(names[1])
            elif names and names[0]:
                start_item(names[0])
                start_content(names[0])  # two levels: the item is its own content
        if not standard:
            continue
        if state["content"] is None:
            start_content(state["item"].name if state["item"] else "")
        score_column = attributes.get("score")
        raw_score = None if (number - 1, score_column) in merged else cell(row, score_column)
        try:
            score = parse_score(raw_score)
        except (ValueError, InvalidOperation):
            errors.append(f"第{number}行：分值“{text(raw_score)}”不是数字，已留空。")
            score = None
        if score is not None and not Decimal(0) <= score < MAX_SCORE:
            errors.append(f"第{number}行：分值“{text(raw_score)}”超出范围（0 到 {MAX_SCORE - 1}），已留空。")
            score = None
        lead = text(cell(row, attributes.get("lead_unit")))
        co_units = split(cell(row, attributes.get("co_units")))
        units = split(cell(row, attributes.get("units")))
        if units and not lead and "lead_unit" not in attributes and len(units) == 1:
            lead = units[0]
        elif units:
            co_units = [*co_units, *[u for u in units if u != lead]]
        state["content"].standards.append(
            StandardRow(
                text=strip_numbering(standard),
                row=number,
                score=score,
                methods=methods_of(cell(row, attributes.get("methods")), _leading_number(standard)),
                site_types=split(cell(row, attributes.get("site_types"))),
                lead_unit=lead,
                co_units=co_units,
            )
        )
    for item in items:
        item.contents = [c for c in item.contents if c.standards]
    items = [i for i in items if i.contents]
    if not items:
        errors.append("表格里没有读到任何测评标准。")
    return Proposal(items, errors, header_row=index + 1)


MAX_SCORE = Decimal(10000)  # Standard.score holds up to 9999.99

# A sheet's size is bounded before it is read: an office's system has a few
# hundred standards, never tens of thousands of rows.
MAX_ROWS = 5000
MAX_COLUMNS = 40


class SheetError(ValueError):
    """The file is not a sheet this reader can take; str() is the Chinese message."""


def load(path_or_file, *, find=None):
    """Rows of the sheet holding the table `find` recognises (rows -> (header
    index or None, columns); default: an assessment system), merged cells filled in."""
    find = find or find_header
    try:
        book = openpyxl.load_workbook(path_or_file, data_only=True)
    except Exception as error:  # noqa: BLE001 - a damaged file raises whatever its parser meets (zip, XML, …)
        raise SheetError("无法读取这个文件：它可能已损坏。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。") from error
    best = None
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise SheetError(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列，请只保留测评体系本身。")
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        filled = set()
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    if (r, c) != (merged.min_row - 1, merged.min_col - 1):
                        rows[r][c] = value
                        filled.add((r, c))
        index, columns = find(rows)
        if index is not None and (best is None or len(columns) > best[0]):
            best = (len(columns), rows, frozenset(filled))
    if best is None:
        return Rows([])  # the reader says what is missing
    return Rows(best[1], best[2])


class Rows(list):
    """A sheet's rows, and the (row, column) cells a merged range filled in."""

    def __init__(self, rows, merged=frozenset()):
        super().__init__(rows)
        self.merged = merged


def read(path_or_file):
    rows = load(path_or_file)
    return read_rows(rows, merged=rows.merged)
