"""`manage.py import_plan FILE --dry-run --json` on the sample plan and on
plans of other shapes (imports/tests/plans/)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PLANS = Path(__file__).parent / "plans"
SAMPLE = Path("/work/shared/samples/guancheng-2016-civilised-enforcement-plan.txt")
SAMPLE_COPY = PLANS / "guancheng-2016-sample.txt"


def run(path, *args):
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def by_code(tasks):
    found = {}
    for task in tasks:
        found[task["code"]] = task
        found.update(by_code(task["children"]))
    return found


# ------------------------------------------------------------- the sample


@pytest.fixture
def sample():
    path = SAMPLE if SAMPLE.exists() else SAMPLE_COPY
    return run(path)


def test_sample_header(sample):
    assert sample["title"] == "全区卫生系统文明执法素养提升三年行动方案（2016—2018）"
    assert sample["document_number"] == "管卫〔2016〕41号"
    assert sample["issued_on"] == "2016-04-28"


def test_sample_phases(sample):
    # phases[].description (主要工作) is asserted in test_fields.py.
    assert [{k: v for k, v in phase.items() if k != "description"} for phase in sample["phases"]] == [
        {"name": "教育治理年", "goal": "实现文明执法到位", "start": "2016-01-01", "end": "2016-12-31"},
        {"name": "巩固提升年", "goal": "实现文明执法到人", "start": "2017-01-01", "end": "2017-12-31"},
        {"name": "规范深化年", "goal": "实现文明到心", "start": "2018-01-01", "end": "2018-12-31"},
    ]


def test_sample_tasks(sample):
    tasks = sample["tasks"]
    assert [t["code"] for t in tasks] == ["1", "2", "3", "4", "5", "6"]
    assert tasks[0]["title"] == "加强社会主义法治理念教育"
    assert tasks[5]["title"] == "积极开展执法人员志愿服务活动"
    for task in tasks:
        assert task["lead_units"] == ["区卫生监督所"]
        assert task["co_units"] == []
        assert task["children"] == []
    # 四、工作要求's numbered items are not tasks.
    assert "组织领导" not in [t["title"] for t in tasks]


def test_sample_reporting_rules(sample):
    weekly, monthly = sample["reporting_rules"]
    assert weekly["cadence"] == "weekly"
    assert (weekly["weekday"], weekly["day_of_month"], weekly["time"]) == (2, None, "17:30")
    assert weekly["text"].startswith("每周2下午下班前")
    assert monthly["cadence"] == "monthly"
    assert (monthly["weekday"], monthly["day_of_month"], monthly["time"]) == (None, 19, None)


def test_sample_leading_group(sample):
    group = [(m["position"], m["name"]) for m in sample["leading_group"]]
    assert ("组长", "张彦军") in group
    assert ("办公室主任", "李蓉") in group
    assert sample["warnings"] == []


def test_sample_copy_matches_shared_sample():
    # The fixture copy keeps the suite runnable where /work/shared is absent.
    if SAMPLE.exists():
        assert SAMPLE_COPY.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


# --------------------------------------------- 创建文明城区: 一、/（一）/1.


@pytest.fixture
def wenming():
    return run(PLANS / "wenming-chengshi-2019.txt")


def test_wenming_header_ignores_cited_number(wenming):
    assert wenming["title"] == "新华区创建全国文明城区工作实施方案"
    # 文明委〔2018〕12号 is cited inside a sentence: not the document's own.
    assert wenming["document_number"] == "新文明委〔2019〕7号"
    assert wenming["issued_on"] == "2019-03-01"


def test_wenming_task_tree(wenming):
    tasks = by_code(wenming["tasks"])
    assert [t["code"] for t in wenming["tasks"]] == ["1", "2", "3"]
    assert tasks["1"]["title"] == "提升市民文明素质"
    assert [c["code"] for c in tasks["1"]["children"]] == ["1.1", "1.2", "1.3"]
    # The 责任单位 line after the three sub-items belongs to their parent; 各街道办事处
    # is every 街道, not a unit: it is named in a warning instead.
    assert tasks["1"]["lead_units"] == ["区委宣传部", "区文明办"]
    assert tasks["1.3"]["lead_units"] == []
    # （牵头单位：A；配合单位：B、C、各有关单位）
    assert tasks["2"]["lead_units"] == ["区城管局"]
    assert tasks["2"]["co_units"] == ["区住建局", "区交通局"]
    # (A牵头，B配合) closing a sub-item.
    assert tasks["2.1"]["lead_units"] == ["区城管局"]
    assert tasks["2.1"]["co_units"] == []
    assert "分工中的“各街道办事处”是泛指，没有作为单位导入（涉及任务 1、2.1）" in "\n".join(wenming["warnings"])
    assert tasks["2.2"]["lead_units"] == ["区交通局"]
    assert tasks["2.2"]["co_units"] == ["区公安分局"]
    # Half-width (三) and 1、: a 责任单位 line right after each sub-item is its own.
    assert tasks["3"]["title"] == "加强未成年人思想道德建设"
    assert tasks["3"]["lead_units"] == []
    assert tasks["3.1"]["lead_units"] == ["区教育局"]
    assert tasks["3.2"]["lead_units"] == ["区卫健委", "区教育局"]
    assert not [w for w in wenming["warnings"] if "责任单位" in w]


def test_wenming_phases_rules_group(wenming):
    assert [(p["name"], p["start"], p["end"]) for p in wenming["phases"]] == [
        ("启动阶段", "2019-03-06", "2019-03-20"),
        ("集中整治阶段", "2019-03-21", "2019-10-31"),
        ("总结迎检阶段", "2019-11-01", "2019-12-31"),
    ]
    rules = [(r["cadence"], r["weekday"], r["day_of_month"], r["time"]) for r in wenming["reporting_rules"]]
    assert rules == [("weekly", 5, None, "10:00"), ("monthly", None, 25, None)]
    group = [(m["position"], m["name"]) for m in wenming["leading_group"]]
    assert group[:3] == [("组长", "周建国"), ("副组长", "刘洋"), ("副组长", "陈敏")]
    assert ("办公室主任", "王芳") in group
    assert wenming["targets"] == [{"name": "支持率", "value": 95, "unit": "%", "comparison": "gte"}]


# ------------------------------------ 专项行动 copied from a web page


def test_web_copy_without_year_leaves_dates_empty():
    data = run(PLANS / "zhuanxiang-web-copy.txt")
    assert data["title"] == "关于开展食品安全专项整治行动的实施方案"
    assert data["document_number"] == "城市监〔20XX〕5号"
    assert data["issued_on"] is None
    assert [p["name"] for p in data["phases"]] == ["动员部署阶段", "集中整治阶段", "总结验收阶段"]
    assert all(p["start"] is None and p["end"] is None for p in data["phases"])
    warnings = "\n".join(data["warnings"])
    assert "20XX" in warnings and "遮盖" in warnings
    assert "没有写年份" in warnings and "--year" in warnings


def test_web_copy_with_year():
    data = run(PLANS / "zhuanxiang-web-copy.txt", "--year", "2023")
    assert [(p["start"], p["end"]) for p in data["phases"]] == [
        ("2023-03-06", "2023-03-20"),
        ("2023-03-21", "2023-05-20"),
        ("2023-05-21", "2023-06-05"),
    ]
    # A masked year printed in the document stays for a person to fill in.
    assert data["issued_on"] is None
    assert not [w for w in data["warnings"] if "没有写年份" in w]


def test_web_copy_furniture_and_broken_lines():
    data = run(PLANS / "zhuanxiang-web-copy.txt", "--year", "2023")
    tasks = data["tasks"]
    assert [t["title"] for t in tasks] == ["校园及周边食品安全", "农村集体聚餐", "网络订餐"]
    assert tasks[0]["lead_units"] == ["县市场监管局", "县教育局"]
    # The bracket was broken over two lines and a page number sat in between.
    assert tasks[1]["lead_units"] == ["县市场监管局"]
    assert tasks[1]["co_units"] == []
    assert any("“各乡镇人民政府”是泛指" in w for w in data["warnings"])
    assert tasks[2]["lead_units"] == ["县市场监管局"]
    assert data["targets"] == [
        {"name": "食品抽检合格率", "value": 98, "unit": "%", "comparison": "gte"},
        {"name": "群众投诉办结率", "value": 100, "unit": "%", "comparison": "gte"},
        {"name": "重大食品安全事故", "value": 0, "unit": "起", "comparison": "lte"},
    ]
    rules = [(r["cadence"], r["weekday"], r["day_of_month"], r["time"]) for r in data["reporting_rules"]]
    assert rules == [("weekly", 1, None, "12:00"), ("monthly", None, 5, None), ("once", None, 10, None)]
    # 6月10日前报送总结: a one-off report in the year given.
    assert (data["reporting_rules"][2]["due_on"], data["reporting_rules"][2]["name"]) == ("2023-06-10", "总结")
    group = [(m["position"], m["name"]) for m in data["leading_group"]]
    assert group == [("组长", "赵立新"), ("副组长", "孙浩"), ("办公室主任", "孙浩")]
    dump = json.dumps(data, ensure_ascii=False)
    for furniture in ("打印", "版权所有", "第1页", "首页"):
        assert furniture not in dump


# ------------------------- 健康城市: targets, 〔责任单位〕, phases by year


@pytest.fixture
def jiankang():
    return run(PLANS / "jiankang-chengshi-2021.txt")


def test_health_targets(jiankang):
    targets = {t["name"]: t for t in jiankang["targets"]}
    assert targets["群众满意度"] == {"name": "群众满意度", "value": 90, "unit": "%", "comparison": "gte"}
    assert targets["孕产妇系统管理率"]["value"] == 95
    assert targets["孕产妇系统管理率"]["comparison"] == "gte"
    assert targets["重点传染病发病率"]["comparison"] == "lte"
    assert targets["重点传染病发病率"]["value"] == 5


def test_health_units_in_closing_brackets(jiankang):
    tasks = by_code(jiankang["tasks"])
    assert tasks["1"]["title"] == "实施健康环境改善工程"
    # 按职责分工负责 is not a unit name.
    assert tasks["1"]["lead_units"] == ["区卫健委", "区城管局", "区市场监管局"]
    assert tasks["2"]["lead_units"] == []
    assert tasks["2.1"]["lead_units"] == ["区卫健委"]
    # （下同） is dropped.
    assert tasks["2.2"]["lead_units"] == ["区卫健委", "区医保局"]
    # 各有关单位 is not a unit name.
    assert tasks["3"]["lead_units"] == ["区文体局"]


def test_health_header_phases_group(jiankang):
    assert jiankang["title"] == "东湖区健康城市建设三年行动计划（2021—2023年）"
    assert jiankang["document_number"] == "东卫健〔2021〕18号"
    assert [(p["name"], p["start"], p["end"]) for p in jiankang["phases"]] == [
        ("基础建设年", "2021-01-01", "2021-12-31"),
        ("全面推进年", "2022-01-01", "2022-12-31"),
        ("巩固提升年", "2023-01-01", "2023-12-31"),
    ]
    group = [(m["position"], m["name"]) for m in jiankang["leading_group"]]
    assert group == [("组长", "李卫东"), ("副组长", "黄丽"), ("副组长", "何强"), ("办公室主任", "何强")]
    assert jiankang["reporting_rules"][0]["day_of_month"] == 10


def test_gb18030_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes((PLANS / "jiankang-chengshi-2021.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert run(path)["title"] == "东湖区健康城市建设三年行动计划（2021—2023年）"


# ---------------------------------------------------------------- .docx


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    for line in [
        "北城区城市管理局",
        "北城管〔2022〕9 号",
        "北城区市容环境集中整治百日行动方案",
        "为改善市容环境，制定本方案。",
        "一、工作措施",
        "（一）整治背街小巷环境卫生。（区城管局牵头，区住建局、各街道配合）",
        "（二）规范户外广告设置，2022年10月底前完成整改。",
        "责任单位：区城管局",
        "二、组织领导",
        "成立领导小组，由副区长马骏任组长。",
        "各街道每周三17:00前报送整治进展。",
        "2022 年 7 月 1 日",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)

    data = run(path)
    assert data["title"] == "北城区市容环境集中整治百日行动方案"
    assert data["document_number"] == "北城管〔2022〕9号"
    assert data["issued_on"] == "2022-07-01"
    assert [(t["title"], t["lead_units"], t["co_units"]) for t in data["tasks"]] == [
        ("整治背街小巷环境卫生", ["区城管局"], ["区住建局"]),
        ("规范户外广告设置，2022年10月底前完成整改", ["区城管局"], []),
    ]
    assert data["leading_group"] == [{"position": "组长", "name": "马骏"}]
    rule = data["reporting_rules"][0]
    assert (rule["weekday"], rule["time"]) == (3, "17:00")


# ------------------------------------------------------------ bad input


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(tmp_path / "nope.txt")


def test_unknown_extension(tmp_path):
    path = tmp_path / "plan.xls"
    path.write_text("x")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        run(path)


def test_empty_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有文字内容"):
        run(path)


def test_text_summary_without_json():
    out = StringIO()
    call_command("import_plan", str(PLANS / "wenming-chengshi-2019.txt"), "--dry-run", stdout=out)
    assert "新文明委〔2019〕7号" in out.getvalue()
    assert "未写入" in out.getvalue()


# ------------------- masked 201*, four levels, list-form leading group


def test_masked_year_plan():
    data = run(PLANS / "qingfeng-masked-year.txt", "--year", "2017")
    assert data["title"] == "XX县“清风行动”实施方案（201*年）"
    assert data["issued_on"] == "2017-02-10"  # 二〇一七年二月十日
    # The year given stands for the masked 201*, once, with one warning saying so.
    assert [(p["name"], p["start"], p["end"]) for p in data["phases"]] == [
        ("宣传发动", "2017-03-01", "2017-04-30"),
        ("集中整治", "2017-05-01", "2017-09-30"),
        ("总结提升", "2017-10-01", "2017-12-31"),
    ]
    assert [w for w in data["warnings"] if "201*" in w] == [
        "方案中被遮盖的年份（201*）已按所填年份 2017 年补全，跨年的日期顺延到下一年，请核对。"
    ]
    # A year the mask does not fit is not taken: the dates stay for the clerk.
    other = run(PLANS / "qingfeng-masked-year.txt", "--year", "2025")
    assert [p["start"] for p in other["phases"]] == [None, None, None]
    assert sum("与所填年份 2025 不符" in w for w in other["warnings"]) == 3
    tasks = by_code(data["tasks"])
    assert [c["code"] for c in tasks["1.1"]["children"]] == ["1.1.1", "1.1.2"]
    # A bracket on its own line after （1）（2） belongs to their parent 1．
    assert tasks["1.1"]["lead_units"] == ["县纪委监委"]
    assert tasks["1.1"]["co_units"] == ["县委组织部", "县委宣传部"]
    assert tasks["1.1.2"]["lead_units"] == []
    assert tasks["1.2"]["lead_units"] == ["县委宣传部"]
    assert tasks["2"]["lead_units"] == ["县纪委监委"]
    group = [(m["position"], m["name"]) for m in data["leading_group"]]
    assert group == [("组长", "王强"), ("副组长", "李明"), ("副组长", "张华"), ("办公室主任", "陈晓")]
    assert {"name": "每人每年参加培训", "value": 3, "unit": "次", "comparison": "gte"} in data["targets"]
    weekly, monthly = data["reporting_rules"]
    assert (weekly["weekday"], weekly["time"]) == (5, "15:00")
    # 每月月底前: the last day of the month, which day_of_month 31 means.
    assert (monthly["cadence"], monthly["day_of_month"]) == ("monthly", 31)


def test_unit_label_inside_the_items_paragraph(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "关于印发《南区控烟专项行动方案》的通知\n各单位：\n现印发给你们。\n"
        "一、工作措施\n1、开展宣传。责任单位：区卫健委、区教育局\n",
        encoding="utf-8",
    )
    data = run(path)
    assert data["title"] == "南区控烟专项行动方案"
    assert data["tasks"] == [{
        "code": "1", "title": "开展宣传", "lead_units": ["区卫健委", "区教育局"],
        "co_units": [], "children": [], "due_on": None,
    }]
