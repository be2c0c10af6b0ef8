"""The figures of a paragraph, so that a rewritten paragraph can be held to
the original's: every number, percentage and date the same, none dropped,
none added.

    changed_figures("完成82%，共1,200件", "完成率达80%，共1200件")  # ([82%], [80%])

A figure is
- a date: 2025年12月9日, 12月9日, 2025-12-09 (one figure, whatever its form);
- an Arabic number, full-width or not, with thousands separators and
  decimals, read as its value (1,200 = 1200, 82.0 = 82), scaled by a 万 or
  亿 right after it (1.2万 = 12000), a percentage (82%) or per mille apart;
- a Chinese number that counts something: followed by a measure word
  (二十二场, 两个, 三十余家, 十二月) or written 百分之八十; read as its value, so
  二十二场 and 22场 are the same figure. 一 is left out (一个, 一批, 一系列 are
  how Chinese writes, not facts), and so are enumerators (一是, （一）, 一、)
  and set phrases (千家万户), which no measure word follows or which are
  listed below.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Set phrases whose numerals count nothing; removed before reading.
IDIOMS = ("千家万户", "千方百计", "万无一失", "三番五次", "五湖四海", "四面八方", "七上八下", "一五一十", "十全十美", "百花齐放")

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUMBER = "[零〇○一二两三四五六七八九十百千万亿]+"
# Measure words after which a Chinese number is a quantity; longer first.
# 规划 and 时期 hold the five-year plans (十四五规划), which are facts too.
MEASURES = sorted(
    """规划 时期 人次 万元 亿元 平方米 平方公里 公里 千米 公顷 小时 分钟 季度 阶段 个月 周年
    个 场 次 件 家 项 人 名 户 所 座 条 起 批 期 份 篇 轮 类 支 处 元 天 年 月 日 周 岁
    米 吨 辆 台 套 本 册 张 间 栋 位 只 头 棵 株 亩 倍 成 届 宗 例 部 队 组 节 课 道 点""".split(),
    key=len,
    reverse=True,
)

_DATE = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?"
    r"|(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日"
    r"|(?P<y3>\d{4})[-./](?P<m3>\d{1,2})[-./](?P<d3>\d{1,2})(?!\d))"
)
_ARABIC = re.compile(r"(?<![\d.])(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<f>\.\d+)?(?P<scale>[万亿])?(?: ?(?P<pct>[%‰]))?")
_CHINESE = re.compile(
    rf"(?P<pct>百分之)(?P<p>{_CN_NUMBER})|(?P<n>{_CN_NUMBER})(?=[余多]?(?:{'|'.join(MEASURES)}))"
)


@dataclass(frozen=True)
class Figure:
    key: str  # what is compared: the value, a percentage, a date
    shown: str  # as the text writes it, for the message

    def __str__(self):
        return self.shown


def normalise(text):
    """The full-width forms as NFKC reads them (１２ -> 12, ％ -> %, ．-> .),
    except the Chinese comma: 1，200 is two clauses' figures, never one
    thousand two hundred. Circled enumerators (①) stay what they are."""
    return "".join(
        unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" and c != "，" else c for c in text
    )


def chinese_value(text):
    """二十二 -> 22, 两千三百 -> 2300, 一万二千 -> 12000, 二〇二五 -> 2025;
    None for what is not one number (三四, 十四五)."""
    if len(text) > 1 and all(c in _CN_DIGITS for c in text):
        # Digit by digit, as years are written; 三四 (three or four) is not one number.
        return int("".join(str(_CN_DIGITS[c]) for c in text)) if len(text) == 4 else None
    total, section, digit = 0, 0, None
    for c in text:
        if _CN_DIGITS.get(c) == 0:
            digit = None  # 一百零五: the zero only says a place is empty
        elif c in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _value_key(number):
    """A value as one string whatever its form: 1200.50 -> 1200.5, 82.0 -> 82."""
    number = number.normalize()
    return f"{number:f}"


def figures(text):
    """Every figure of `text`, in order."""
    text = normalise(text)
    for idiom in IDIOMS:
        text = text.replace(idiom, " " * len(idiom))
    found = []  # (position, Figure)

    def blank(match):
        nonlocal text
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]

    for match in list(_DATE.finditer(text)):
        year = match["y"] or match["y3"] or ""
        month = match["m"] or match["m2"] or match["m3"]
        day = match["d"] or match["d2"] or match["d3"] or ""
        key = f"date:{int(year) if year else ''}-{int(month)}-{int(day) if day else ''}"
        found.append((match.start(), Figure(key, match.group())))
        blank(match)
    for match in list(_ARABIC.finditer(text)):
        try:
            value = Decimal(match["n"].replace(",", "") + (match["f"] or ""))
        except InvalidOperation:  # pragma: no cover - the pattern reads only digits
            continue
        if match["scale"]:
            value *= _CN_BIG[match["scale"]]
        found.append((match.start(), Figure(_value_key(value) + (match["pct"] or ""), match.group())))
        blank(match)
    for match in _CHINESE.finditer(text):
        words = match["p"] or match["n"]
        value = chinese_value(words)
        if value == 1 and not match["pct"]:
            continue
        key = f"cn:{words}" if value is None else str(value)
        found.append((match.start(), Figure(key + ("%" if match["pct"] else ""), match.group())))
    return [figure for _, figure in sorted(found, key=lambda pair: pair[0])]


def changed_figures(original, rewritten):
    """(dropped, added): the figures of `original` missing from `rewritten`
    and those `rewritten` has that `original` has not, each in text order.
    Both empty when every figure is kept, in whatever order or form."""
    before, after = figures(original), figures(rewritten)
    missing = Counter(f.key for f in before) - Counter(f.key for f in after)
    extra = Counter(f.key for f in after) - Counter(f.key for f in before)
    return _take(before, missing), _take(after, extra)


def _take(found, wanted):
    wanted = Counter(wanted)
    taken = []
    for figure in found:
        if wanted[figure.key] > 0:
            wanted[figure.key] -= 1
            taken.append(figure)
    return taken


def describe(dropped, added):
    """82→80、删去2025年、新增5: a change where a figure was swapped for
    another, then what was only dropped or only added."""
    pairs = [f"{a}→{b}" for a, b in zip(dropped, added)]
    pairs += [f"删去{a}" for a in dropped[len(added) :]]
    pairs += [f"新增{b}" for b in added[len(dropped) :]]
    return "、".join(pairs)
