"""What many units wrote over many months, said once."""

import pytest

from documents.synthesis import (
    best_of,
    concreteness,
    enumerate_items,
    merge,
    merge_problems,
    restates_figures,
    sentences,
    split_problem,
)

NAMES = ["开展普法宣传活动", "法制审核案件", "办理政务服务事项", "集体讨论案件"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3月，结合主题节点开展普法活动。", ["结合主题节点开展普法活动。"]),
        ("本月组织全体干部集中学法", ["组织全体干部集中学法。"]),
        ("2025年5月以来，开展送法上门服务。", ["开展送法上门服务。"]),
        ("一是建立工作台账；二是完善制度。", ["建立工作台账；二是完善制度。"]),
        ("1.落实双随机抽查任务。2.开展专项检查行动。", ["落实双随机抽查任务。", "开展专项检查行动。"]),
        ("存在问题：执法力量不足。", ["执法力量不足。"]),
        ("好。", []),  # a fragment is no sentence
        ("开展“六进”服务３次，受益机构８０家。", ["开展“六进”服务3次，受益机构80家。"]),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "sentence, restated",
    [
        ("开展普法宣传活动2场，法制审核案件2件。", True),
        ("办理政务服务事项118件。", True),
        ("集体讨论案件1件，法制审核案件1件，另开展送法上门。", False),  # the rest is kept
        ("结合主题节点开展“普法进社区”活动，组织专家开展专题宣讲。", False),
        ("对全区19所中、小学校开展秋季学校卫生监督检查。", False),  # a figure inside work said
        ("监督1所2025年01月开展普法宣传。", False),  # a date is no figure
        ("精简审批流程，压缩审批时限5个工作日，对行政许可证件开展到期提醒。", False),
    ],
)
def test_restates_figures(sentence, restated):
    assert restates_figures(sentence, NAMES) is restated


@pytest.mark.parametrize(
    "sentence, kept",
    [
        ("集体讨论案件1件，法制审核案件1件，另开展送法上门。", "另开展送法上门。"),
        (
            "监督所围绕“加强执法规范化建设”开展工作：组织执法人员集中学习2次，开展普法宣传活动1场，发放宣传资料200份。",
            "监督所围绕“加强执法规范化建设”开展工作：组织执法人员集中学习2次。",
        ),
        ("开展普法宣传活动2场，法制审核案件2件。", ""),
    ],
)
def test_only_the_clauses_that_restate_figures_go(sentence, kept):
    from documents.synthesis import without_figures

    assert without_figures(sentence, NAMES + ["发放宣传资料"]) == kept


@pytest.mark.parametrize(
    "text",
    [
        "2.5万份宣传资料已发放完毕。",
        "12.3%的案件已结案。",
        "1、2号楼完成改造。",
        "6月底前完成全部整改任务。",
        "2026年底前实现全覆盖。",
        "3月1日起施行新制度。",
        "10月12日至18日开展宣传周活动。",
    ],
)
def test_figures_and_dates_that_belong_to_the_sentence_stay(text):
    assert sentences(text) == [text]


def test_a_date_range_at_the_start_goes():
    assert sentences("1月1日至1月6日，监督所开展专项检查。") == ["监督所开展专项检查。"]


def test_the_same_work_each_month_is_one_item_told_by_its_most_concrete_wording():
    items = merge(
        [
            (1, "1月，落实双随机抽查任务，做好检查结果录入。本月开展普法宣传活动2场。"),
            (1, "5月，落实双随机抽查任务，做好检查结果录入，对抽查全程留痕。"),
            (2, "9月，落实双随机抽查任务，做好检查结果录入，对全区12家医疗机构抽查全程留痕。"),
            (2, "开展学校卫生专项监督检查。"),
        ],
        names=NAMES,
    )
    assert [item.text for item in items] == [
        "落实双随机抽查任务，做好检查结果录入，对全区12家医疗机构抽查全程留痕。",
        "开展学校卫生专项监督检查。",
    ]
    assert items[0].unit_ids == [1, 2] and items[0].mentions == 3
    assert items[1].unit_ids == [2] and items[1].mentions == 1


def test_routine_work_reads_every_month_and_a_leaning_sentence_goes_with_its_figure():
    texts = [(1, f"{m}月，研究部署本月重点工作。办理政务服务事项{m}件。其中即办件占六成。") for m in (1, 2, 3)]
    items = merge(texts, names=NAMES)
    assert [item.text for item in items] == ["研究部署每月重点工作。"]


def test_different_work_is_not_merged():
    items = merge([(1, "组织执法人员开展新法律法规专题培训。"), (1, "修订突发公共卫生事件应急预案集。")])
    assert len(items) == 2


def test_merge_is_linear_enough_for_a_city():
    # 3,000 units, 12 months, each a few distinct sentences: no pairwise comparison of everything.
    texts = [(u, f"{m}月，第{u % 40}片区开展第{u % 7}类专项整治，清理卫生死角{m}处。") for u in range(3000) for m in range(1, 13)]
    items = merge(texts)
    assert len(items) < 50


def test_enumerate_items():
    assert enumerate_items(["建立台账。", "完善制度"]) == "一是建立台账；二是完善制度。"
    assert enumerate_items(["建立台账。"]) == "建立台账。"
    assert enumerate_items([]) == ""


@pytest.mark.parametrize(
    "text, problem, cause, measure",
    [
        (
            "卫生监督执法力量不足，工作成效有待提高。原因在于监管面广、量大、点多。下一步将定期组织执法人员学习。",
            "卫生监督执法力量不足，工作成效有待提高。",
            "原因在于监管面广、量大、点多。",
            "下一步将定期组织执法人员学习。",
        ),
        ("宣传形式单一，主要原因是经费有限。", "宣传形式单一。", "主要原因是经费有限。", ""),
        ("线上办理比例不高。针对上述问题，拟加强宣传引导。", "线上办理比例不高。", "", "针对上述问题，拟加强宣传引导。"),
        ("部分审批事项线上办理比例不高，群众知晓率有待提高。", "部分审批事项线上办理比例不高，群众知晓率有待提高。", "", ""),
        ("由于人员少，台账更新不及时。", "由于人员少，台账更新不及时。", "", ""),  # a cause first is part of the problem
    ],
)
def test_split_problem(text, problem, cause, measure):
    found = split_problem(text)
    assert (found.problem, found.cause, found.measure) == (problem, cause, measure)


def test_problems_of_several_units_merge_with_their_causes():
    items = merge_problems(
        [
            (1, "1.执法力量不足。原因是人员老化。2.宣传形式单一。"),
            (2, "执法力量不足，人员少。下一步将招录年轻执法人员。"),
            (1, "执法力量不足。原因是人员老化，执法人员年纪均在50岁以上。"),
        ]
    )
    assert [item.text for item in items] == ["执法力量不足，人员少。", "宣传形式单一。"]
    first = items[0]
    assert first.unit_ids == [1, 2]
    assert best_of(c for c, _ in first.extras) == "原因是人员老化，执法人员年纪均在50岁以上。"
    assert best_of(m for _, m in first.extras) == "下一步将招录年轻执法人员。"


def test_concreteness_prefers_numbers_titles_and_places():
    assert concreteness("对全区19所学校开展检查，编制《检查手册》。") > concreteness("开展检查，取得良好成效。")
