"""Lines re-joined into paragraphs (PDF and web copies break sentences), and
一是…二是… runs split into one paragraph per item."""

from __future__ import annotations

import re

from core.numerals import ONE_TO_TEN, numeral_value

from .metadata import BARE_NUMBER, DATE_LINE, DOCUMENT_NUMBER, TITLE_END, bare_date
from .numbering import detect_numbering
from .phases import PHASE_START
from .text import TABLE_SEP, clean_lines
from .units import UNIT_LINE, unit_brackets

_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{1,6}[:：]")


def _is_heading_line(line: str) -> bool:
    num = detect_numbering(line)
    return bool(num) and len(line) <= 32 and not re.search(r"[。，,；;]", num[2])


def _standalone(line: str) -> bool:
    """Lines that always form a paragraph of their own."""
    return bool(
        TABLE_SEP in line
        or DATE_LINE.match(line)
        or (DOCUMENT_NUMBER.search(line) and len(line) <= 30)
        or BARE_NUMBER.match(line)
        or bare_date(line)
        or _is_heading_line(line)
        or (TITLE_END.search(line) and not re.search(r"[。，,；;《]", line) and len(line) <= 60)
    )


def _starts_paragraph(line: str) -> bool:
    return bool(
        TABLE_SEP in line
        or detect_numbering(line)
        or UNIT_LINE.match(line)
        or PHASE_START.match(line)
        or DATE_LINE.match(line)
        or (DOCUMENT_NUMBER.search(line) and len(line) <= 30)
        or BARE_NUMBER.match(line)
        or bare_date(line)
        or _LABEL_LINE.match(line)
    )


def to_paragraphs(lines: list[str]) -> list[str]:
    """Re-join lines broken inside sentences (PDF and web copies)."""
    paras: list[str] = []
    for line in lines:
        if paras:
            prev = paras[-1]
            ends = re.search(r"[。！？!?：:；;〕】]$", prev) or (
                re.search(r"[）)]$", prev) and unit_brackets(prev[-125:])
            )
            short_bracket = re.match(r"^[（(][^（）()]{1,20}[）)]$", line)
            if short_bracket and TITLE_END.search(prev) and not re.search(r"[。，；]", prev):
                paras[-1] = prev + line
                continue
            label_prev = _LABEL_LINE.match(prev) and not (
                len(line) <= 12 and not re.search(r"[，,。；;：:]", line)
            )
            if not ends and not label_prev and not _standalone(prev) and not _starts_paragraph(line):
                paras[-1] = prev + line
                continue
        paras.append(line)
    return paras


_ENUM_MARK = re.compile(rf"(?:^|(?<=[。；;：:，,]))([{ONE_TO_TEN}]{{1,3}})是(?=[\u4e00-\u9fff“])")


# A sub-task's title is a phrase (一是开展宣传周；): an enumeration whose items run
# on for whole sentences (一是利用各类媒体……全方位宣传……，凝聚全社会共识。) explains its
# item, it does not divide it.
_TITLE_LENGTH = 40


def _items_read_as_titles(para: str, run: list[re.Match]) -> bool:
    long = 0
    for m, following in zip(run, [*run[1:], None]):
        item = para[m.end(1) + 1: following.start(1) if following else len(para)]
        for full, _ in unit_brackets(item):
            item = item.replace(full, "")
        if len(re.split(r"[。；;]", item, maxsplit=1)[0]) > _TITLE_LENGTH:
            long += 1
    return long * 2 <= len(run)


def split_enumerations(paras: list[str]) -> list[str]:
    """"（一）强化治理。一是…；二是…；三是…。" -> the heading and one
    paragraph per item, so that the items become sub-tasks. Only a run that
    counts 一是, 二是, … in order, its items
    short enough to be titles, is split; a unit bracket closing the
    whole paragraph after its last sentence stays apart (it is the heading's)."""
    out: list[str] = []
    for para in paras:
        run = []
        for m in _ENUM_MARK.finditer(para):
            if numeral_value(m.group(1)) == len(run) + 1:
                run.append(m)
        if len(run) < 2 or not _items_read_as_titles(para, run):
            out.append(para)
            continue
        head = para[: run[0].start(1)].strip()
        if head:
            out.append(head)
        for m, following in zip(run, [*run[1:], None]):
            item = para[m.start(1): following.start(1) if following else len(para)].strip()
            closing = re.search(
                r"(?<=[。；;])([〔【][^〔〕【】]*[〕】]|[（(](?:[^（）()]|[（(][^（）()]*[）)])*[）)])$", item
            ) if following is None else None
            if closing and unit_brackets(closing.group(1)):
                out.extend([item[: closing.start()].strip(), closing.group(1)])
            else:
                out.append(item)
    return out


def normalise(text: str) -> list[str]:
    """Text of any source -> list of logical paragraphs."""
    text = re.sub(r"[（(]下同[）)]|以下同|下同", "", text)
    return split_enumerations(to_paragraphs(clean_lines(text)))
