"""What many units wrote over many months, said once: the prose of a
document's sections.

    items = merge(texts, names=indicator_names)   # [(unit id, text), ...] oldest first
    paragraph = enumerate_items([item.text for item in items])  # 一是……；二是……。

Units write the same work again each month, in nearly the same words, and
restate the month's figures that the document adds up anyway. Here every
text is cut into sentences; a sentence that only restates reported figures
(本月开展普法宣传活动2场，法制审核案件2件) is dropped, since the section's
figure sentence gives the year's total; a month or week named at its start
(3月，… / 本月…) is dropped too, as a year's report does not speak month by
month; sentences that say nearly the same thing are merged into one item,
told by its most concrete wording (numbers, 《titles》, places and dates
win); an item keeps every unit that said it.

Problems come with their causes and measures where the unit gave them
(存在…问题。原因是……。下一步将……): `split_problem` reads the three
apart, by the words official writing uses to introduce them.

Pure: no database, so any document type and any test can use it. The cost
is linear in the number of sentences: near-duplicates are looked up through
an index of character pairs, not compared with every item.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from core.numerals import chinese_numeral

SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n+")
# Time words a year's document does not repeat at the start of an item: a
# date or a range (3月，/ 1月1日至1月6日，/ 5月以来) when a separator or 以来
# follows, so that 6月底前完成整改 keeps its date; 本月/本周 before the verb.
_DAY = r"(?:\d{4}年)?\d{1,2}月(?:份)?(?:\d{1,2}日)?(?:上旬|中旬|下旬)?"
LEADING_TIME = re.compile(
    rf"^(?:{_DAY}(?:\s*(?:至|到|—|-|~|－)\s*{_DAY}|\s*(?:至|到|—|-|~|－)\s*\d{{1,2}}日)?(?:以来)?[，,、：:\s]+"
    rf"|{_DAY}以来[，,、：:\s]*"
    r"|\d{4}年(?:以来)?[，,、：:\s]+"
    r"|(?:本(?:周|月|季度?|阶段|期)|上(?:周|月|季度?)|当月|近期|今年以来|年初以来)(?![底末初前起至])[，,、：:\s]*)"
)
# Figures a unit restates: 开展普法宣传活动2场 / 法制审核案件2件: a clause
# that ends in a number and its measure. Dates are not figures.
FIGURE = re.compile(r"[0-9]+(?:[.,][0-9]+)*\s*(?:%|[^\s，,。；;、0-9]{0,3})$")
DATE = re.compile(r"\d{4}年|\d{1,2}月(?:份)?|\d{1,2}日")
# A label before the text: 存在问题： / 下一步计划：
LABEL = re.compile(r"^[^，,。；;：:“”《》]{1,12}[：:](?=\S)")
CLAUSE_SPLIT = re.compile(r"[，,；;、]")
NOT_TEXT = re.compile(r"[\W_]+")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
TITLE = re.compile(r"《[^》]+》")
QUOTE = re.compile(r"[“\"][^”\"]+[”\"]")
PLACE = re.compile(r"(?:省|市|区|县|乡|镇|街道|村|社区|学校|医院|企业|中心|公司)")

# Two sentences are one item when this share of their character pairs is
# shared (Jaccard), or the shorter one's pairs lie this much inside the longer.
SAME = 0.6
INSIDE = 0.75
# Pairs in more items than this share tell nothing (开展, 工作) and are not indexed.
COMMON_PAIR = 0.3
MIN_SENTENCE = 6  # characters of text; shorter is a heading or a fragment

CAUSE = re.compile(
    r"(?:^|[。；;，,])\s*(?:(?:其|究其|分析|主要|深层次)?原因(?:是|在于|主要是|主要有|有|为)?[：:，,]?|由于|因为)"
)
MEASURE = re.compile(
    r"(?:^|[。；;，,])\s*(?:(?:下一步|下步|今后|接下来)(?:[，,]?\s*(?:我们|我委|我局|我单位|将|拟|要))?"
    r"|(?:整改|改进)措施[是为：:]?|拟(?=[\u4e00-\u9fff]{2})|针对(?:上述|以上|这些|此类)?问题[，,]?)"
)


WIDE = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
WIDE[0xFF05] = ord("%")


def normalise(text):
    """Full-width digits, letters and ％ as ASCII; Chinese punctuation kept
    (NFKC would turn ，into , in the text the office reads)."""
    return (text or "").translate(WIDE)


def folded(text):
    """For comparing only: NFKC, punctuation and spaces gone."""
    return NOT_TEXT.sub("", unicodedata.normalize("NFKC", text or ""))


def sentences(text):
    """The sentences of a unit's text, each ending in its stop, with a
    leading time word and list marker (1. / 一是 / （一）) removed."""
    found = []
    for piece in SENTENCE_END.split(normalise(text)):
        piece = LABEL.sub("", re.sub(r"\s+", " ", piece or "").strip())
        piece = re.sub(r"^(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）.、．](?![0-9])|[一二三四五六七八九十]是)\s*", "", piece)
        piece = LEADING_TIME.sub("", piece).strip(" ，,、；;：:")
        if len(NOT_TEXT.sub("", piece)) < MIN_SENTENCE:
            continue
        if piece[-1] not in "。！？!?":
            piece = piece.rstrip("；;，,、") + "。"
        found.append(piece)
    return found


CLAUSE = re.compile(r"[^，,；;、]+[，,；;、]?")


def _figure_clause(clause, names):
    """Whether a clause is an indicator's name with a number: 开展普法宣传活动2场."""
    clause = DATE.sub("", LEADING_TIME.sub("", clause.strip(" ，,；;、。"))).strip()
    if not FIGURE.search(clause):
        return False
    words = re.sub(r"^(?:共|累计|合计|其中|全年|本月|本周)", "", NOT_TEXT.sub("", FIGURE.sub("", clause)))
    return bool(words) and any(_names_match(words, name) for name in names)


def without_figures(sentence, names):
    """The sentence without the clauses that restate indicator figures (the
    document adds those up itself), or "" when nothing else is left."""
    body = sentence.rstrip("。！？!?")
    kept = [clause for clause in CLAUSE.findall(body) if not _figure_clause(clause, names)]
    text = "".join(kept).strip(" ，,；;、：:")
    if len(NOT_TEXT.sub("", text)) < MIN_SENTENCE:
        return ""
    return text + "。"


def restates_figures(sentence, names):
    """Whether a sentence only lists reported figures."""
    return bool(names) and not without_figures(sentence, names)


def _names_match(words, name):
    """Whether the words of a figure clause name the indicator: one holds the
    other, or most of the clause's character pairs are the name's."""
    name = folded(name)
    if not name:
        return False
    if words in name or name in words:
        return True
    clause_pairs = pairs(words)
    return len(clause_pairs & pairs(name)) >= 0.6 * len(clause_pairs)


def pairs(text):
    """Character pairs of the text's letters, digits made one symbol: the
    same work done 3 times or 5 times is the same sentence."""
    text = DIGITS.sub("0", folded(text))
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def concreteness(sentence):
    """How much a sentence says that can be checked: numbers, titled
    documents, quoted names, places; then length, up to a point."""
    text = normalise(sentence)
    return (
        3 * len(DIGITS.findall(text))
        + 2 * len(TITLE.findall(text))
        + len(QUOTE.findall(text))
        + len(PLACE.findall(text))
        + min(len(text), 80) / 40
    )


@dataclass
class Item:
    """One thing said, however many times and by however many units."""

    text: str
    unit_ids: list = field(default_factory=list)
    mentions: int = 0
    first: int = 0
    extras: list = field(default_factory=list)  # what came with each mention (a cause, a measure)
    pairs: set = field(default_factory=set, repr=False)
    score: float = 0


def cluster(pieces):
    """Items of (unit id, text, extra) pieces, in the order first said: texts
    that say nearly the same thing are one item, told by the most concrete
    of them, with every unit that said it and every extra."""
    items, index, seen = [], defaultdict(list), {}
    for unit_id, text, extra in pieces:
        key = folded(text)
        if key in seen:
            item = seen[key]
        else:
            grams = pairs(text)
            item = _similar(grams, items, index)
            if item is None:
                item = Item(text=text, first=len(items), pairs=grams, score=concreteness(text))
                items.append(item)
                for gram in grams:
                    index[gram].append(item.first)
            elif (score := concreteness(text)) > item.score:
                item.text, item.score = text, score
            seen[key] = item
        item.mentions += 1
        if unit_id is not None and unit_id not in item.unit_ids:
            item.unit_ids.append(unit_id)
        if extra:
            item.extras.append(extra)
    return items


# A sentence that leans on the one before it (其中即办件占六成) goes with it.
LEANING = re.compile(r"^(?:其中|此外|同时|另外|并且|但|而且?|以上|上述|该|此|这)")
EVERY = {"本月": "每月", "本周": "每周", "本季度": "每季度", "当月": "每月"}


def kept(entries, names):
    """(unit id, sentence) of the entries' sentences that say something
    besides the figures of `names` (indicator names)."""
    for unit_id, text in entries:
        dropped = False
        for sentence in sentences(text):
            leaning = bool(LEANING.match(sentence))
            sentence = without_figures(sentence, names) if names else sentence
            dropped = not sentence or (dropped and leaning)
            if not dropped:
                yield unit_id, sentence


def merge(entries, *, names=()):
    """Items of (unit id, text) entries, one per thing said: sentences that
    restate figures of `names` (indicator names) are dropped. Work said in
    three periods or more is routine: its 本月 reads 每月."""
    items = cluster((unit_id, sentence, None) for unit_id, sentence in kept(entries, names))
    for item in items:
        if item.mentions >= 3:
            item.text = re.sub("|".join(EVERY), lambda found: EVERY[found.group()], item.text)
    return items


def _similar(grams, items, index):
    """The item whose wording is nearly this one's, or None."""
    limit = max(8, COMMON_PAIR * len(items))
    shared = Counter()
    for gram in grams:
        postings = index.get(gram, ())
        if len(postings) <= limit:
            shared.update(postings)
    for position, count in shared.most_common(5):
        other = items[position].pairs
        if count / len(grams | other) >= SAME or count / min(len(grams), len(other)) >= INSIDE:
            return items[position]
    return None


def enumerate_items(texts, *, ordinal="是"):
    """一是……；二是……；三是……。 — one item is said as it is."""
    texts = [t.rstrip("。；;，, ") for t in texts if t and t.strip()]
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0] + "。"
    return "；".join(f"{chinese_numeral(n)}{ordinal}{t}" for n, t in enumerate(texts, start=1)) + "。"


@dataclass
class Problem:
    problem: str
    cause: str = ""
    measure: str = ""


def split_problem(text):
    """A unit's problem text read into what is wrong, why, and what it will
    do about it: 执法力量不足。原因是…。下一步将… → three parts; any may
    be empty but the problem."""
    text = re.sub(r"\s+", "", normalise(text)).strip()
    measure_at = MEASURE.search(text)
    cause_at = CAUSE.search(text)
    measure = cause = ""
    if measure_at and measure_at.start() > 0:
        measure = text[measure_at.start() :]
        text = text[: measure_at.start()]
    if cause_at and cause_at.start() > 0 and cause_at.start() < len(text):
        cause = text[cause_at.start() :]
        text = text[: cause_at.start()]
    return Problem(problem=_clause(text), cause=_clause(cause, strip=True), measure=_clause(measure, strip=True))


def _clause(text, *, strip=False):
    text = text.strip(" 。；;，,：:")
    if strip:
        text = re.sub(r"^[。；;，,]+", "", text)
    return text + "。" if text else ""


def merge_problems(entries):
    """Problems of (unit id, text) entries, merged like work items; each
    item's extras are its (cause, measure) pairs. `best_of` picks one."""
    pieces = []
    for unit_id, text in entries:
        for chunk in _problem_chunks(text):
            problem = split_problem(chunk)
            if problem.problem:
                pieces.append((unit_id, problem.problem, (problem.cause, problem.measure)))
    return cluster(pieces)


def best_of(texts):
    """The most concrete of the texts, "" when there is none."""
    texts = [t for t in texts if t]
    return max(texts, key=lambda t: (concreteness(t), -texts.index(t))) if texts else ""


def _problem_chunks(text):
    """A unit's problems, one per numbered point or line."""
    text = normalise(text or "").strip()
    if not text:
        return []
    text = re.sub(r"(?:^|(?<=[。；;\n]))\s*(?:[0-9]{1,2}[.、．]|[（(][一二三四五六七八九十0-9]{1,2}[)）]|[一二三四五六七八九十]是)", "\n", text)
    return [LABEL.sub("", c.strip(" 。；;")) for c in text.split("\n") if NOT_TEXT.sub("", c)]
