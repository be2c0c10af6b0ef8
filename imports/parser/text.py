"""The text as lines: page furniture, page numbers and layout spaces removed,
table rows kept as cells."""

from __future__ import annotations

import html
import re

from core.numerals import FULLWIDTH_DIGITS, ONE_TO_TEN, YEAR_DIGITS, numeral_value

from .numbering import detect_numbering

_FURNITURE_LINE = re.compile(
    r"^(?:"
    r"【?(?:下载|打印|打印本页|关闭|关闭窗口|收藏|分享|分享到|返回顶部|返回|上一篇|下一篇|"
    r"保存|纠错|我要纠错|扫一扫|附件下载)】?"
    r"|[【\[]?(?:打印本页|关闭窗口|字号|大|中|小)[】\]]?(?:\s*[【\[]?[大中小][】\]]?)*"
    # A row of the page's buttons, the last one cut: "【打印】 【字体:".
    r"|(?:[【\[](?:下载|打印|打印本页|关闭|关闭窗口|收藏|分享|字体|字号)[^】\]]*(?:[】\]]|$)\s*)+"
    r"|字号[:：].*|来源[:：].*|发布(?:时间|日期)[:：].*|浏览(?:次数)?[:：].*|"
    r"访问量[:：].*|阅读(?:次数)?[:：].*|分享到[:：].*|"
    r"第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页|共\s*\d+\s*页|\d+\s*/\s*\d+|"
    r"[-—－–\s]*\d{1,3}[-—－–\s]*|"
    # The site's banner: a close button, "相关解读", "(此件公开发布)" under a signature.
    r"[xX×]|相关解读|政策解读|[（(]此件(?:公开发布|不公开)[）)]|"
    r"新闻中心|新闻动态|工作动态|通知公告|政务公开|信息公开|政策文件|文件通知"
    r")$"
)
# Page furniture glued to the text beside it, in copies that lost their line breaks.
_FURNITURE_PREFIX = re.compile(r"^(?:第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页|[（(]此件公开发布[）)])|[（(]此件公开发布[）)]$")
# A web page's <title>: "文章标题_栏目_网站名", never the plan's own words.
_PAGE_TITLE = re.compile(r"^[^_。，,；;]{2,60}(?:_[^_。，,；;]{2,30}){2,}$")
# A downloaded file's name as a heading: "…工作方案.docx".
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pdf|wps|txt)$", re.I)
# Pinyin glosses that some sites print after hard characters: 關(guān)于, 辦(bàn)發.
# A gloss carries a tone mark; a unit in brackets (km) does not.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)
# "某市指挥部办公室 关于开展…的公告": the issuer printed beside the title, a space
# apart, is not part of it (without the space it is: 福州市人防办关于…的通知).
_ISSUER_BESIDE_TITLE = re.compile(
    r"^[^\s。，,；;]{2,30}?(?:办公室|办公厅|人民政府|委员会|指挥部|领导小组|[局厅委])[ \u3000]+(?=关于)", re.M
)
# The signature and its date on one line ("某区人民政府2019年3月9日"): two lines, as printed.
_SIGNED_DATE = re.compile(
    r"^([^\s。，,；;：:]{2,30}?(?:人民政府|政府|办公厅|辦公廳|办公室|辦公室|委员会|委員會|指挥部|领导小组|[局厅廳委办辦]))"
    rf"((?:\d{{4}}|[{YEAR_DIGITS}]{{4}})年[\d{ONE_TO_TEN}]{{1,3}}月[\d{ONE_TO_TEN}]{{1,3}}日)$"
)
_BLOCK_TAG = re.compile(r"<br\s*/?>|</?(?:p|div|tr|li|ul|ol|h[1-6]|table|tbody|section|article)\b[^<>]*>", re.I)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_FOOTER_WORDS = re.compile(
    r"版权所有|主办单位[:：]|承办单位[:：]|ICP备|网站标识码|公网安备|技术支持[:：]|"
    r"联系我们|网站地图|Copyright|©|建议使用.*浏览器|分辨率"
)

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d"


# Pinyin some web copies print after a character: 構(gòu)建現(xiàn)代.
_PINYIN = re.compile(r"(?<=[^\s(（])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


def _squash_spaces(line: str) -> str:
    line = _PINYIN.sub("", line)
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\t", " ")
    line = line.translate(FULLWIDTH_DIGITS)
    # Spaces next to a Chinese character or full-width mark are layout, not words.
    line = re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", line)
    return re.sub(r" {2,}", " ", line).strip()


TABLE_SEP = "|"

# Traditional characters of the words the reader looks for (headings such as
# 主要任務, unit labels such as 牽頭單位), each the same length as its simplified
# form, so a folded copy keeps the positions of the original.
_TRADITIONAL = (
    "務务單单牽牵頭头責责門门負负協协辦办點点內内標标創创設设實实動动體体織织領领導导組组"
    "驟骤階阶總总項项職职別别與与參参級级區区縣县鎮镇鄉乡會会員员關关為为時时間间進进規规"
    "劃划發发綜综護护專专業业機机構构處处執执細细則则計计長长書书記记態态環环衛卫質质開开"
    "擔担調调報报傳传況况準准舉举屬属並并於于個个這这來来從从對对將将當当應应條条週周"
)
_FOLD = str.maketrans(_TRADITIONAL[0::2], _TRADITIONAL[1::2])


def fold(text: str) -> str:
    """Traditional characters read as simplified, one for one (positions kept)."""
    return text.translate(_FOLD)


def either_script(pattern: str) -> str:
    """A regular expression that also matches its words in traditional characters
    (牵头单位 -> [牵牽][头頭][单單]位). Characters inside [...] are left alone."""
    back = {simple: trad for trad, simple in zip(_TRADITIONAL[0::2], _TRADITIONAL[1::2], strict=True)}
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch in back:
            out.append(f"[{ch}{back[ch]}]")
        else:
            out.append(ch)
    return "".join(out)


# A list number that starts a new item in the middle of a line whose items a
# web copy ran together with spaces: "…制定本方案。 一、活动主题 健康城镇 二、主要任务 （一）…".
_RUN_TOGETHER = re.compile(
    r"(?<=[\u4e00-\u9fff。；;：:）)”])[ \u3000\xa0]+"
    r"(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、．.](?!\d)|[（(]\d{1,2}[）)])"
    r"\s*[\u4e00-\u9fff“])"
)


# "一、指导思想  以党的…，…": a short heading and its text (a sentence, not a
# date or a name), apart by a wide gap.
_HEADING_GAP = re.compile(
    r"^((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、．.]|[（(]\d{1,2}[）)])"
    r"[^。，,；;：:\s]{2,30})(?:[ \u3000\xa0]{2,}|\u3000)(?=[^。，,；;]{6,}[。，,；;])"
)


# A list number inside a line with no space before it (copies from document
# sites run a whole plan into one line): "…制订本方案。一、指导思想以…（二）整治内容1.乱种。…".
_TIGHT_MARK = re.compile(
    r"(?<![\dA-Za-z.．])(?:([一二三四五六七八九十]{1,3})、|[（(]([一二三四五六七八九十]{1,3})[）)]|(\d{1,2})[．.](?!\d)|"
    r"[（(](\d{1,2})[）)])(?=[ \u3000]?[\u4e00-\u9fff“])"
)
_LONG_LINE = 200


def _split_tight(line: str) -> list[str]:
    """Cut a long line before each list number that continues a count (一、 then
    二、; a deeper count may restart at 1), so dates and figures stay whole."""
    if len(line) < _LONG_LINE:
        return [line]
    last: dict[int, int] = {}
    cuts = []
    for m in _TIGHT_MARK.finditer(line):
        style = next(i for i in range(1, 5) if m.group(i))
        value = numeral_value(m.group(style))
        if value == last.get(style, 0) + 1 or (value == 1 and style != 1 and style in last):
            last[style] = value
            for deeper in range(style + 1, 5):
                last.pop(deeper, None)
            if m.start() > 0:
                cuts.append(m.start())
        elif value == 1 and style != 1:
            last[style] = 1
            if m.start() > 0:
                cuts.append(m.start())
    if len(cuts) < 3:
        return [line]
    return [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]


# In a long line a space after a full stop, or before a short label (分管领导：),
# is where a paragraph ended in the page the text was copied from.
_PARAGRAPH_GAP = re.compile(r"(?<=[。！？：:])[ \u3000\xa0]+(?=\S)|[ \u3000\xa0]+(?=[\u4e00-\u9fff]{2,6}[:：])")


def _split_run_together(raw: str) -> list[str]:
    out = []
    lines = _PARAGRAPH_GAP.split(raw) if len(raw) >= _LONG_LINE else [raw]
    for part in [p for line in lines for p in _RUN_TOGETHER.split(line)]:
        m = _HEADING_GAP.match(part.strip())
        pieces = [m.group(1), part.strip()[m.end():]] if m else [part]
        out.extend(p for piece in pieces for p in _split_tight(piece))
    return out


def strip_markup(text: str) -> str:
    """A page saved as HTML: paragraphs and line breaks become lines, table
    cells stay apart, other tags go and entities (&nbsp;) are decoded."""
    if not _TAG.search(text):
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = _CELL_END.sub("\t", text)
    return html.unescape(_TAG.sub("", text))


def realign(line: str) -> str:
    """A line of GBK text that lost one byte before its list number and was read
    a byte out of step ("?。ㄒ唬┩晟剖…" for "（一）完善市…"): its characters are
    encoded back and read one byte on. The slip mends itself at the first
    ASCII byte, so the rest of the line reads the same either way; a line is
    only read again when that gives it the list number it lacked."""
    stripped = line.lstrip(" \u3000")
    if not stripped[:1] in "?？" or detect_numbering(stripped):
        return line
    text = stripped[1:]
    cut = next((i for i, ch in enumerate(text) if not _gbk(ch)), len(text))
    data = text[:cut].encode("gbk")
    again = data[1:].decode("gbk", errors="replace")
    if "\ufffd" in again[:6] or not detect_numbering(again):
        return line
    # Where the slip met a character the copy could not show (�), one mark stays.
    return again.rstrip("\ufffd") + text[cut:]


def _gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def clean_lines(text: str) -> list[str]:
    """Lines without page furniture, page numbers and layout spaces."""
    out = []
    text = _PINYIN_GLOSS.sub("", strip_markup(text))
    text = _ISSUER_BESIDE_TITLE.sub("", text)
    raws = [realign(r) for r in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for raw in [part for line in raws for part in _split_run_together(line)]:
        cells = re.split(r"\t|[|｜]", raw)
        if len(cells) >= 3 and sum(bool(c.strip()) for c in cells) >= 2:
            # A table row (Word table, tab-separated copy, "a | b | c"): "|" keeps
            # its columns apart through the space squashing.
            out.append(TABLE_SEP.join(_squash_spaces(c) for c in cells))
            continue
        # A bar left over from a table's border is no column: the line is text.
        line = _FILE_SUFFIX.sub("", _FURNITURE_PREFIX.sub("", _squash_spaces(raw).strip("|｜ ")))
        if not line:
            continue
        if _FURNITURE_LINE.match(line) or _PAGE_TITLE.match(line):
            continue
        if m := _SIGNED_DATE.match(line):
            out.extend(m.groups())
            continue
        if len(line) <= 80 and _FOOTER_WORDS.search(line):
            continue
        if re.match(r"^(?:首页|当前位置|您现在的位置|你的位置)", line) and re.search(r"[>＞»›]", line):
            continue
        out.append(line)
    return out
