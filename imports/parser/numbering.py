"""List numbers (一、 （一） 1、 （1） ① 一是) and the outline of numbered items
they make, whatever levels a plan uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.numerals import ONE_TO_TEN

# Numbering styles, from the most specific to the least.
NUMBERING = [
    # 一、2021年目标 is a heading; 一.5 is not.
    ("cn", re.compile(rf"^([{ONE_TO_TEN}]+)(?:、|[,，．.](?!\d))")),
    ("pcn", re.compile(rf"^[（(]([{ONE_TO_TEN}]+)[）)]、?")),
    ("pnum", re.compile(r"^[（(](\d{1,2})[）)]、?")),
    ("num", re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d))")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    # 一是…；二是…: enumerations inside an item, split out by split_enumerations().
    ("shi", re.compile(rf"^([{ONE_TO_TEN}]{{1,3}})是(?=[\u4e00-\u9fff“])")),
]


def detect_numbering(para: str) -> tuple[str, str, str] | None:
    """(style, number, rest) when the paragraph starts with a list number."""
    for style, rx in NUMBERING:
        m = rx.match(para)
        if m:
            rest = para[m.end():].lstrip("、，,. ．")
            if not rest:
                return None
            return style, m.group(1), rest
    return None


@dataclass
class Node:
    style: str
    number: str
    text: str  # heading paragraph without its number
    body: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    unit_specs: list[str] = field(default_factory=list)
    units_from_line: bool = False


def build_outline(paras: list[str]) -> tuple[list[str], list[Node]]:
    """Preamble paragraphs and the tree of numbered items.

    Levels come from the order styles first appear in (a style already on the
    stack closes the deeper levels), so documents that skip a level work.
    """
    preamble: list[str] = []
    roots: list[Node] = []
    stack: list[Node] = []
    for para in paras:
        num = detect_numbering(para)
        if num:
            style, number, rest = num
            if any(n.style == style for n in stack):
                while stack[-1].style != style:
                    stack.pop()
                stack.pop()
            node = Node(style, number, rest, parent=stack[-1] if stack else None)
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].body.append(para)
        else:
            preamble.append(para)
    return preamble, roots


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)


def all_paragraph_nodes(preamble, roots):
    yield from preamble
    for node in walk(roots):
        yield node.text
        yield from node.body
