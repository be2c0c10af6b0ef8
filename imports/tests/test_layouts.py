"""Layouts the first parser did not read: 一是…二是… items, a 任务分工表
(in text and in a Word table), quarterly and one-off deadlines as rules, and
masked years; each on plans written for these tests, plus snippets."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from imports.parser import normalise, parse_plan

from .files import PLANS, docx_bytes, pdf_bytes, scanned_pdf_bytes


def run(path, *args):
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def flat(tasks):
    for task in tasks:
        yield task
        yield from flat(task["children"])


def summary(tasks):
    return {t["code"]: (t["title"], t["lead_units"], t["co_units"]) for t in flat(tasks)}


# ------------------------------- 大气攻坚: 一是…二是…, a tab-separated table


@pytest.fixture
def daqi():
    return run(PLANS / "daqi-gongjian-2024.txt")


def test_enumerations_become_sub_tasks(daqi):
    tasks = summary(daqi["tasks"])
    assert [t["code"] for t in daqi["tasks"]] == ["1", "2", "3", "4"]
    assert tasks["1.1"] == ("开展重点行业超低排放改造", ["市大气处"], [])
    assert tasks["1.2"] == ("推进挥发性有机物综合治理", ["市大气处"], [])
    assert tasks["1.3"] == ("严格执行重污染天气错峰生产", [], [])
    assert [tasks[c][0] for c in ("2.1", "2.2")] == ["加强柴油货车路检路查", "加快推广新能源车辆"]
    # One item per line, each closing with ；
    assert [tasks[c][0] for c in ("3.1", "3.2", "3.3")] == [
        "落实施工工地“六个百分之百”要求",
        "加强道路保洁，提高机械化清扫率",
        "严格渣土车辆运输管理",
    ]


def test_the_task_table_gives_lead_and_co_units(daqi):
    tasks = summary(daqi["tasks"])
    # 各区县分局 is every branch, not a unit: named in a warning.
    assert tasks["1"] == ("强化工业源治理", ["市大气处"], [])
    # The text's 责任单位 line named two units; the table says which one leads.
    assert tasks["2"] == ("加强移动源管控", ["市机动车排污监控中心"], ["市交通运输局", "市公安局交警支队"])
    assert tasks["3"] == ("深化扬尘污染治理", ["市住建局"], ["市城管局"])
    assert any("“各区县分局”是泛指" in w for w in daqi["warnings"])
    assert tasks["4"] == ("加强执法监管", ["市生态环境执法支队"], [])
    assert not [w for w in daqi["warnings"] if "责任单位" in w]
    # The table's rows are not tasks, phases or paragraphs of their own.
    assert "序号" not in json.dumps(daqi["tasks"], ensure_ascii=False)


def test_quarterly_and_one_off_deadlines_become_rules(daqi):
    rules = [
        (r["cadence"], r["day_of_month"], r["month_offset"], r["due_on"], r["name"]) for r in daqi["reporting_rules"]
    ]
    assert rules == [
        ("monthly", 5, 0, None, None),
        # 每季度末月10日前: the quarter's last month.
        ("quarterly", 10, 0, None, "季度工作进展"),
        # 于2024年12月10日前报送年度工作总结: the year is printed, so it is sent once.
        ("once", 10, 0, "2024-12-10", "年度工作总结"),
    ]
    warnings = "\n".join(daqi["warnings"])
    assert "季度" not in warnings and "一次性" not in warnings


def test_daqi_header_phases_group_targets(daqi):
    assert (daqi["title"], daqi["document_number"], daqi["issued_on"]) == (
        "某某市大气污染防治攻坚行动方案", "某环〔2024〕15号", "2024-03-01")
    assert [(p["name"], p["start"], p["end"]) for p in daqi["phases"]] == [
        ("部署阶段", "2024-03-01", "2024-03-31"),
        ("攻坚阶段", "2024-04-01", "2024-11-30"),
        ("总结阶段", "2024-12-01", "2024-12-31"),
    ]
    assert [(m["position"], m["name"]) for m in daqi["leading_group"]] == [
        ("组长", "郑海涛"), ("副组长", "林峰"), ("办公室主任", "林峰")]
    assert {"name": "空气质量优良天数比例", "value": 80, "unit": "%", "comparison": "gte"} in daqi["targets"]


# -------------------- 卫生县城: 20XX everywhere, units only in a "|" table


@pytest.fixture
def weisheng():
    return run(PLANS / "weisheng-xiancheng-masked.txt", "--year", "2025")


def test_masked_years_take_the_year_given_phases_and_one_off_alike(weisheng):
    assert [(p["name"], p["start"], p["end"]) for p in weisheng["phases"]] == [
        ("宣传发动", "2025-03-01", "2025-04-30"), ("全面整治", "2025-05-01", "2025-10-31"),
        ("迎检验收", "2025-11-01", "2025-12-31")]
    assert any("被遮盖的年份（20XX）已按所填年份 2025 年补全" in w for w in weisheng["warnings"])
    rules = [(r["cadence"], r["day_of_month"], r["month_offset"], r["due_on"]) for r in weisheng["reporting_rules"]]
    assert rules == [("weekly", None, 0, None), ("quarterly", 25, 0, None), ("once", 20, 0, "2025-12-20")]


def test_masked_years_without_a_year_given_stay_empty_with_warnings():
    data = run(PLANS / "weisheng-xiancheng-masked.txt")
    assert [(p["start"], p["end"]) for p in data["phases"]] == [(None, None)] * 3
    warnings = "\n".join(data["warnings"])
    assert warnings.count("年份被遮盖（20XX）") == 3
    assert "20XX年12月20日" in warnings and "请人工填写截止日期" in warnings
    rules = [(r["cadence"], r["due_on"]) for r in data["reporting_rules"]]
    assert rules == [("weekly", None), ("quarterly", None), ("once", None)]


def test_table_only_units_and_a_row_the_text_lacks(weisheng):
    tasks = summary(weisheng["tasks"])
    assert tasks["1"] == ("开展城乡环境卫生整洁行动", ["县城管局"], ["县住建局"])
    assert tasks["1.1"][1:] == ([], [])
    assert tasks["2"] == ("加强病媒生物防制", ["县卫健局"], [])
    assert tasks["3"] == ("推进健康教育进社区", ["县卫健局"], ["县教育局"])
    assert tasks["4"] == ("加强食品安全监管", ["县市场监管局"], [])
    assert any("加强食品安全监管" in w and "正文中没有找到" in w for w in weisheng["warnings"])


def test_leading_group_listed_inside_a_paragraph(weisheng):
    assert [(m["position"], m["name"]) for m in weisheng["leading_group"]] == [
        ("组长", "刘志刚"), ("副组长", "陈丽"), ("办公室主任", "周斌")]
    rule = weisheng["reporting_rules"][0]
    assert (rule["cadence"], rule["weekday"], rule["time"]) == ("weekly", 1, "12:00")


def test_the_same_plan_as_docx_with_a_word_table(tmp_path):
    text = (PLANS / "weisheng-xiancheng-masked.txt").read_text(encoding="utf-8")
    body, _, table_text = text.partition("序号 |")
    table = [[c.strip() for c in ("序号 |" + line if i == 0 else line).split("|")]
             for i, line in enumerate(table_text.strip().splitlines())]
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_bytes(body, table=table))

    data = run(path, "--year", "2025")

    assert summary(data["tasks"]) == summary(run(PLANS / "weisheng-xiancheng-masked.txt", "--year", "2025")["tasks"])


def test_the_daqi_plan_as_a_pdf_with_a_text_layer(tmp_path):
    lines = [line for line in (PLANS / "daqi-gongjian-2024.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and "\t" not in line]
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf_bytes(lines))
    data = run(path)
    assert data["document_number"] == "某环〔2024〕15号"
    assert len(data["phases"]) == 3 and len(data["tasks"]) == 4


# ----------------------------------------------------------- snippets


def test_enumeration_split_needs_a_counted_run():
    assert normalise("（一）加强宣传。一是开展宣传周；二是发放资料。") == [
        "（一）加强宣传。", "一是开展宣传周；", "二是发放资料。"]
    # A lone 一是 (or one out of order) is a phrase, not a list.
    assert normalise("坚持两手抓，一是一，二不是二。") == ["坚持两手抓，一是一，二不是二。"]
    assert normalise("三是加强督查，一是要求。") == ["三是加强督查，一是要求。"]


def test_an_enumeration_of_whole_sentences_explains_its_item_and_is_not_split():
    para = (
        "（二）加强执法。一是组织城管、公安、市场监管等部门联合开展夜间巡查，对占道经营、乱摆乱放、违规广告等问题发现一起查处一起；"
        "二是建立问题台账并每周通报整改进展，对整改不力、问题反弹的责任单位进行约谈，确保各类问题按期清零。"
    )
    assert normalise(para) == [para]
    tasks = summary(parse_plan(f"二、主要任务\n{para}（区城管局牵头）\n").to_dict()["tasks"])
    assert tasks == {"1": ("加强执法", ["区城管局"], [])}


def test_a_unit_bracket_closing_the_enumeration_belongs_to_the_item():
    text = (
        "二、主要任务\n（一）整治市容。一是清理占道经营；二是拆除违章广告。（责任单位：区城管局、区市场监管局）\n"
        "（二）美化环境。一是增加绿地（区园林局牵头）；二是改造游园（区园林局负责）。\n"
    )
    tasks = summary(parse_plan(text).to_dict()["tasks"])
    assert tasks["1"] == ("整治市容", ["区城管局", "区市场监管局"], [])
    assert tasks["1.1"][1] == [] and tasks["1.2"][1] == []
    assert tasks["2.1"] == ("增加绿地", ["区园林局"], [])


def test_a_table_with_one_unit_column_and_a_plan_with_no_task_heading():
    text = (
        "南区控烟工作安排\n管理办法由区卫健委负责解释。\n"
        "序号\t工作内容\t责任单位\n1\t公共场所控烟巡查\t区卫健委（牵头）、区市场监管局\n2\t控烟宣传\t区委宣传部\n"
    )
    data = parse_plan(text).to_dict()
    assert summary(data["tasks"]) == {
        "1": ("公共场所控烟巡查", ["区卫健委"], ["区市场监管局"]),
        "2": ("控烟宣传", ["区委宣传部"], []),
    }
    assert not [w for w in data["warnings"] if "任务部分" in w]


def test_monthly_and_weekly_words_are_not_taken_as_one_off():
    data = parse_plan("一、主要任务\n1、宣传。责任单位：A局\n每月10日前报送小结，每周五前报送信息。").to_dict()
    assert not [w for w in data["warnings"] if "一次性" in w]


# ------------------------------------------------- bad files, command


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", scanned_pdf_bytes(), "没有文字层"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为 .docx"),
        ("binary.txt", bytes(range(256)), "不是文本文件"),
        ("notes.txt", "今天开会。明天放假。".encode(), "不是实施方案"),
        ("empty.txt", b"", "空的"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message) as caught:
        run(path)
    assert "\n" not in str(caught.value)


def test_a_file_over_the_limit(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 100
    path = tmp_path / "plan.txt"
    path.write_text("一、主要任务\n" * 50, encoding="utf-8")
    with pytest.raises(CommandError, match="文件太大"):
        run(path)


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    from django.conf import settings

    done = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(path), "--dry-run"],
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "另存为 .docx" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_office_contact_in_another_layout():
    from imports.parser.metadata import extract_contact

    paras = normalise("（三）办公室联系人：王 芳，联系电话：0371－6621 3720，电子邮箱：wf@example.gov.cn。")
    assert extract_contact(paras) == {"person": "王芳", "phone": "0371-6621-3720", "email": "wf@example.gov.cn"}
