"""The parser's rules one by one, on snippets rather than whole plans."""

import datetime as dt

from imports.parser.dates import DateContext, find_date_range
from imports.parser.metadata import find_document_number
from imports.parser.numbering import detect_numbering
from imports.parser.paragraphs import normalise
from imports.parser.rules import extract_reporting_rules
from imports.parser.targets import extract_targets
from imports.parser.units import parse_unit_spec


def test_normalise_spaces_page_numbers_and_broken_lines():
    text = "从 2016 年 1 月\n\n- 2 -\n开始到 2016 年 12 月，研究\n3\n制定方案。\n第2页 共5页\n打印\n"
    assert normalise(text) == ["从2016年1月开始到2016年12月，研究制定方案。"]


def test_numbering_styles():
    assert detect_numbering("一、指导思想")[:2] == ("cn", "一")
    assert detect_numbering("（二）主要任务")[:2] == ("pcn", "二")
    assert detect_numbering("(三)主要任务")[:2] == ("pcn", "三")
    assert detect_numbering("1、加强教育")[:2] == ("num", "1")
    assert detect_numbering("2.加强教育")[:2] == ("num", "2")
    assert detect_numbering("3．加强教育")[:2] == ("num", "3")
    assert detect_numbering("（1）组织学习")[:2] == ("pnum", "1")
    assert detect_numbering("2016年1月开始") is None
    assert detect_numbering("1.5万元用于") is None


def test_unit_specs():
    assert parse_unit_spec("区委宣传部牵头，区文明办、区教育局配合") == (
        ["区委宣传部"], ["区文明办", "区教育局"])
    assert parse_unit_spec("牵头单位：区城管局；配合单位：区住建局") == (["区城管局"], ["区住建局"])
    assert parse_unit_spec("责任单位：A局、B局、C局按职责分工负责") == (["A局", "B局", "C局"], [])
    assert parse_unit_spec("责任单位：A局、各有关单位") == (["A局"], [])
    assert parse_unit_spec("责任单位：A局（牵头）、B局") == (["A局"], ["B局"])
    assert parse_unit_spec("责任单位：A局、B局", first_is_lead=True) == (["A局"], ["B局"])


def test_dates():
    ctx = DateContext(None, [])
    assert find_date_range("从2016年1月开始到2016年12月", ctx, "x") == (
        dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    assert find_date_range("2022年10月底前完成", ctx, "x") == (None, dt.date(2022, 10, 31))
    assert find_date_range("3月6日至6月5日", ctx, "x") == (None, None)
    assert ctx.warnings and "没有写年份" in ctx.warnings[0]
    ctx = DateContext(2023, [])
    assert find_date_range("3月6日至6月5日", ctx, "x") == (dt.date(2023, 3, 6), dt.date(2023, 6, 5))
    assert find_date_range("2019年2月至4月", ctx, "x") == (dt.date(2019, 2, 1), dt.date(2019, 4, 30))
    ctx = DateContext(2023, [])
    assert find_date_range("20XX年3月6日至6月5日", ctx, "x") == (None, None)
    assert "遮盖" in ctx.warnings[0]


def test_cited_number_is_not_the_documents_own():
    assert find_document_number(["根据《方案》（市卫〔2015〕3号）要求，制定本方案。"]) is None
    assert find_document_number(["管卫〔2016〕41号"]) == "管卫〔2016〕41号"
    assert find_document_number(["市卫〔2015〕3号 签发人：张三"]) == "市卫〔2015〕3号"


def test_targets():
    assert [(t.name, t.value, t.unit, t.comparison) for t in extract_targets(
        ["群众满意度达到90%以上，投诉率控制在5%以内，覆盖率不低于95%，于2016年完成。"]
    )] == [("群众满意度", 90, "%", "gte"), ("投诉率", 5, "%", "lte"), ("覆盖率", 95, "%", "gte")]


def test_reporting_rules():
    rules = extract_reporting_rules(["每周二下午下班前报送信息，每月19日前报送小结。每周开展一次巡查。"])
    assert [(r.cadence, r.weekday, r.day_of_month, r.time) for r in rules] == [
        ("weekly", 2, None, "17:30"), ("monthly", None, 19, None)]


def test_unit_spec_without_the_word_lead():
    assert parse_unit_spec("A局负责，B局、C局配合") == (["A局"], ["B局", "C局"])
    assert parse_unit_spec("区卫生监督所负责") == (["区卫生监督所"], [])


def test_unit_bracket_closes_its_paragraph():
    assert normalise("1.开展检查。（A局牵头，B局配合）\n加大宣传力度。") == [
        "1.开展检查。（A局牵头，B局配合）", "加大宣传力度。"]
