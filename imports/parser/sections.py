"""The plan's prose that is not a task: the 主送单位 line, the 指导思想,
工作目标 and 工作要求 sections, and what each phase says it will do (主要工作).

Texts are kept as the plan prints them (its logical paragraphs, one a line),
numbering included, so that the clerk reads in the preview what the document says.
"""

from __future__ import annotations

import re

from .dates import DATE_RANGE, DATE_SINGLE, YEAR_ONLY_RANGE
from .metadata import DATE_LINE
from .numbering import Node, detect_numbering, walk
from .phases import PHASE_START, Phase

GUIDING_PRINCIPLE = re.compile(r"指导思想")
GOALS = re.compile(r"工作目标|总体目标|目标任务|创建目标|主要目标")
REQUIREMENTS = re.compile(r"工作要求|保障措施|组织保障")

# "各县（市、区）人民政府，市直各单位：" before the body begins; the labels are
# particulars (签发人：…), and "方案如下：" closes the preamble's prose.
ADDRESSEE_LINE = re.compile(r"^[^。；;！!？?“”]{2,200}[：:]$")
NOT_ADDRESSEES = re.compile(r"如下|签发人|联系人|电话|邮箱|附件|抄送")
# A notice's title with 《》 is joined to the next line by the paragraph repair.
NOTICE_TITLE = re.compile(r"^关于.*?的通知")

_SEPARATOR = "，,。：:；; 、"


def find_addressees(preamble: list[str]) -> str | None:
    """The 主送单位 line, before the body begins; lines ending in a comma
    before it ("各县（市、区）人民政府，" / "市直各单位：") are part of it."""
    before: list[str] = []
    for para in preamble:
        if "。" in para:
            # The notice's body or the plan's preamble: addressees come before it.
            return None
        para = NOTICE_TITLE.sub("", para)
        if ADDRESSEE_LINE.match(para) and not NOT_ADDRESSEES.search(para):
            return ("".join(before) + para).rstrip("：:").strip() or None
        if re.search(r"[，,、]$", para) and not NOT_ADDRESSEES.search(para):
            before.append(para)
        else:
            before = []
    return None


def _depth(node: Node) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def _subtree_size(node: Node) -> int:
    return 1 + sum(_subtree_size(child) for child in node.children)


class Outline:
    """The outline's nodes beside the paragraphs they came from: build_outline
    makes one node per numbered paragraph, in document order, so a pre-order
    walk lines up with the numbered paragraphs."""

    def __init__(self, paras: list[str], roots: list[Node]):
        self.paras = paras
        self.nodes = list(walk(roots))
        self.starts = [i for i, para in enumerate(paras) if detect_numbering(para)]
        self.position = {id(node): k for k, node in enumerate(self.nodes)}

    def paragraphs_under(self, node: Node) -> list[str]:
        """The paragraphs after the node's heading, down to its next sibling."""
        k = self.position[id(node)]
        after = k + _subtree_size(node)
        end = self.starts[after] if after < len(self.starts) else len(self.paras)
        return self.paras[self.starts[k] + 1:end]

    def section(self, heading: re.Pattern, skip=lambda para: False) -> str | None:
        """The text of the shallowest numbered section whose heading names it."""
        found = [
            node for node in self.nodes
            if (head := _head(node.text)) and len(head) <= 20 and heading.search(head)
        ]
        if not found:
            return None
        node = min(found, key=_depth)
        inline = node.text[len(_head(node.text)):].lstrip(_SEPARATOR)
        lines = ([inline] if inline else []) + [p for p in self.paragraphs_under(node) if not skip(p)]
        return "\n".join(_without_closing(lines)) or None


def _without_closing(lines: list[str]) -> list[str]:
    """The last section runs to the document's end: its attachments list and
    signature (issuer, then the date alone on its line) are not its text."""
    for i, line in enumerate(lines):
        if re.match(r"附件[:：]", line):
            return lines[:i]
        if DATE_LINE.match(line):
            kept = lines[:i]
            if kept and len(kept[-1]) <= 30 and not re.search(r"[。，,；;：:]", kept[-1]):
                kept.pop()
            return kept
    return lines


def _head(text: str) -> str:
    return re.split(r"[。；;：:]", text, maxsplit=1)[0]


def _text(para: str) -> str:
    num = detect_numbering(para)
    return num[2] if num else para


def _is_phase_paragraph(para: str, phase: Phase) -> bool:
    text = _text(para)
    return phase.name in text[:25] and bool(
        PHASE_START.match(text) or text.startswith(phase.name) or re.match(r"\d{4}年", text)
    )


_LEADING_DATE = [
    re.compile(r"^[（(][^（）()]*\d+月[^（）()]*[）)]"),
    re.compile(r"^[（(][^（）()]*\d{4}[^（）()]*[）)]"),
    re.compile(r"^(?:" + DATE_RANGE.pattern + ")"),
    re.compile(r"^(?:" + YEAR_ONLY_RANGE.pattern + ")"),
    re.compile(r"^(?:" + DATE_SINGLE.pattern + ")"),
]
_WORK_LABEL = re.compile(r"^主要(?:任务|工作|内容)(?:是|为|有)?[：:]?")


def _phase_work(text: str, phase: Phase) -> str:
    """"第一阶段教育治理年，实现文明执法到位。从2016年1月开始到2016年12月，研究制定…"
    -> "研究制定…": what follows the phase's name, goal and dates."""
    rest = text[text.index(phase.name) + len(phase.name):] if phase.name in text else text
    rest = rest.lstrip(_SEPARATOR)
    if phase.goal and rest.startswith(phase.goal):
        rest = rest[len(phase.goal):]
    while True:
        rest = rest.lstrip(_SEPARATOR)
        for pattern in _LEADING_DATE:
            m = pattern.match(rest)
            if m and m.end():
                rest = rest[m.end():]
                break
        else:
            break
    return rest.strip()


def describe_phases(phases: list[Phase], outline: Outline) -> None:
    """Each phase's description: the rest of its paragraph, and when the phase
    is a numbered heading, the paragraphs under it."""
    paras = outline.paras
    numbered = {start: node for start, node in zip(outline.starts, outline.nodes)}
    after = 0
    for phase in phases:
        index = next((i for i in range(after, len(paras)) if _is_phase_paragraph(paras[i], phase)), None)
        if index is None:
            continue
        after = index + 1
        lines = [_phase_work(_text(paras[index]), phase)]
        if index in numbered:
            lines += [
                p for p in outline.paragraphs_under(numbered[index])
                if not any(_is_phase_paragraph(p, other) for other in phases)
            ]
        phase.description = _WORK_LABEL.sub("", "\n".join(line for line in lines if line)) or None


def extract_sections(outline: Outline, phases: list[Phase]) -> dict:
    """{guiding_principle, goals, requirements}: each section's text or None.
    Phase paragraphs printed inside 工作目标 are left to the phases."""

    def is_phase(para):
        return any(_is_phase_paragraph(para, phase) for phase in phases)

    return {
        "guiding_principle": outline.section(GUIDING_PRINCIPLE),
        "goals": outline.section(GOALS, skip=is_phase),
        "requirements": outline.section(REQUIREMENTS),
    }
