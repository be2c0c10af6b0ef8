"""The draft's edit form: the header fields, then every block of the body
grouped in sections (the opening, then one per level-1 heading), each block
with its text (headings and paragraphs; tables are kept as they are), a
删除 box and a 顺序 number, and one 新增段落 per section.

Block fields are named after the block's place in the version the clerk
opened (`base`); versions never change, so the names still mean the same
blocks when another clerk has saved in between.
"""

from dataclasses import dataclass, field

from django import forms

from core.forms import BoundedTextMixin
from core.numerals import chinese_numeral
from core.official import Heading, OfficialDocument, Paragraph, Table

MAX_BLOCKS = 500
MAX_PARAGRAPH = 5000
MAX_HEADING = 200
ORDER_STEP = 10


@dataclass
class Item:
    index: int  # the block's place in the base version
    block: object
    form: object = None

    @property
    def kind(self):
        return {Heading: "heading", Paragraph: "paragraph", Table: "table"}[type(self.block)]

    @property
    def pinned(self):
        """A level-1 heading opens its section and stays first in it."""
        return isinstance(self.block, Heading) and self.block.level == 1

    def field(self, name):
        return self.form[f"b{self.index}_{name}"] if self.form else None

    @property
    def text(self):
        return self.field("text")

    @property
    def delete(self):
        return self.field("delete")

    @property
    def order(self):
        return None if self.pinned else self.field("order")


@dataclass
class Section:
    number: int
    title: str
    items: list = field(default_factory=list)
    form: object = None

    @property
    def has_errors(self):
        """Whether a field of the section was refused: it opens on the page."""
        if not self.form or not self.form.errors:
            return False
        names = {f"s{self.number}_new"} | {f"b{item.index}_{name}" for item in self.items for name in ("text", "order")}
        return bool(names & set(self.form.errors))

    @property
    def new_paragraph(self):
        return self.form[f"s{self.number}_new"] if self.form else None


def sections(blocks, form=None):
    """The body in sections: the blocks before the first level-1 heading
    (开头), then one section per level-1 heading."""
    found = [Section(0, "开头", form=form)]
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1:
            found.append(Section(len(found), block.text, form=form))
        found[-1].items.append(Item(index, block, form))
    if not found[0].items and len(found) > 1:
        found = found[1:]
    return found


class DraftForm(BoundedTextMixin, forms.Form):
    masthead = forms.CharField(
        label="红头（发文机关标志）",
        max_length=30,
        required=False,
        help_text="例如：××区卫生健康委员会文件；留空则不加红头。",
        error_messages={"max_length": "发文机关标志不能超过%(limit_value)d个字。"},
    )
    number = forms.CharField(
        label="发文字号（文号）",
        max_length=50,
        required=False,
        help_text="例如：管卫办〔2026〕3号",
        error_messages={"max_length": "文号不能超过%(limit_value)d个字。"},
    )
    title = forms.CharField(
        label="标题",
        max_length=200,
        error_messages={"required": "请填写标题。", "max_length": "标题不能超过%(limit_value)d个字。"},
    )
    recipients = forms.CharField(
        label="主送机关",
        max_length=300,
        required=False,
        help_text="例如：各成员单位：",
        error_messages={"max_length": "主送机关不能超过%(limit_value)d个字。"},
    )
    issuer = forms.CharField(
        label="发文机关署名",
        max_length=100,
        required=False,
        error_messages={"max_length": "发文机关署名不能超过%(limit_value)d个字。"},
    )
    issued_on = forms.DateField(
        label="成文日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "成文日期无法识别，请按 2025-12-09 的格式填写。"},
    )
    note = forms.CharField(
        label="版本说明",
        max_length=100,
        required=False,
        help_text="选填，例如：按主任意见修改第二部分。不填则记为“编辑”。",
        error_messages={"max_length": "版本说明不能超过%(limit_value)d个字。"},
    )

    def __init__(self, data=None, *, document, **kwargs):
        initial = {
            "masthead": document.masthead,
            "number": document.number,
            "title": document.title,
            "recipients": document.recipients,
            "issuer": document.issuer,
            "issued_on": document.issued_on,
        }
        super().__init__(data, initial=initial, **kwargs)
        self.document = document
        self.sections = sections(document.blocks, self)
        for section in self.sections:
            for position, item in enumerate(section.items, start=1):
                self.add_block_fields(item, position)
            self.fields[f"s{section.number}_new"] = forms.CharField(
                label="新增段落",
                required=False,
                max_length=MAX_PARAGRAPH,
                widget=forms.Textarea(attrs={"rows": 2, "data-polish": "", "class": "draft-paragraph"}),
                help_text="在本部分末尾新增一段；不需要就留空。",
                error_messages={"max_length": "一段不能超过%(limit_value)d个字，请分成几段。"},
            )

    def add_block_fields(self, item, position):
        index, block = item.index, item.block
        if isinstance(block, Heading):
            self.fields[f"b{index}_text"] = forms.CharField(
                label=f"{chinese_numeral(block.level)}级标题",
                required=False,
                max_length=MAX_HEADING,
                initial=block.text,
                error_messages={"max_length": "标题不能超过%(limit_value)d个字。"},
            )
        elif isinstance(block, Paragraph):
            self.fields[f"b{index}_text"] = forms.CharField(
                label="段落",
                required=False,
                max_length=MAX_PARAGRAPH,
                initial=block.text,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3, "data-polish": "", "class": "draft-paragraph"}),
                error_messages={"max_length": "一段不能超过%(limit_value)d个字，请分成几段。"},
            )
        self.fields[f"b{index}_delete"] = forms.BooleanField(label="删除", required=False)
        if not item.pinned:
            self.fields[f"b{index}_order"] = forms.IntegerField(
                label="顺序",
                initial=position * ORDER_STEP,
                min_value=0,
                max_value=99999,
                error_messages={
                    "required": "请填写顺序号。",
                    "invalid": "顺序须为整数。",
                    "min_value": "顺序不能小于0。",
                    "max_value": "顺序不能大于99999。",
                },
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm draft-order"}),
            )

    def clean(self):
        data = super().clean()
        count = 0
        for section in self.sections:
            for item in section.items:
                if data.get(f"b{item.index}_delete"):
                    continue
                count += 1
                name = f"b{item.index}_text"
                if name in self.fields and name not in self.errors and not data.get(name, "").strip():
                    what = "标题" if isinstance(item.block, Heading) else "段落"
                    self.add_error(name, f"{what}不能为空；不需要这一{what}请勾选“删除”。")
            if data.get(f"s{section.number}_new", "").strip():
                count += 1
        if count > MAX_BLOCKS:
            raise forms.ValidationError(
                f"正文最多{MAX_BLOCKS}个标题、段落和表格，现有{count}个，请删去或合并一些段落后再保存。"
            )
        return data

    def edited_document(self):
        """The OfficialDocument the form's cleaned data describes."""
        data = self.cleaned_data
        blocks = []
        for section in self.sections:
            kept = []
            for position, item in enumerate(section.items):
                if data.get(f"b{item.index}_delete"):
                    continue
                block = item.block
                if isinstance(block, Heading):
                    block = Heading(data[f"b{item.index}_text"].strip(), level=block.level)
                elif isinstance(block, Paragraph):
                    block = Paragraph(data[f"b{item.index}_text"].strip())
                order = -1 if item.pinned else data[f"b{item.index}_order"]
                kept.append((order, position, block))
            kept.sort(key=lambda entry: entry[:2])
            blocks.extend(block for _, _, block in kept)
            new = data.get(f"s{section.number}_new", "").strip()
            if new:
                blocks.append(Paragraph(new))
        return OfficialDocument(
            title=data["title"].strip(),
            number=data["number"].strip(),
            recipients=data["recipients"].strip(),
            issuer=data["issuer"].strip(),
            issued_on=data["issued_on"],
            masthead=data["masthead"].strip(),
            blocks=blocks,
            # The tables of 附件 are the figures' own: kept as drafted.
            appendices=self.document.appendices,
        )
