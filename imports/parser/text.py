"""The text as lines: page furniture, page numbers and layout spaces removed,
table rows kept as cells."""

from __future__ import annotations

import html
import re

from core.numerals import FULLWIDTH_DIGITS, ONE_TO_TEN, YEAR_DIGITS

_FURNITURE_LINE = re.compile(
    r"^(?:"
    r"【?(?:下载|打印|打印本页|关闭|关闭窗口|收藏|分享|分享到|返回顶部|返回|上一篇|下一篇|"
    r"保存|纠错|我要纠错|扫一扫|附件下载)】?"
    r"|[【\[]?(?:打印本页|关闭窗口|字号|大|中|小)[】\]]?(?:\s*[【\[]?[大中小][】\]]?)*"
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


def _squash_spaces(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\t", " ")
    line = line.translate(FULLWIDTH_DIGITS)
    # Spaces next to a Chinese character or full-width mark are layout, not words.
    line = re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", line)
    return re.sub(r" {2,}", " ", line).strip()


TABLE_SEP = "|"


def strip_markup(text: str) -> str:
    """A page saved as HTML: paragraphs and line breaks become lines, table
    cells stay apart, other tags go and entities (&nbsp;) are decoded."""
    if not _TAG.search(text):
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = _CELL_END.sub("\t", text)
    return html.unescape(_TAG.sub("", text))


def clean_lines(text: str) -> list[str]:
    """Lines without page furniture, page numbers and layout spaces."""
    out = []
    text = _PINYIN_GLOSS.sub("", strip_markup(text))
    text = _ISSUER_BESIDE_TITLE.sub("", text)
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
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
