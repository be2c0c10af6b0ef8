"""Chinese numerals both ways: the numbers our documents write (一、, （十一）,
第三阶段) and the numbers plans write in Chinese (二〇一七年二月十日, 每月五日)."""

# Plans number their items with these (一、…十、, （一）…（十）); read as a
# table, it is also the ordinals of numbering that stops at ten.
ONE_TO_TEN = "一二三四五六七八九十"
# Years are written digit by digit (二〇一七); 〇 and 零 both mean zero, and
# typed copies stand the white circle ○ or a letter O in for 〇 (二○○九).
_ZEROS = "〇零○ＯO"
YEAR_DIGITS = _ZEROS + "一二三四五六七八九"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_DIGITS = "零一二三四五六七八九"
_VALUES = {c: i + 1 for i, c in enumerate("一二三四五六七八九")} | dict.fromkeys(_ZEROS, 0)


def chinese_numeral(n: int, *, up_to: int = 9999) -> str:
    """1 -> 一, 10 -> 十, 15 -> 十五, 105 -> 一百零五, 1010 -> 一千零一十.

    Numbers outside 1..``up_to`` (at most 9999) stay in Arabic figures
    (第0阶段): what we number counts from one, and some labels switch to figures
    after 十 (第11阶段) rather than write 十一.
    """
    if not 0 < n <= min(up_to, 9999):
        return str(n)
    if n < 10:
        return _DIGITS[n]
    # 十五, not 一十五: the leading 一 is dropped only when 十 comes first.
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, gap = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if gap else "") + _DIGITS[digit] + name
            gap = False
        elif out:
            gap = True
    return out


def numeral_value(text: str) -> int | None:
    """The number in Arabic or Chinese figures: 12, １２, 十二, 二十五, 二〇一七.

    Counts up to 九十九 and digit-by-digit years; None when it is not a number
    this reads.
    """
    text = text.translate(FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    if text and all(c in YEAR_DIGITS for c in text) and len(text) >= 2:
        return int("".join(str(_VALUES[c]) for c in text))
    if not text:
        return None
    if "十" in text:
        left, _, right = text.partition("十")
        return (_VALUES.get(left, 1) if left else 1) * 10 + (_VALUES.get(right, 0) if right else 0)
    return _VALUES.get(text)
