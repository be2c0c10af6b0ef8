"""Every indicator speaks in the year-end report, pattern or not."""

from decimal import Decimal

import pytest

from documents.wording import indicator_sentence
from tasks.models import Indicator

SUM, AVG, MAX, LATEST = (Indicator.Aggregation.SUM, Indicator.Aggregation.AVERAGE, Indicator.Aggregation.MAX,
                         Indicator.Aggregation.LATEST)
AT_LEAST, AT_MOST, EQUAL = Indicator.Comparison.AT_LEAST, Indicator.Comparison.AT_MOST, Indicator.Comparison.EQUAL


def indicator(name, unit="", aggregation=SUM, target=None, comparison=AT_LEAST, pattern=""):
    return Indicator(
        name=name,
        measure_unit=unit,
        aggregation=aggregation,
        target_value=None if target is None else Decimal(str(target)),
        comparison=comparison,
        sentence_pattern=pattern,
    )


# (name, unit, aggregation, target, comparison, value, sentence): names from
# the plan corpus (imports/tests/corpus) and the demo campaigns.
TABLE = [
    ("开展普法宣传活动", "场", SUM, None, AT_LEAST, "22", "开展普法宣传活动22场"),
    ("开展普法宣传活动（场）", "", SUM, None, AT_LEAST, "22.00", "开展普法宣传活动22场"),
    ("开展普法宣传活动", "场", SUM, 20, AT_LEAST, "22", "开展普法宣传活动22场，达到20场的目标"),
    ("双随机抽查任务完成率", "%", LATEST, 98, AT_LEAST, "98",
     "截至年底，双随机抽查任务完成率98%，达到98%的目标"),
    ("双随机抽查任务完成率", "%", SUM, 98, AT_LEAST, "97.5", "双随机抽查任务完成率97.5%，未达到98%的目标"),
    ("回访满意率", "%", AVG, 95, AT_LEAST, "96.25", "回访满意率平均为96.25%，达到95%的目标"),
    ("行政执法人员持证执法率", "%", LATEST, 100, AT_LEAST, "100", "截至年底，行政执法人员持证执法率100%，达到100%的目标"),
    ("行政执法人员持证执法率", "", LATEST, None, AT_LEAST, "100", "截至年底，行政执法人员持证执法率100%"),
    ("组织专家专题宣讲", "场", SUM, None, AT_LEAST, "5", "组织专家专题宣讲5场"),
    ("发放宣传资料份数", "份", SUM, None, AT_LEAST, "1000", "发放宣传资料1000份"),
    ("培训医务人员人次", "人次", SUM, None, AT_LEAST, "320", "培训医务人员320人次"),
    ("罚款金额", "元", SUM, None, AT_LEAST, "53364", "罚款金额为53364元"),
    ("“六进”受益机构", "家", SUM, None, AT_LEAST, "68", "“六进”受益机构68家"),
    ("指导重点场所落实防控措施", "家", MAX, None, AT_LEAST, "86", "指导重点场所落实防控措施最多达86家"),
    ("在岗执法人员", "人", MAX, None, AT_LEAST, "42", "在岗执法人员最高为42人"),
    ("开展行政检查", "件", AVG, None, AT_LEAST, "12.5", "平均开展行政检查12.5件"),
    ("筹集创业引导资金", "万元", SUM, 3000, AT_LEAST, "3200", "筹集创业引导资金3200万元，达到3000万元的目标"),
    ("收集创业项目", "个", SUM, 200, AT_LEAST, "180", "收集创业项目180个，未达到200个的目标"),
    ("培育创业孵化基地", "个", LATEST, 6, AT_LEAST, "6", "截至年底，培育创业孵化基地6个，达到6个的目标"),
    ("地区生产总值增长", "%", LATEST, 6, AT_LEAST, "6.5", "截至年底，地区生产总值增长6.5%，达到6%的目标"),
    ("健康家庭创建比例", "%", SUM, 30, AT_LEAST, "31", "健康家庭创建比例为31%，达到30%的目标"),
    ("创建健康社区/健康村", "个", SUM, 152, AT_LEAST, "152", "创建健康社区/健康村152个，达到152个的目标"),
    ("开工老旧小区改造项目", "个", SUM, 50, AT_LEAST, "50", "开工老旧小区改造项目50个，达到50个的目标"),
    ("生产安全事故", "起", SUM, 3, AT_MOST, "2", "生产安全事故2起，控制在3起以内的目标已实现"),
    ("生产安全事故", "起", SUM, 3, AT_MOST, "4", "生产安全事故4起，控制在3起以内的目标未实现"),
    ("是否建立工作台账", "", LATEST, None, AT_LEAST, "1", "已建立工作台账"),
    ("是否建立工作台账？", "", LATEST, None, AT_LEAST, "0", "尚未建立工作台账"),
    ("新增城市绿地面积", "平方米", SUM, None, AT_LEAST, "12000.50", "新增城市绿地面积12000.5平方米"),
    ("公共场所控烟覆盖人数", "人", SUM, None, AT_LEAST, "980", "公共场所控烟覆盖人数为980人"),
    ("处置突发公共卫生事件", "起", SUM, None, AT_LEAST, "1", "处置突发公共卫生事件1起"),
    ("法制审核案件", "件", SUM, None, AT_LEAST, "54", "法制审核案件54件"),
    ("居民健康素养水平", "%", LATEST, 25, EQUAL, "25", "截至年底，居民健康素养水平为25%，达到25%的目标"),
]


@pytest.mark.parametrize(("name", "unit", "aggregation", "target", "comparison", "value", "expected"), TABLE)
def test_default_sentence(name, unit, aggregation, target, comparison, value, expected):
    subject = indicator(name, unit, aggregation, target, comparison)
    assert indicator_sentence(subject, Decimal(value)) == expected


def test_the_table_is_large_enough():
    assert len({row[0] for row in TABLE}) >= 20


def test_the_office_pattern_wins():
    subject = indicator("开展普法宣传活动", "场", pattern="线下开展“普法进社区”活动{value}场", target=20)
    assert indicator_sentence(subject, Decimal("22.00")) == "线下开展“普法进社区”活动22场"


def test_nothing_reported_says_nothing():
    assert indicator_sentence(indicator("开展普法宣传活动", "场"), None) == ""
