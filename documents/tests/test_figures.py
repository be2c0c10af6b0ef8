"""The figure check that holds a polished paragraph to the original: the same
figures, in whatever form or order; any changed, dropped or added is named."""

import pytest

from documents.figures import changed_figures, describe, figures


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("共开展活动82场，完成率95.5%。", ["82", "95.5%"]),
        ("罚款1,200元，另有3,450,000元", ["1200", "3450000"]),
        ("共１２家单位，完成率９０％", ["12", "90%"]),
        ("于2025年12月9日召开，12月9日前报送", ["date:2025-12-9", "date:-12-9"]),
        ("2025年12月完成，截至2025-12-09", ["date:2025-12-", "date:2025-12-9"]),
        ("开展普法宣传二十二场，走访两千三百户，百分之八十五", ["22", "2300", "85%"]),
        ("三十余家单位、一百零五人、1.2万元", ["30", "105", "12000"]),
        ("一是加强领导；二是压实责任；（三）强化督查；四、抓好落实", []),
        ("开展一系列活动，取得一定成效，一个重要举措，进一步推进", []),
        ("发动千家万户，千方百计，十分重要", []),
        ("落实十四五规划", ["cn:十四五"]),
        ("第1，2，3项", ["1", "2", "3"]),
        ("①加强领导②落实责任", []),
        ("二〇二五年十二月九日", ["2025", "12", "9"]),
    ],
)
def test_figures_of_a_paragraph(text, keys):
    assert [figure.key for figure in figures(text)] == keys


@pytest.mark.parametrize(
    ("original", "polished"),
    [
        ("完成率82%，共1,200件", "共1200件，完成率达82%"),
        ("开展二十二场宣传", "开展宣传活动22场"),
        ("2025年12月9日前完成", "于2025年12月09日前完成"),
        ("一是加强领导，二是压实责任", "首先要加强领导，其次要压实责任"),
        ("完成８２．０％", "完成82%"),
        ("投入3万元", "投入30000元"),
        ("完成率 82 %", "完成率82%"),
        ("各单位要进一步提高认识", "各单位要切实提高思想认识"),
    ],
)
def test_figures_kept_in_another_form_or_order_pass(original, polished):
    assert changed_figures(original, polished) == ([], [])


@pytest.mark.parametrize(
    ("original", "polished", "message"),
    [
        ("完成率82%，走访30户", "完成率80%，走访30户", "82%→80%"),
        ("共82场", "共80场", "82→80"),
        ("开展活动82场，覆盖12个社区", "开展活动82场", "删去12"),
        ("开展活动82场", "开展活动82场，覆盖12个社区", "新增12"),
        ("2025年12月9日召开", "12月9日召开", "2025年12月9日→12月9日"),
        ("开展二十二场宣传", "开展二十场宣传", "二十二→二十"),
        ("罚款1,200元", "罚款1,300元", "1,200→1,300"),
        ("共82场，覆盖12个社区", "共80场", "82→80、删去12"),
        ("落实十四五规划", "落实十五五规划", "十四五→十五五"),
        ("三场、三场", "三场", "删去三"),
    ],
)
def test_a_changed_dropped_or_added_figure_is_named(original, polished, message):
    dropped, added = changed_figures(original, polished)
    assert describe(dropped, added) == message
