"""Copy-paste across units and periods: which reports of the campaign sent in
the last year share passages with this one (文字雷同提示).

Each sent report's text is cut into character 5-grams (Chinese has no spaces
between words, so words are no unit), hashed, and winnowed (Schleimer, Wilkerson
and Aiken, 2003: the smallest hash of every 4 consecutive ones), which keeps
about 40 % of the hashes yet guarantees that any passage of 8 characters or
more shared by two texts leaves at least one hash in common. The hashes are
stored in `TextFingerprint` when the report is sent, in the same transaction,
so that candidates are found with one indexed query whatever the size of the
campaign, on any host, with nothing held in memory between requests.

What does not count as copying: lines shorter than `MIN_LINE` characters
(headings such as 开展情况), the campaign's own task titles, which every unit
quotes, and any hash found in more than `COMMON_SHARE` of the reports the
campaign's units owed in the year (set phrases: 下步将继续加大宣传力度…). The passages shown are then
found with difflib in the two texts, and the result is a hint for the reviewer,
never a reason to refuse.
"""

import datetime
import re
import zlib
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tasks.models import Task

from .models import REPORT_RELATED, Period, Report, ReportVersion, TextFingerprint

GRAM = 5
WINDOW = 4
# A line with fewer characters (punctuation and spaces aside) is a heading or
# a stock phrase, not writing.
MIN_LINE = 8
# A hash in more than this share of the reports owed in the year (and in more
# than COMMON_MIN of them, for small campaigns) is boilerplate.
COMMON_SHARE = 0.05
COMMON_MIN = 5
LOOKBACK = datetime.timedelta(days=365)
# A report is listed when at least this share of its distinctive hashes, and
# at least MIN_SHARED of them, appear in the other report.
FLAG_SHARE = 0.3
MIN_SHARED = 3
MAX_MATCHES = 5
# Hashes looked up per report: the smallest ones, a consistent sample (the
# same passage keeps the same sample in both texts), which also keeps the
# query under SQLite's 999 parameters.
MAX_LOOKUP = 400
# Passages shorter than this are not highlighted.
MIN_PASSAGE = 10
# difflib is quadratic in the worst case; reports are far shorter than this.
MAX_COMPARED_CHARS = 8000

_NOT_TEXT = re.compile(r"[\W_]+")


def sent_text(work_done, problems, next_steps):
    """The three free-text parts as one text, in the order of the form."""
    return "\n".join(part.strip() for part in (work_done, problems, next_steps) if part and part.strip())


def _hash(gram):
    value = zlib.crc32(gram.encode())
    # Fits a 32-bit signed column on every database.
    return value - (1 << 32) if value >= 1 << 31 else value


def _grams(line):
    return [line[i : i + GRAM] for i in range(len(line) - GRAM + 1)]


def _lines(text):
    for line in text.splitlines():
        line = _NOT_TEXT.sub("", line)
        if len(line) >= MIN_LINE:
            yield line


def winnowed_grams(text):
    """The winnowed hashes of a text, each with the 5-gram it stands for."""
    picked = {}
    for line in _lines(text):
        grams = _grams(line)
        hashes = [_hash(gram) for gram in grams]
        starts = range(max(1, len(hashes) - WINDOW + 1))
        for start in starts:
            window = range(start, min(start + WINDOW, len(hashes)))
            smallest = min(window, key=hashes.__getitem__)
            picked[hashes[smallest]] = grams[smallest]
    return picked


def fingerprints(text):
    """The winnowed hashes of a text."""
    return set(winnowed_grams(text))


def _rows(report, campaign_id, sent_at, text):
    return [
        TextFingerprint(report_id=report.pk, campaign_id=campaign_id, sent_at=sent_at, hash=h)
        for h in fingerprints(text)
    ]


def index_report(report, *, at):
    """Replace the report's fingerprints with those of the text just sent.
    Called by `workflow.submit`, inside its transaction."""
    TextFingerprint.objects.filter(report=report).delete()
    text = sent_text(report.work_done, report.problems, report.next_steps)
    TextFingerprint.objects.bulk_create(_rows(report, report.period.rule.campaign_id, at, text))


def forget_report(report):
    """A withdrawn report's text is no longer sent: others are not compared with it."""
    TextFingerprint.objects.filter(report=report).delete()


def index_campaign(*, campaign_id, batch=2000):
    """Fingerprint the campaign's sent reports that have none yet (reports sent
    before the check existed, bulk-loaded data): the `index_report_texts`
    command. Reads and writes `batch` reports at a time, each batch in its own
    transaction, so memory stays flat and a second run resumes."""
    done = 0
    last_id = 0
    while True:
        chunk = list(
            _sent_reports()
            .filter(period__rule__campaign_id=campaign_id, pk__gt=last_id, fingerprints__isnull=True)
            .order_by("pk")
            .values("pk", "submitted_at", "text_work_done", "text_problems", "text_next_steps")[:batch]
        )
        if not chunk:
            return done
        last_id = chunk[-1]["pk"]
        rows = []
        for row in chunk:
            report = Report(pk=row["pk"])
            text = sent_text(row["text_work_done"], row["text_problems"], row["text_next_steps"])
            rows.extend(_rows(report, campaign_id, row["submitted_at"], text))
        with transaction.atomic():
            TextFingerprint.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        done += len(chunk)


def _sent_reports(queryset=None):
    """Reports that were sent, with the text of their latest version (the
    working copy may hold a draft the office must not read); bulk-loaded
    reports without versions fall back to the report's own fields."""
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    queryset = Report.objects.all() if queryset is None else queryset
    return queryset.exclude(submitted_at=None).annotate(
        text_work_done=Coalesce(Subquery(latest.values("work_done")[:1]), F("work_done")),
        text_problems=Coalesce(Subquery(latest.values("problems")[:1]), F("problems")),
        text_next_steps=Coalesce(Subquery(latest.values("next_steps")[:1]), F("next_steps")),
    )


@dataclass
class Match:
    report: Report
    percent: int
    passages: list  # the shared passages, longest first
    own_segments: list = field(default_factory=list)  # [(text, shared)] of the reviewed report
    other_segments: list = field(default_factory=list)  # [(text, shared)] of the other report


def similar_reports(*, report, text, visible, at):
    """The reports of the same campaign, sent within a year of `at`, whose
    text shares passages with `text` (the reviewed version's), best first.
    `visible` is the reviewer's queryset of reports (`access.visible_reports`):
    a report the reviewer may not open is never shown. A fixed number of
    queries whatever the size of the campaign."""
    campaign_id = report.period.rule.campaign_id
    grams = winnowed_grams(text)
    if not grams:
        return []
    titles = list(Task.objects.filter(campaign_id=campaign_id).values_list("title", flat=True))
    # Every unit quotes the tasks it reports on.
    quoted = "\n".join(_NOT_TEXT.sub("", title) for title in titles)
    own = sorted(h for h, gram in grams.items() if gram not in quoted)[:MAX_LOOKUP]
    if not own:
        return []
    # Frequencies over the same year as the comparison: a third of the rows
    # of a three-year campaign, and today's set phrases rather than old ones.
    in_year = TextFingerprint.objects.filter(campaign_id=campaign_id, sent_at__gte=at - LOOKBACK)
    # The reports owed in the year, found through the periods' deadlines
    # (indexed) rather than by reading every report of the campaign.
    owed = Report.objects.filter(
        period__in=Period.objects.filter(rule__campaign_id=campaign_id, due_at__gte=at - LOOKBACK).values("pk")
    ).count()
    common_above = max(COMMON_MIN, COMMON_SHARE * owed)
    common = {
        row["hash"]
        for row in in_year.filter(hash__in=own).values("hash").annotate(n=Count("*")).filter(n__gt=common_above)
    }
    distinctive = [h for h in own if h not in common]
    if len(distinctive) < MIN_SHARED:
        return []
    candidates = list(
        in_year.filter(hash__in=distinctive)
        .exclude(report=report)
        .values("report")
        .annotate(shared=Count("*"))
        .filter(shared__gte=max(MIN_SHARED, FLAG_SHARE * len(distinctive)))
        .order_by("-shared", "-report")[: MAX_MATCHES * 2]
    )
    if not candidates:
        return []
    shared = {row["report"]: row["shared"] for row in candidates}
    others = _sent_reports(visible.filter(pk__in=shared)).select_related(*REPORT_RELATED)
    matches = []
    for other in others:
        other_text = sent_text(other.text_work_done, other.text_problems, other.text_next_steps)
        blocks = _passages(text, other_text, titles)
        if not blocks:
            continue
        matches.append(
            Match(
                report=other,
                percent=round(100 * shared[other.pk] / len(distinctive)),
                passages=sorted((text[a : a + size] for a, _, size in blocks), key=len, reverse=True),
                own_segments=_segments(text, [(a, size) for a, _, size in blocks]),
                other_segments=_segments(other_text, sorted((b, size) for _, b, size in blocks)),
            )
        )
    matches.sort(key=lambda m: (-m.percent, -m.report.pk))
    return matches[:MAX_MATCHES]


def _passages(text, other_text, titles):
    """The blocks (start in text, start in other_text, length) the two texts
    share, long enough to be a passage and more than a task title."""
    matcher = SequenceMatcher(None, text[:MAX_COMPARED_CHARS], other_text[:MAX_COMPARED_CHARS], autojunk=False)
    blocks = []
    for a, b, size in matcher.get_matching_blocks():
        passage = _NOT_TEXT.sub("", text[a : a + size])
        if len(passage) < MIN_PASSAGE or any(passage in _NOT_TEXT.sub("", title) for title in titles):
            continue
        blocks.append((a, b, size))
    return blocks


def _segments(text, spans):
    """`text` cut into [(piece, shared)] around the given (start, length) spans."""
    segments, position = [], 0
    for start, size in spans:
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start : start + size], True))
        position = start + size
    if position < len(text):
        segments.append((text[position:], False))
    return segments
