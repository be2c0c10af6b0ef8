"""Quarterly, half-yearly, yearly and one-off reporting rules read from short
passages as plans write them, and the deadlines that are no reporting rule."""

import datetime as dt

import pytest

from imports.parser import parse_plan
from imports.parser.dates import DateContext
from imports.parser.phases import Phase
from imports.parser.rules import extract_reporting_rules

PHASES = [
    Phase("动员部署阶段", None, dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    Phase("集中整治阶段", None, dt.date(2025, 4, 1), dt.date(2025, 10, 31)),
]


def read(text, year=2025, phases=(), issued_on=None):
    ctx = DateContext(year, [])
    return extract_reporting_rules([text], ctx, phases, issued_on), ctx.warnings


def rules(text, **kwargs):
    """(cadence, day_of_month, month_offset, due_on) of each rule, weekly and monthly ones left out."""
    found, _ = read(text, **kwargs)
    return [
        (r.cadence, r.day_of_month, r.month_offset, r.due_on) for r in found if r.cadence not in ("weekly", "monthly")
    ]


def names(text, **kwargs):
    found, _ = read(text, **kwargs)
    return [r.name for r in found if r.cadence not in ("weekly", "monthly")]


# ------------------------------------------------------------------ quarterly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各单位每季度末月25日前报送工作小结。", ("quarterly", 25, 0, None)),
        ("每季度结束后10日内报送上季度工作情况。", ("quarterly", 10, 1, None)),
        ("每季度首月10日前报送上季度情况。", ("quarterly", 10, 1, None)),
        ("各成员单位每个季度报送一次工作开展情况，于季度结束后5个工作日内报送。", ("quarterly", 5, 1, None)),
        ("各单位按季度报送工作进展，季末前报送。", ("quarterly", 31, 0, None)),
        ("每季度报送一次工作开展情况。", ("quarterly", None, 0, None)),
        ("分别于4月、7月、10月、次年1月10日前报送每季度工作情况。", ("quarterly", 10, 1, None)),
    ],
)
def test_quarterly(text, expected):
    assert rules(text) == [expected]


def test_a_quarterly_rule_beside_a_monthly_one_keeps_its_own_day():
    found, _ = read("每月10日前报送上月工作情况，每季度首月10日前报送上季度情况。")
    assert [(r.cadence, r.day_of_month, r.month_offset) for r in found] == [("monthly", 10, 0), ("quarterly", 10, 1)]


def test_the_offices_quarterly_round_is_no_rule():
    assert rules("每季评选优秀个人，每季度通报一次各单位工作进展。") == []
    assert rules("领导小组办公室每季度对各单位工作进行通报。") == []
    assert rules("市文明办将于每季度末对各单位进行测评并通报结果。") == []


def test_units_that_report_to_someone():
    assert rules("各单位每季度向县委汇报一次工作进展。") == [("quarterly", None, 0, None)]
    assert rules("各单位每半年向领导小组报告一次工作进展。") == [("half_yearly", None, 0, None)]


def test_what_is_sent_may_follow_a_comma():
    assert names("各单位要在每季度结束后10日内，将上季度工作情况报送市创建办。") == ["上季度工作情况"]
    assert rules("请各地于2025年6月30日前，将自查报告报送省厅。") == [("once", 30, 0, "2025-06-30")]


# ---------------------------------------------------------------- half-yearly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每半年报送一次工作总结，分别于6月、12月25日前报送。", ("half_yearly", 25, 0, None)),
        ("每半年报送一次工作总结，分别于7月、1月10日前报送。", ("half_yearly", 10, 1, None)),
        ("半年报于7月15日前报送市创建办。", ("half_yearly", 15, 1, None)),
        ("上半年和全年工作总结分别于6月底和12月底前报送市创建办。", ("half_yearly", 31, 0, None)),
        ("上半年和全年工作总结分别于7月10日和次年1月10日前报送市创建办。", ("half_yearly", 10, 1, None)),
    ],
)
def test_half_yearly(text, expected):
    assert rules(text) == [expected]


# --------------------------------------------------------------------- yearly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各单位每年12月20日前报送年度工作总结。", ("yearly", 20, 0, None)),
        ("各单位于次年1月15日前报送年度工作总结。", ("yearly", 15, 1, None)),
        ("各单位年底前报送全年工作总结。", ("yearly", 31, 0, None)),
        ("年度总结于12月10日前报送领导小组办公室。", ("yearly", 10, 0, None)),
        # The month is known, so 底 is its last day.
        ("每年11月底前报送年度总结。", ("yearly", 30, -1, None)),
        ("各地于次年3月底前报送年度评估报告。", ("yearly", 31, 3, None)),
    ],
)
def test_yearly(text, expected):
    assert rules(text) == [expected]


def test_a_year_end_summary_with_its_year_printed_is_sent_once():
    assert rules("于2024年12月10日前报送年度工作总结。") == [("once", 10, 0, "2024-12-10")]


# ------------------------------------------------------------------- one-off


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各单位于6月30日前将自查报告报送县创建办。", [("once", 30, 0, "2025-06-30")]),
        ("各单位在9月15日前上报整改情况。", [("once", 15, 0, "2025-09-15")]),
        ("请于2026年6月30日前报送半年工作总结。", [("once", 30, 0, "2026-06-30")]),
        ("各单位于6月底前报送整治情况。", [("once", 30, 0, "2025-06-30")]),
        ("各单位于10月上旬报送整治情况。", [("once", 10, 0, "2025-10-10")]),
        ("各单位于11月中旬前报送验收申请。", [("once", 20, 0, "2025-11-20")]),
        ("各单位于11月下旬前报送工作总结。", [("once", 30, 0, "2025-11-30")]),
        ("并分别于6月底和7月底报送阶段性报告。", [("once", 30, 0, "2025-06-30"), ("once", 31, 0, "2025-07-31")]),
        ("各乡镇摸底造册，5月7日前交县创卫办。", [("once", 7, 0, "2025-05-07")]),
        ("各单位联系电话于4月15日前報送市政府研究室。", [("once", 15, 0, "2025-04-15")]),
        # Work, then its report: the report is due with the work.
        ("各单位于9月底前完成整改，并将整改情况报县政府督查室。", [("once", 30, 0, "2025-09-30")]),
        ("请于十二月十日前报送专项行动工作总结。", [("once", 10, 0, "2025-12-10")]),
    ],
)
def test_one_off(text, expected):
    assert rules(text) == expected


def test_a_one_off_names_what_is_sent():
    assert names("于10月30日前将《2005年环保专项行动工作总结》和《三年工作总结》报省办公室。") == [
        "2005年环保专项行动工作总结"
    ]
    assert names("各地市要于7月15日前将检查情况和挂牌督办名单报省办公室。") == ["检查情况和挂牌督办名单"]
    assert names("并分别于6月底和7月底报送阶段性报告。") == ["阶段性报告", "阶段性报告"]
    assert names("各单位联系电话于4月15日前报送市政府研究室。") == [None]


def test_the_rule_keeps_its_clause_and_time():
    found, _ = read("各成员单位要于2025年6月30日下午5时前将工作总结报送县创建办，逾期通报。")
    assert [(r.text, r.time, r.name) for r in found] == [
        ("各成员单位要于2025年6月30日下午5时前将工作总结报送县创建办", "17:00", "工作总结")
    ]


def test_a_masked_year_leaves_the_date_to_the_clerk():
    found, warnings = read("于20XX年12月20日前报送创建工作总结。", year=2025)
    assert [(r.cadence, r.day_of_month, r.due_on) for r in found] == [("once", 20, None)]
    assert any("20XX年12月20日" in w and "请人工填写截止日期" in w for w in warnings)
    found, warnings = read("于201*年6月底前报送自查报告。", year=None)
    assert [(r.cadence, r.day_of_month, r.due_on) for r in found] == [("once", 30, None)]
    assert any("201*年6月底" in w for w in warnings)


def test_an_unknown_year_leaves_the_date_to_the_clerk():
    found, warnings = read("各单位于6月30日前报送自查报告。", year=None)
    assert [(r.cadence, r.day_of_month, r.due_on) for r in found] == [("once", 30, None)]
    assert any("没有写年份" in w and "请人工填写截止日期" in w for w in warnings)


def test_without_the_plans_year_the_issue_date_gives_it():
    found, warnings = read("各单位于4月15日前报送联系人。", year=None, issued_on=dt.date(2001, 4, 4))
    assert [r.due_on for r in found] == ["2001-04-15"]
    assert any("发文日期" in w for w in warnings)


def test_a_deadline_before_the_campaign_begins_falls_in_the_next_year():
    phases = [Phase("集中整治阶段", None, dt.date(2012, 12, 11), dt.date(2013, 1, 31))]
    assert rules("各单位于1月20日前报送整治情况。", year=2012, phases=phases) == [("once", 20, 0, "2013-01-20")]


def test_a_masked_plan_takes_the_year_the_clerk_gives():
    text = (
        "创国卫四乱整治活动实施方案\n确保201x年成功创建国家卫生县城。\n"
        "1.宣传发动阶段（5月2日至5月7日），各有关乡镇对四乱现象摸底造册，5月7日前交县创卫办。\n"
    )
    assert [r.due_on for r in parse_plan(text).reporting_rules] == [None]
    assert [r.due_on for r in parse_plan(text, year=2015).reporting_rules] == ["2015-05-07"]


# ------------------------------------------------- at the end of each phase, of the campaign


def ends(text, **kwargs):
    """(cadence, days_after, name) of each rule due after a phase or the campaign ends."""
    found, warnings = read(text, **kwargs)
    return [(r.cadence, r.days_after, r.name) for r in found], warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各单位每阶段结束后5日内报送阶段小结。", ("phase_end", 5, "阶段小结")),
        ("各单位每个阶段结束后3个工作日内上报阶段性总结。", ("phase_end", 3, "阶段性总结")),
        ("各阶段工作结束后五日内，各单位将阶段总结报送县创建办。", ("phase_end", 5, "阶段总结")),
        ("各单位于活动结束后10日内报送工作总结。", ("campaign_end", 10, "工作总结")),
        ("活动结束后十五日内，各单位将工作总结报送市领导小组办公室。", ("campaign_end", 15, "工作总结")),
        ("整治工作结束后一周内，各单位报送总结报告。", ("campaign_end", 7, "总结")),
    ],
)
def test_a_report_after_each_phase_or_the_campaign(text, expected):
    assert ends(text, phases=PHASES) == ([expected], [])


def test_a_report_after_the_end_named_in_an_earlier_clause_is_due_on_the_last_day_and_flagged():
    found, warnings = read("专项行动结束后，各单位要认真总结，形成总结报告报送市领导小组办公室。")
    assert [(r.cadence, r.days_after, r.text) for r in found] == [
        ("campaign_end", 0, "专项行动结束后，各单位要认真总结，形成总结报告报送市领导小组办公室")
    ]
    assert warnings == [f"报送要求“{found[0].text}”没有写明结束后几日内报送，已按结束当日截止导入，请核对。"]


def test_a_report_after_each_phase_of_a_plan_without_phase_dates_is_flagged():
    found, warnings = ends("各单位每阶段结束后5日内报送阶段小结。")
    assert found == [("phase_end", 5, "阶段小结")]
    assert warnings == ["报送要求“各单位每阶段结束后5日内报送阶段小结”按阶段报送，但没有识别到阶段的起止日期，请填写阶段日期或改为活动结束后报送。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A dated report stays a one-off.
        ("各阶段结束后，各单位于4月5日前报送阶段总结。", [("once", 5, 0, "2025-04-05")]),
        ("于12月10日前报送活动工作总结。", [("once", 10, 0, "2025-12-10")]),
        # The office's own duties are not the units' rules.
        ("活动结束后，领导小组办公室将对各单位进行考评并通报。", []),
        ("活动结束后10日内，领导小组办公室将总结报告报市政府。", []),
        ("活动结束后，领导小组办公室要认真总结，将总结报告报市政府。", []),
        # Work finished is no end of the campaign; a year's or a quarter's end is its cycle.
        ("各单位整改完成后，报送整改报告。", []),
        ("每季度结束后10日内报送上季度工作情况。", [("quarterly", 10, 1, None)]),
        ("年度工作结束后10日内报送年度总结。", [("yearly", 10, 1, None)]),
    ],
)
def test_what_is_no_report_after_a_phase_or_the_campaign(text, expected):
    assert rules(text, phases=PHASES) == expected


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("各单位每季度末月25日前报送工作小结。", 3),
        ("每季度结束后10日内报送上季度工作情况。", 1),
        ("每季度第二个月15日前报送工作进展。", 2),
    ],
)
def test_a_quarterly_rule_says_its_month_within_the_quarter(text, month):
    found, _ = read(text)
    assert [(r.cadence, r.month_in_quarter) for r in found] == [("quarterly", month)]


def test_the_same_deadline_twice_is_one_rule():
    assert rules("各单位于6月30日前报送自查报告；各单位务必于6月30日前报送自查报告。") == [("once", 30, 0, "2025-06-30")]


# ------------------------------------------------------------ no reporting rule


@pytest.mark.parametrize(
    "text",
    [
        # The office's own deadlines.
        "领导小组办公室将于6月底前通报各单位工作情况。",
        "领导小组办公室将于12月底前汇总上报市政府。",
        "市委将于7月10日召开总结大会。",
        "市检查组将于10月上旬对各单位进行检查。",
        "分两次进行检查验收，时间分别为2010年8月上旬和2010年12月上旬。",
        # Work to be done by a date, not a report.
        "6月底前完成背街小巷整治。",
        "12月底前全市无违建街（镇）达到全市街（镇）总数的80%。",
        "2022年10月底前编制并公布市、县两级行政许可事项清单。",
        "5月底前实现我区中介超市上线运行。",
        "6月底前形成自查报告。",
        # A cited document's date.
        "根据《关于在2025年6月30日前报送材料的通知》要求，认真组织实施。",
        # Dates inside a monthly rule are that rule's.
        "各单位每月10日前报送上月工作情况。",
        # A range is when work runs.
        "5月2日至5月7日报送摸底情况。",
    ],
)
def test_no_rule(text):
    assert rules(text) == []


def test_the_json_carries_the_new_keys():
    text = "创建工作实施方案\n各单位每季度结束后10日内报送季度工作情况。各单位于活动结束后10日内报送工作总结。\n"
    proposed = parse_plan(text, year=2025).to_dict()["reporting_rules"]
    assert [(r["cadence"], r["month_offset"], r["month_in_quarter"], r["day_of_month"], r["days_after"]) for r in proposed] == [
        ("quarterly", 1, 1, 10, 0),
        ("campaign_end", 0, None, None, 10),
    ]
