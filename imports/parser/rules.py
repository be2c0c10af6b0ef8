"""Reporting rules: weekly and monthly (每周五、每月25日前报送), quarterly,
half-yearly and yearly (每季度末月25日前, 每半年, 每年12月20日前), one-off
deadlines (于6月30日前报送阶段性报告), and reports due some days after each
phase or the campaign ends (每阶段结束后5日内报送阶段小结, 活动结束后10日内报送总结)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from core.numerals import ONE_TO_TEN, numeral_value

from .dates import MASK_YEAR, DateContext, fits_mask
from .text import fold


@dataclass
class ReportingRule:
    # "weekly" | "monthly" | "quarterly" | "half_yearly" | "yearly" | "once" | "phase_end" | "campaign_end"
    cadence: str
    weekday: int | None
    # The due day in the due month; 31 is "the month's last day". For "once", due_on's day.
    day_of_month: int | None
    time: str | None
    text: str
    # Quarterly, half-yearly, yearly: months from the cycle's last month (March…December,
    # June/December, December) to the deadline's month: 每季度结束后10日内 -> 1.
    month_offset: int = 0
    # "once": the deadline (ISO date); None where its year is masked or unknown.
    due_on: str | None = None
    # What is reported, where the text says it (阶段性报告); None lets the importer name it.
    name: str | None = None
    # "phase_end", "campaign_end": the days after the phase's or campaign's end it is due.
    days_after: int = 0
    # Quarterly: the deadline's month within its calendar quarter (1–3), read from
    # month_offset: 季度末月 -> 3, 季度首月 (of the next quarter, 次月10日前) -> 1.
    month_in_quarter: int | None = None


def month_in_quarter(month_offset: int) -> int:
    """The deadline's month within its calendar quarter, for a quarterly rule's month_offset."""
    return 3 + month_offset if month_offset <= 0 else month_offset


WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "末": None}


def _time_of(text: str) -> str | None:
    m = re.search(r"(上午|中午|下午|晚上)?(\d{1,2})[:：](\d{2})", text)
    if m:
        h = int(m.group(2)) + (12 if m.group(1) in ("下午", "晚上") and int(m.group(2)) < 12 else 0)
        return f"{h:02d}:{m.group(3)}"
    m = re.search(rf"(上午|中午|下午|晚上)?(\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}})[时点](半)?", text)
    if m:
        h = numeral_value(m.group(2)) or 0
        if m.group(1) in ("下午", "晚上") and h < 12:
            h += 12
        return f"{h:02d}:{'30' if m.group(3) else '00'}"
    if "下班前" in text:
        return "12:00" if re.search(r"上午下班前|中午下班前", text) else "17:30"
    if "中午前" in text or "中午12" in text:
        return "12:00"
    return None


_REPORT_VERB = re.compile(r"报送|上报|报告|报|提交|汇总|反馈")
# The office's own monthly round (每月通报一次, 每月评选…) asks nothing of the units.
_OFFICE_ROUND = re.compile(r"通报|评选|评比|讲评|考评|测评|排名|督查|督察")
_UNITS_SEND = re.compile(r"报送|上报|提交")


def _merged(rules: list[ReportingRule]) -> list[ReportingRule]:
    """One rule per cadence a sentence states twice (每周报送一篇信息，于每周四下班前报…):
    the clause with no day gets it from the one that names it."""
    out: list[ReportingRule] = []
    for rule in rules:
        if rule.cadence in ("once", "phase_end", "campaign_end"):
            out.append(rule)
            continue
        same = next((r for r in out if r.cadence == rule.cadence), None)
        key = "weekday" if rule.cadence == "weekly" else "day_of_month"
        if same is not None and (getattr(same, key) is None or getattr(rule, key) is None):
            if getattr(same, key) is None:
                setattr(same, key, getattr(rule, key))
                same.month_offset = rule.month_offset
            same.time = same.time or rule.time
            same.text = f"{same.text}，{rule.text}"
            continue
        out.append(rule)
    return out


def extract_reporting_rules(
    paras: list[str], ctx: DateContext | None = None, phases=(), issued_on: dt.date | None = None
) -> list[ReportingRule]:
    """Every reporting rule the paragraphs state, in their order. A one-off
    deadline takes its year from `ctx` (the plan's year) or, failing that, from
    `issued_on`; what still needs a person goes to ``ctx.warnings``."""
    ctx = ctx or DateContext(None, [])
    rules: list[ReportingRule] = []
    for para in paras:
        for original in re.split(r"[。；;]", para):
            # Traditional script (每週, 報送) read as simplified; positions are kept.
            sentence = fold(original)
            found = []
            starts = [m for m in re.finditer(r"每周|每星期|每月", sentence)]
            for i, m in enumerate(starts):
                end = starts[i + 1].start() if i + 1 < len(starts) else len(sentence)
                clause = sentence[m.start():end].rstrip("，,和及、")
                tail = sentence[m.start():]
                verb = _REPORT_VERB.search(clause)
                if not _REPORT_VERB.search(tail):
                    continue
                if _OFFICE_ROUND.search(clause) and not _UNITS_SEND.search(clause):
                    continue
                if verb:
                    comma = re.search(r"[，,]", clause[verb.end():])
                    if comma:
                        clause = clause[: verb.end() + comma.start()]
                text = original[m.start(): m.start() + len(clause)]
                if m.group(0) in ("每周", "每星期"):
                    wm = re.match(r"(?:每周|每星期)([一二三四五六日天末1-7])", clause)
                    weekday = None
                    if wm:
                        weekday = int(wm.group(1)) if wm.group(1).isdigit() else WEEKDAYS[wm.group(1)]
                    found.append(ReportingRule("weekly", weekday, None, _time_of(clause), text))
                else:
                    dm = re.match(rf"每月(\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}})[日号]", clause)
                    day = numeral_value(dm.group(1)) if dm else None
                    if day is not None and not 1 <= day <= 31:
                        day = None
                    # 31 is "the month's last day" to ReportingRule.day_of_month.
                    if day is None and re.match(r"每月(?:月底|月末|最后一(?:天|日)|底)", clause):
                        day = 31
                    found.append(ReportingRule("monthly", None, day, _time_of(clause), text))
            rules.extend(_merged(found))
            rules.extend(_merged(_deadline_rules(original, ctx, phases, issued_on)))
    rules = _deduped(rules)
    for rule in rules:
        if rule.cadence == "quarterly":
            rule.month_in_quarter = month_in_quarter(rule.month_offset)
    return rules


def _deduped(rules: list[ReportingRule]) -> list[ReportingRule]:
    """A deadline stated twice (in 工作步骤 and again in 工作要求) is set up once.
    Weekly and monthly rules are left as the sentences give them."""
    out, seen = [], set()
    for rule in rules:
        if rule.cadence in ("weekly", "monthly"):
            out.append(rule)
            continue
        key = (rule.cadence, rule.weekday, rule.day_of_month, rule.time, rule.month_offset, rule.due_on, rule.days_after)
        if rule.cadence == "once" and rule.due_on is None:
            key += (rule.text,)
        if key not in seen:
            seen.add(key)
            out.append(rule)
    return out


# ------------------------------------------------ quarterly, half-yearly, yearly and one-off deadlines

_NUM = rf"\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}}"
# A deadline as a clause writes it: 2025年6月30日, 20XX年12月20日, 次年1月15日, 6月底, 10月上旬.
_DEADLINE = re.compile(
    rf"(?:(?P<year>\d{{4}}|{MASK_YEAR})年|(?P<next>次年|翌年|下一年|下年))?"
    rf"(?<![统唯第每个])(?P<month>{_NUM})月份?(?:(?P<day>{_NUM})[日号]|(?P<part>底|末|上旬|中旬|下旬))?"
)
# A date that opens a range (5月2日至7日) is when something runs, not a deadline.
_RANGE_AFTER = re.compile(r"\s*(?:至|到|—|－|-|~|～)")
_RANGE_BEFORE = re.compile(r"(?:至|到|—|－|-|~|～)\s*$")
_CADENCES = (
    ("quarterly", re.compile(r"每(?:个|一)?季度?|按季度?|季度?末|季度?(?:结束|终了)后|季报")),
    ("half_yearly", re.compile(r"每半年度?|半年报|上半年(?:和|及|、|与)全年|半年度?(?:结束|终了)后")),
    (
        "yearly",
        re.compile(r"每年度?|次年|翌年|年底前|年末前|年度(?:结束|终了)后|(?:年度|全年)[^，,。]{0,6}?(?:总结|报告)|年报"),
    ),
)
# 每年, 年底前: a yearly rule however the date is written; 年度总结 alone with a
# dated year (于2024年12月10日前报送年度工作总结) is one report.
_EVERY_YEAR = re.compile(r"每年|次年|翌年|年底前|年末前|年度(?:结束|终了)后")
_DAYS_AFTER = rf"(?:(?P<days>{_NUM})(?:个工作日|日|天)(?:内|以内|前)|(?P<week>一周|1周|一个星期)(?:内|以内))?"
# 每阶段结束后5日内, 各阶段工作结束后: a report at the end of each phase.
_PER_PHASE = re.compile(rf"(?:每|各)(?:个)?阶段(?:工作|任务)?(?:结束|完成)后{_DAYS_AFTER}")
# 活动结束后10日内, 专项行动结束后, 整治工作结束后: a report at the end of the campaign
# (not a phase's, a year's or a quarter's end, nor a piece of work finished: 整改完成后).
_CAMPAIGN_END = re.compile(
    rf"(?<![段度年季月周])(?:活动|行动|整治|创建|竞赛|攻坚)(?:工作)?(?:全部)?(?:结束|终了)后{_DAYS_AFTER}"
)
_AFTER_END = re.compile(rf"(?:结束|终了)后(?:的)?(?P<days>{_NUM})(?:个工作日|日|天)(?:内|以内|前)")
# Units send: 报送, 上报, 报省…, 交县创卫办; not 报名, 报道, nor a report being written (形成报告).
_SEND = re.compile(
    r"报送|上报|呈报|提交|送交|报告(?=[省市县区]|一次)|(?<=[组办室局委府部厅])报告|(?<![组办室局委府部厅])汇报|(?<![通简周月季年快电举公海画日预警情申回播])报(?![名道刊纸销告表])"
    r"|交(?=[^，,。]{0,12}(?:办|室|局|委|处|组|部|科|中心))"
)
# The office's own deadline: 领导小组办公室将于…, 市委拟在…; units are written 各….
_OFFICE_SUBJECT = re.compile(
    r"^(?!各)[^，,]*?(?:领导小组|办公室|指挥部|检查组|督查组|考核组|[省市县区]委|[省市县区]政府)"
    r"[^，,各]{0,8}?(?:将|拟|计划|定于|统一)"
)
_DOCUMENT_NAME = re.compile(r"《([^《》]{2,40})》")
_WHAT_SUFFIX = (
    r"(?:报告|总结|小结|情况|进展|名单|简报|材料|报表|清单|台账|信息|动态|数据|方案|计划|意见|建议|统计表|自评表)"
)
_WHAT_AFTER_VERB = re.compile(rf"(?:一次|一篇|一份|书面)?([^，,。；;]{{0,18}}?{_WHAT_SUFFIX})(?:[，,。；;]|$|(?=[报至到给]))")
_WHAT_BEFORE_DATE = re.compile(rf"(?:将|^)([^，,。；;]{{0,18}}?{_WHAT_SUFFIX})(?:分别|均|统一)?$")
_OFFSET_RANGE = {"quarterly": (-2, 3), "half_yearly": (-5, 3), "yearly": (-11, 3)}
_PART_DAY = {"上旬": 10, "中旬": 20}


def _masked(sentence: str) -> str:
    """The sentence with what no new rule may come from blanked, positions kept:
    weekly and monthly clauses (their dates are theirs) and cited documents' names."""
    out = list(sentence)
    for m in re.finditer(r"每周|每星期|每月", sentence):
        comma = re.search(r"[，,]", sentence[m.end():])
        end = m.end() + comma.start() if comma else len(sentence)
        out[m.start():end] = "□" * (end - m.start())
    for m in _DOCUMENT_NAME.finditer(sentence):
        out[m.start():m.end()] = "□" * (m.end() - m.start())
    return "".join(out)


def _clauses(masked: str) -> list[tuple[int, int]]:
    """(start, end) of the comma clauses, one clause joined to the next where it
    names a deadline and the next says what is sent, or the reverse."""
    spans, start = [], 0
    for m in re.finditer(r"[，,]", masked):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(masked)))
    joined: list[tuple[int, int]] = []
    for span in spans:
        if joined:
            prev = masked[joined[-1][0]:joined[-1][1]]
            here = masked[span[0]:span[1]]
            dated = _has_day(prev)
            periodic = _cadence_of(prev)
            if (
                (dated and not _SEND.search(prev) and _SEND.search(here) and not _dates(here))
                or (periodic and not dated and _dates(here) and not _cadence_of(here))
            ):
                joined[-1] = (joined[-1][0], span[1])
                continue
        joined.append(span)
    return joined


def _has_day(clause: str) -> bool:
    return bool(_dates(clause) or _AFTER_END.search(clause) or re.search(rf"(?:{_NUM})[日号]|末前|年底前", clause))


def _dates(clause: str) -> list[re.Match]:
    return [
        m for m in _DEADLINE.finditer(clause)
        if not _RANGE_AFTER.match(clause, m.end()) and not _RANGE_BEFORE.search(clause, 0, m.start())
        and (m.group("day") or m.group("part") or "前" in clause[m.end(): m.end() + 2])
    ]


def _cadence_of(clause: str) -> str | None:
    for cadence, pattern in _CADENCES:
        if pattern.search(clause):
            return cadence
    return None


def _last_day(month: int, year: int | None = None) -> int:
    # 31 stands for "the month's last day" where the year is not known and the month is February.
    if year is None and month == 2:
        return 31
    return calendar.monthrange(year or 2001, month)[1]


def _day_of(m: re.Match, month_known: bool, year: int | None = None) -> int | None:
    if m.group("day"):
        day = numeral_value(m.group("day"))
        return day if day and 1 <= day <= 31 else None
    part = m.group("part")
    if part in _PART_DAY:
        return _PART_DAY[part]
    if part in ("底", "末", "下旬"):
        return _last_day(int(numeral_value(m.group("month")) or 0), year) if month_known else 31
    return None


def _offset_from_month(cadence: str, month: int, next_year: bool) -> int:
    if cadence == "yearly":
        return month - 12 + (12 if next_year else 0)
    cycle = 3 if cadence == "quarterly" else 6
    r = month % cycle
    return r if r <= (1 if cadence == "quarterly" else 3) else r - cycle


def _name(original: str, masked: str, date_at: int | None, send_at: int | None) -> str | None:
    """What is reported, where the clause says it: 《…》, 将…于, 报送…总结;
    None past 20 characters, which is a clause rather than a name."""
    name = _what(original, masked, date_at, send_at)
    return name.strip() if name and len(name.strip()) <= 20 else None


def _what(original: str, masked: str, date_at: int | None, send_at: int | None) -> str | None:
    doc = _DOCUMENT_NAME.search(original)
    if doc and len(doc.group(1)) <= 20:
        return doc.group(1)
    if date_at is not None:
        before = re.sub(r"(?:要|应|须|需)?(?:于|在)?$", "", original[:date_at])
        m = _WHAT_BEFORE_DATE.search(before)
        if m:
            return m.group(1)
    if send_at is not None:
        verb = _SEND.match(masked, send_at)
        m = re.search(r"将([^，,。；;]{2,20}?)(?:书面|按时|及时)?$", original[:send_at])
        if m:
            return m.group(1)
        m = _WHAT_AFTER_VERB.match(original, verb.end())
        if m:
            return m.group(1)
    return None


def _periodic_rule(cadence, clause, masked, dates) -> ReportingRule | None:
    offset, day = 0, None
    after = _AFTER_END.search(masked)
    if after:
        offset, day = 1, numeral_value(after.group("days"))
    elif dates:
        first = dates[0]
        month = numeral_value(first.group("month")) or 0
        if not 1 <= month <= 12:
            return None
        offset = _offset_from_month(cadence, month, bool(first.group("next")))
        dated = next((d for d in dates if d.group("day") or d.group("part")), first)
        day = _day_of(dated, cadence == "yearly")
    else:
        word = rf"(?P<which>首月|第一个月|第1个月|次月|第二个月|第2个月|末月|最后一个月|第三个月|第3个月|季末|季度末|半年末|年底|年末)?"
        m = re.search(rf"{word}(?P<day>{_NUM})[日号]", masked)
        which = m.group("which") if m else None
        if m is None:
            m2 = re.search(r"(季度?末|半年末|年底|年末)(?:前|以前|之前)", masked)
            if m2:
                day = 31
        else:
            day = numeral_value(m.group("day"))
            if which in ("首月", "第一个月", "第1个月", "次月"):
                offset = -2 if "本季度" in masked else 1
            elif which in ("第二个月", "第2个月"):
                offset = -1
            elif which is None and re.search(r"上(?:一|个)?(?:季度|半年|年度)|上年", masked):
                offset = 1
    if day is not None and not 1 <= day <= 31:
        day = None
    low, high = _OFFSET_RANGE[cadence]
    if not low <= offset <= high:
        return None
    return ReportingRule(cadence, None, day, _time_of(masked), clause, month_offset=offset)


def _campaign_start(phases) -> dt.date | None:
    starts = [p.start for p in phases if p.start]
    return min(starts) if starts else None


def _once_rules(clause, masked, dates, send_at, ctx: DateContext, phases, issued_on) -> list[ReportingRule]:
    rules = []
    start = _campaign_start(phases)
    for m in dates:
        if send_at is not None and m.start() > send_at:
            break
        month = numeral_value(m.group("month")) or 0
        if not 1 <= month <= 12:
            continue
        printed = m.group("year")
        due = None
        if printed and re.fullmatch(r"\d{4}", printed):
            year = int(printed)
        elif printed and ctx.given_year is not None and fits_mask(ctx.given_year, printed):
            year = ctx.given_year
            ctx.masked_filled.add(printed)
        elif printed:
            year = None
            ctx.warnings.append(
                f"一次性报送要求“{clause}”的年份被遮盖（{m.group(0)}），已作为一次性报送导入，请人工填写截止日期。"
            )
        else:
            base = ctx.default_year
            if base is None and issued_on is not None:
                base = issued_on.year
                if (month, _day_of(m, True, base) or 1) < (issued_on.month, issued_on.day):
                    base += 1
                ctx.warnings.append(
                    f"一次性报送要求“{clause}”没有写年份，已按发文日期补为 {base} 年，请核对。"
                )
            year = base + 1 if base is not None and m.group("next") else base
            if year is None:
                ctx.warnings.append(
                    f"一次性报送要求“{clause}”的日期没有写年份，已作为一次性报送导入，请人工填写截止日期（或用 --year 指定）。"
                )
        day = _day_of(m, True, year)
        if year is not None and day is not None:
            due = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
            # A date without its year before the campaign begins falls in the next year, as phases do.
            if not printed and start and due < start and ctx.default_year is not None:
                due = dt.date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))
        rules.append(
            ReportingRule(
                "once", None, due.day if due else day, _time_of(masked[m.end():]), clause,
                due_on=due.isoformat() if due else None,
                name=_name(clause, masked, m.start(), send_at),
            )
        )
    return rules


def _end_of(clause: str) -> tuple[str, re.Match] | None:
    """("phase_end" | "campaign_end", the match) where the clause says a report
    is due after each phase or the campaign ends."""
    for cadence, pattern in (("phase_end", _PER_PHASE), ("campaign_end", _CAMPAIGN_END)):
        m = pattern.search(clause)
        if m:
            return cadence, m
    return None


def _end_rule(clause, masked, end, send_at, ctx: DateContext, phases) -> ReportingRule:
    cadence, m = end
    # X个工作日内 is read as X days: the calendar of working days is not the parser's to know.
    days = 7 if m.group("week") else numeral_value(m.group("days")) if m.group("days") else None
    if days is None or not 0 <= days <= 90:
        days = 0
        ctx.warnings.append(f"报送要求“{clause}”没有写明结束后几日内报送，已按结束当日截止导入，请核对。")
    if cadence == "phase_end" and not any(p.end for p in phases):
        ctx.warnings.append(f"报送要求“{clause}”按阶段报送，但没有识别到阶段的起止日期，请填写阶段日期或改为活动结束后报送。")
    return ReportingRule(
        cadence, None, None, _time_of(masked), clause, name=_name(clause, masked, None, send_at), days_after=days
    )


# The office as the subject of a summary: 领导小组办公室要认真总结, 市创建办将….
_OFFICE_DOES = re.compile(
    r"^(?!各)[^，,]*?(?:领导小组|办公室|指挥部|创建办|创卫办|[省市县区]委|[省市县区]政府)"
    r"[^，,各]{0,8}?(?:将|拟|计划|定于|统一|要|应|须|负责)"
)


def _office_speaks(masked: str) -> bool:
    """Whether a piece of the clause before its verb makes the office the one
    who sends (活动结束后10日内，领导小组办公室将总结报告报市政府)."""
    return any(_OFFICE_DOES.search(piece) for piece in re.split(r"[，,]", masked))


def _deadline_rules(original: str, ctx: DateContext, phases, issued_on) -> list[ReportingRule]:
    """The quarterly, half-yearly, yearly and one-off rules of one sentence, clause by clause."""
    masked = _masked(fold(original))
    found: list[ReportingRule] = []
    # 专项行动结束后，各单位要认真总结，形成总结报告报送…: the end named in one
    # clause holds for the sending in a later one of the same sentence.
    pending_end = None
    for start, end in _clauses(masked):
        start += len(original[start:end]) - len(original[start:end].lstrip("，, "))
        clause, here = original[start:end], masked[start:end]
        cadence = _cadence_of(here)
        # The trigger words (半年报, 季报) are not the verb.
        words = re.sub(r"(?:半年|季|年)报(?!送)", lambda t: "□" * len(t.group(0)), here)
        send = _SEND.search(words)
        if send is None:
            if pending_end is None and (named := _end_of(here)):
                pending_end = (named, start)
            continue
        # 每季度通报一次 is the office's round; 报县政府督查室 names whom the units send to.
        if _OFFICE_ROUND.search(here[:send.start()]) and not _UNITS_SEND.search(here):
            continue
        dates = _dates(here)
        if _OFFICE_SUBJECT.search(here[:dates[0].start() if dates else send.start()]):
            continue
        ends = _end_of(here)
        if ends is None and pending_end is not None:
            ends, start = pending_end
            clause, here = original[start:end], masked[start:end]
            send = _SEND.search(here, len(here) - len(words) + send.start())
        pending_end = None
        # A dated report (各阶段结束后于4月5日前报送) stays a one-off.
        if ends and not [d for d in _dates(here) if d.start() < send.start()]:
            if not _office_speaks(here[: send.start()]):
                found.append(_end_rule(clause, here, ends, send.start(), ctx, phases))
            continue
        if cadence == "yearly" and not _EVERY_YEAR.search(here) and any(d.group("year") for d in dates):
            cadence = None
        if cadence:
            rule = _periodic_rule(cadence, clause, here, dates)
            if rule is None:
                ctx.warnings.append(f"报送要求“{clause}”的报送月份无法识别，未导入，请人工安排。")
                continue
            rule.name = _name(clause, here, dates[0].start() if dates else None, send.start())
            found.append(rule)
            continue
        # A deadline for a report, not for work: the verb comes after the date.
        dates = [d for d in dates if d.start() < send.start()]
        if dates:
            found += _once_rules(clause, here, dates, send.start(), ctx, phases, issued_on)
    return found
