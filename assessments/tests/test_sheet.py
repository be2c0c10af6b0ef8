"""The assessment-system sheet reader on the shapes offices keep."""

import io
from decimal import Decimal

import openpyxl
import pytest

from assessments import sheet


def workbook(rows, merges=()):
    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_levels_as_columns_with_title_merged_cells_and_numbering():
    rows = [
        ["XX市创建全国文明城市测评体系（2024年版）"],
        ["注：分值为满分"],
        ["测评项目", "测评内容", "测评标准", "分值", "测评方法", "点位类型", "牵头单位", "配合单位"],
        ["A1 公共文明", "B1.1 文明交通", "1. 机动车礼让斑马线", 2, "实地考察", "主次干道、背街小巷", "市公安局", "市交通局；市城管局"],
        [None, None, "2. 行人不闯红灯", "1分", "实地考察", "主次干道", "市公安局", ""],
        [None, "B1.2 窗口服务", "（1）服务规范，公开办事流程", 1.5, "实地考察、材料审核", "政务服务大厅", "", ""],
        ["A2 诚信建设", "B2.1 诚信宣传", "开展诚信主题宣传活动", "", "材料", "", "市发改委", ""],
    ]
    proposal = sheet.read(workbook(rows, merges=["A1:H1", "A4:A6", "B4:B5"]))
    assert proposal.errors == []
    assert proposal.header_row == 3
    data = proposal.to_data()["items"]
    assert [i["name"] for i in data] == ["公共文明", "诚信建设"]
    assert [c["name"] for c in data[0]["contents"]] == ["文明交通", "窗口服务"]
    first, second = data[0]["contents"][0]["standards"]
    assert first == {
        "text": "机动车礼让斑马线",
        "score": 2.0,
        "methods": ["实地考察"],
        "site_types": ["主次干道", "背街小巷"],
        "lead_unit": "市公安局",
        "co_units": ["市交通局", "市城管局"],
    }
    assert second["score"] == 1.0
    window = data[0]["contents"][1]["standards"][0]
    assert window["text"] == "服务规范，公开办事流程"
    assert window["methods"] == ["实地考察", "材料审核"]
    assert data[1]["contents"][0]["standards"][0]["methods"] == ["材料审核"]


def test_levels_in_one_column():
    rows = [
        ["测评内容及标准", "分值", "测评方式"],
        ["一、思想道德建设", None, None],
        ["（一）理想信念教育", None, None],
        ["1. 开展党史学习教育", 3, "材料审核"],
        ["2. 建有新时代文明实践站", 2, "实地考察"],
        ["（二）社会主义核心价值观", None, None],
        ["3. 公益广告覆盖主要街道", "2", "实地考察"],
        ["二、城市管理", None, None],
        ["（一）市容环境", None, None],
        ["4. 无乱扔垃圾", 2, "实地"],
    ]
    data = sheet.read(workbook(rows)).to_data()["items"]
    assert [i["name"] for i in data] == ["思想道德建设", "城市管理"]
    assert [c["name"] for c in data[0]["contents"]] == ["理想信念教育", "社会主义核心价值观"]
    assert [s["text"] for s in data[0]["contents"][0]["standards"]] == ["开展党史学习教育", "建有新时代文明实践站"]
    assert data[1]["contents"][0]["standards"][0]["methods"] == ["实地考察"]


def test_a_score_that_is_not_a_number_is_reported_and_left_blank():
    rows = [["一级指标", "二级指标", "三级指标", "分值"], ["甲", "乙", "标准一", "两分"]]
    proposal = sheet.read(workbook(rows))
    assert proposal.errors == ["第2行：分值“两分”不是数字，已留空。"]
    assert proposal.standards[0].score is None


def test_a_sheet_without_a_header_is_refused_in_chinese():
    proposal = sheet.read(workbook([["姓名", "电话"], ["张三", "123"]]))
    assert proposal.items == [] and "没有找到表头" in proposal.errors[0]


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese():
    with pytest.raises(sheet.SheetError, match="无法读取"):
        sheet.read(io.BytesIO(b"not a workbook"))


def test_score_parsing():
    assert sheet.parse_score(2) == Decimal("2")
    assert sheet.parse_score("1.5分") == Decimal("1.5")
    assert sheet.parse_score(None) is None
