"""The task list found by what it is: numbered items that carry responsible
units, under any heading or none, in simplified or traditional characters."""

from imports.parser import parse_plan
from imports.parser.paragraphs import normalise
from imports.parser.units import collectives_in, parse_unit_spec, split_units, unit_brackets


def tasks_of(text):
    data = parse_plan(text).to_dict()

    def flat(items):
        for t in items:
            yield t
            yield from flat(t["children"])

    return {t["code"]: (t["title"], t["lead_units"], t["co_units"]) for t in flat(data["tasks"])}


# ------------------------------------------------------------ where the list is


def test_top_level_sections_with_unit_brackets_are_the_tasks():
    text = (
        "关于稳增长的若干措施\n"
        "一、提高审批效率\n"
        "1.精简审批手续。推进网上审批。（区政务服务局牵头，区发改局、区住建局配合）\n"
        "2.提高土地审批效率。优化流程。（区国土分局牵头，区规划分局配合）\n"
        "二、加快项目建设\n"
        "3.加强项目储备。编制计划。（区发改局牵头，区财政局配合）\n"
    )
    assert tasks_of(text) == {
        "1": ("提高审批效率", [], []),
        "1.1": ("精简审批手续", ["区政务服务局"], ["区发改局", "区住建局"]),
        "1.2": ("提高土地审批效率", ["区国土分局"], ["区规划分局"]),
        "2": ("加快项目建设", [], []),
        "2.1": ("加强项目储备", ["区发改局"], ["区财政局"]),
    }


def test_sections_that_are_clearly_not_tasks_are_left_out():
    text = (
        "某某方案\n"
        "一、指导思想\n坚持以人民为中心。\n"
        "二、组织领导\n1.成立领导小组。（区政府办牵头）\n2.建立例会制度。（区政府办牵头）\n"
        "三、整治违建\n1.拆除违建。（区城管局牵头，区住建局配合）\n"
        "四、保障措施\n1.加强督查。（区督查室牵头）\n"
    )
    assert tasks_of(text) == {
        "1": ("整治违建", [], []),
        "1.1": ("拆除违建", ["区城管局"], ["区住建局"]),
    }


def test_a_list_of_what_to_report_is_not_a_task_list():
    text = (
        "关于做好安全生产信息上报工作的通知\n"
        "一、上报内容\n1.本单位安全生产工作的部署落实情况。\n2.生产安全事故和险情的基本情况及处置进展。\n"
        "二、上报要求\n1.各单位每月5日前报送上月信息。\n"
    )
    data = parse_plan(text).to_dict()
    assert data["tasks"] == []
    # A heading about information work is still a task heading when its items carry units.
    text = "某某方案\n一、信息化建设重点内容\n1.建设数据平台。（区大数据局牵头）\n2.整合政务网络。（区大数据局牵头）\n"
    assert tasks_of(text)["1"] == ("建设数据平台", ["区大数据局"], [])


def test_top_level_items_that_carry_units_themselves():
    text = (
        "提质年实施方案\n"
        "1.宣传动员，提升卫生意识。一是加强宣传。二是开展活动。（牵头单位：市爱卫办；配合单位：市教育局）\n"
        "2.全民参与，筑牢健康基石。广泛发动群众。（牵头单位：市爱卫办）\n"
    )
    tasks = tasks_of(text)
    assert tasks["1"] == ("宣传动员，提升卫生意识", ["市爱卫办"], ["市教育局"])
    assert tasks["2"] == ("全民参与，筑牢健康基石", ["市爱卫办"], [])


def test_a_section_whose_items_carry_units_is_a_task_list_beside_the_task_heading():
    text = (
        "某某方案\n"
        "一、主要任务\n（一）整治市容。清理占道。（区城管局牵头）\n"
        "二、专项行动\n（一）开展夜查。每周一次。（区公安分局牵头）\n（二）开展日查。每日巡查。（区城管局牵头）\n"
    )
    assert tasks_of(text) == {
        "1": ("整治市容", ["区城管局"], []),
        "2": ("开展夜查", ["区公安分局"], []),
        "3": ("开展日查", ["区城管局"], []),
    }


def test_traditional_characters_read_like_simplified():
    text = (
        "關于優化營商環境的若干意見\n"
        "一、總體要求\n深化改革。\n"
        "二、主要任務\n"
        "（一）提高市場開放程度。全面實施清單制度。（牽頭單位：省發展改革委；配合單位：省編辦、省住建廳）\n"
        "（二）降低企業成本。減稅降費。（責任單位：省財政廳）\n"
    )
    assert tasks_of(text) == {
        "1": ("提高市場開放程度", ["省發展改革委"], ["省編辦", "省住建廳"]),
        "2": ("降低企業成本", ["省財政廳"], []),
    }


def test_traditional_units_without_a_task_heading():
    text = (
        "一、堅持系統集成，推動審批最佳化\n"
        "1.實施清單管理。編制清單。（市政府辦公室牽頭，市級各有關部門按職責分工負責）\n"
        "2.深化集中許可權改革。梳理目錄。（市政府辦公室牽頭）\n"
    )
    tasks = tasks_of(text)
    assert tasks["1"] == ("堅持系統集成，推動審批最佳化", [], [])
    assert tasks["1.1"] == ("實施清單管理", ["市政府辦公室"], [])


# ------------------------------------------------------------ units


def test_unit_lines_after_an_item_are_the_items():
    text = (
        "工作任务分工\n"
        "一、规范审批\n"
        "1.地区生产总值增长6%以上。\n分管省领导：张三\n部门分工：省发展改革委牵头，各地、各部门配合。\n"
        "2.财政收入增长5%左右。\n分管省领导：张三\n部门分工：省财政厅牵头，省税务局配合。\n"
    )
    tasks = tasks_of(text)
    assert tasks["1.1"] == ("地区生产总值增长6%以上", ["省发展改革委"], [])
    assert tasks["1.2"] == ("财政收入增长5%左右", ["省财政厅"], ["省税务局"])


def test_collectives_and_duty_phrases_are_not_units():
    assert split_units("区财政局、各县（市、区）、市直各单位、各有关单位、市爱卫会各成员单位") == ["区财政局"]
    assert split_units("区住建局、区级相关部门各司其职") == ["区住建局"]
    assert parse_unit_spec("牵头单位：市爱卫办；配合单位：市爱卫会各成员单位；责任单位：各镇（区）") == (["市爱卫办"], [])
    assert split_units("县司法局、乡镇人民政府按职责分工分别负责") == ["县司法局"]
    # 各乡镇, 各街道办事处, 各区县分局: every one of a kind, not a unit to hold to account.
    assert split_units("县住建局、各乡镇、各街道办事处、各区县分局、县直各部门") == ["县住建局"]
    assert collectives_in("县住建局、各乡镇、各有关单位、县直各部门") == ["各乡镇", "县直各部门"]
    # A unit that merely contains 各 is a unit.
    assert split_units("市各界联合会") == ["市各界联合会"]


def test_a_unit_bracket_the_copy_cut_off_still_names_the_units():
    text = (
        "某某方案\n一、主要任务\n（一）整治市容。清理占道。（牵头单位：区城管局；配合单位：区住建局）\n"
        "（二）美化环境。增加绿地。（牵头单位：区园林局；配合单位：区住建局；完成时限：2024年"
    )
    assert tasks_of(text)["2"] == ("美化环境", ["区园林局"], ["区住建局"])
    # A bracket closed, or one that never names units, is not a cut-off unit bracket.
    assert unit_brackets("增加绿地（见附件") == []
    assert unit_brackets("增加绿地（责任单位：区园林局）") == [("（责任单位：区园林局）", "责任单位：区园林局")]


def test_collectives_are_named_in_one_warning_not_taken_as_units():
    text = (
        "某某方案\n一、主要任务\n（一）清理河道。（县水利局牵头，各乡镇配合）\n"
        "（二）整治岸线。（县自然资源局牵头，县水利局、各乡镇、县直各部门配合）\n"
    )
    data = parse_plan(text).to_dict()
    assert [(t["lead_units"], t["co_units"]) for t in data["tasks"]] == [
        (["县水利局"], []), (["县自然资源局"], ["县水利局"])]
    assert [w for w in data["warnings"] if "泛指" in w] == [
        "分工中的“各乡镇”“县直各部门”是泛指，没有作为单位导入（涉及任务 1、2）；如需逐一落实，请人工添加具体单位。"]


def test_an_excerpt_cut_inside_the_last_items_bracket_keeps_the_names_it_completes():
    text = (
        "某某要点\n一、优化服务\n1.推行一网通办。整合系统。（区数据局、区政务服务中心牵头，各街道配合）\n"
        "2.压缩办理时限。精简材料。（区政务服务中心、区市"
    )
    data = parse_plan(text).to_dict()
    assert data["tasks"][0]["children"][1]["title"] == "压缩办理时限"
    assert data["tasks"][0]["children"][1]["lead_units"] == ["区政务服务中心"]
    assert any("被截断" in w and "区政务服务中心" in w for w in data["warnings"])
    # Without unit brackets on the items before it, an open bracket at the end is just cut text.
    text = "某某要点\n一、优化服务\n1.推行一网通办。整合系统。\n2.压缩办理时限。精简材料（含证明、表格"
    assert tasks_of(text)["1.2"] == ("压缩办理时限", [], [])


def test_a_bracket_of_bare_unit_names_closing_a_sentence_assigns_it_first_named_leading():
    text = (
        "某某行动方案\n一、优化服务\n（一）提升办事效率。推行一窗受理（区政务服务中心、区数据局）。"
        "压缩审批时限（区政务服务中心）。\n（二）加强宣传。开展政策宣讲（区委宣传部）。\n"
    )
    assert tasks_of(text) == {
        "1": ("优化服务", [], []),
        "1.1": ("提升办事效率", ["区政务服务中心"], ["区数据局"]),
        "1.2": ("加强宣传", ["区委宣传部"], []),
    }
    # An abbreviation after a name, or a bracket of other words, names no units.
    assert unit_brackets("办公室设在区创城办（区文明办）") == []
    assert unit_brackets("开展巡查（每周两次）。") == []


def test_commentary_after_the_units_sentence_is_not_units():
    spec = "责任单位：省发展改革委、省市场监管局按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工。"
    assert parse_unit_spec(spec) == (["省发展改革委", "省市场监管局"], [])


def test_a_deadline_beside_labelled_units_keeps_the_bracket():
    assert unit_brackets("（牵头单位：市爱卫办；完成时限：2024年12月）")
    assert not unit_brackets("（2024年12月前由各地负责）")


# ------------------------------------------------------------ run-together copies


def test_items_run_together_on_one_line_are_split():
    line = "制定本方案。 一、活动主题 健康城镇 二、主要任务及分工 (一)以健康为契机,推进建设 1.补齐短板。重点围绕绿地。"
    assert normalise(line) == [
        "制定本方案。", "一、活动主题健康城镇", "二、主要任务及分工", "(一)以健康为契机,推进建设", "1.补齐短板。重点围绕绿地。",
    ]


def test_a_heading_and_its_text_apart_by_a_wide_gap_are_split():
    assert normalise("特制定本方案。  一、指导思想  以党的精神为指导。") == [
        "特制定本方案。", "一、指导思想", "以党的精神为指导。",
    ]


def test_a_number_inside_a_sentence_is_not_split():
    assert normalise("共投入 3.5 亿元，完成 1、2 号楼改造。") == ["共投入3.5亿元，完成1、2号楼改造。"]


def test_a_top_level_heading_may_start_with_a_year():
    tasks = tasks_of("一、2021年主要预期目标\n1.地区生产总值增长6%以上。\n部门分工：省发展改革委牵头，各地、各部门配合。\n")
    assert tasks["1"] == ("2021年主要预期目标", [], [])
    assert tasks["1.1"] == ("地区生产总值增长6%以上", ["省发展改革委"], [])


def test_pinyin_printed_after_characters_is_dropped():
    assert normalise("努力構(gòu)建現(xiàn)代產業體系(一)") == ["努力構建現代產業體系(一)"]


def test_a_plan_naming_no_units_has_its_action_sections_as_tasks():
    text = (
        "魅力城市创建行动方案\n"
        "一、总体思路\n1.坚持问题导向。\n2.坚持长效管理。\n"
        "二、开展拆违专项行动\n1.加大违建整治力度。巩固成果。\n2.加快老旧小区改造。开工项目。\n"
        "三、时间安排\n1.动员部署阶段。\n2.集中整治阶段。\n"
    )
    assert tasks_of(text) == {
        "1": ("开展拆违专项行动", [], []),
        "1.1": ("加大违建整治力度", [], []),
        "1.2": ("加快老旧小区改造", [], []),
    }


def test_sections_that_carry_units_win_over_those_that_do_not():
    text = (
        "某某方案\n"
        "一、宣传发动\n1.召开动员会。\n2.印发资料。\n"
        "二、整治市容\n1.清理占道。（区城管局牵头）\n2.规范店招。（区城管局牵头）\n"
    )
    assert list(tasks_of(text)) == ["1", "1.1", "1.2"]


def test_a_plan_run_into_one_line_is_cut_at_numbers_that_continue_a_count():
    filler = "坚持以人民为中心，改善人居环境，提升城市品位，" * 6
    line = (
        f"整治方案为落实要求，特制定本方案。一、工作目标{filler}确保2015年1.5万户达标。"
        "二、整治对象（一）整治范围。城关镇。（二）整治内容1.乱种。指乱种现象。2. 乱堆。指乱堆现象。三、整治步骤"
    )
    assert normalise(line)[1:] == [
        f"一、工作目标{filler}确保2015年1.5万户达标。",
        "二、整治对象", "（一）整治范围。城关镇。", "（二）整治内容", "1.乱种。指乱种现象。", "2.乱堆。指乱堆现象。",
        "三、整治步骤",
    ]


def test_a_short_line_with_a_number_inside_is_not_cut():
    assert normalise("完成了1.乱种、2.乱堆的整治。") == ["完成了1.乱种、2.乱堆的整治。"]


def test_responsible_units_beside_a_lead_are_co_units():
    assert parse_unit_spec("牽頭單位:省發展改革委;責任單位:省編辦、省住建廳") == (["省發展改革委"], ["省編辦", "省住建廳"])


def test_a_task_heading_run_into_its_text():
    text = (
        "一、主要工作任务和责任分工这次宣传工作围绕三个阶段进行，用宣传推动整治，主要任务如下\n"
        "（一）运用报刊媒体宣传。开设专栏。\n（二）开展街头宣传。发放资料。\n"
    )
    assert list(tasks_of(text).values()) == [("运用报刊媒体宣传", [], []), ("开展街头宣传", [], [])]


def test_an_item_whose_number_the_copy_lost_is_a_task_of_its_own():
    text = (
        "一、主要任务\n"
        "（一）建设汽车产业基地。（牵头单位：市经贸委；配合单位：市发改委）\n"
        "?。ǘ┩推进石化基地建设。（牵头单位：市发改委；配合单位：市规划局）\n"
        "（三）建设物流园区。（牵头单位：市交委）\n"
    )
    assert list(tasks_of(text).values()) == [
        ("建设汽车产业基地", ["市经贸委"], ["市发改委"]),
        ("推进石化基地建设", ["市发改委"], ["市规划局"]),
        ("建设物流园区", ["市交委"], []),
    ]


def test_unnumbered_paragraphs_each_followed_by_their_units():
    text = (
        "印发任务分工方案，其中明确指出：\n"
        "贯彻实施《数字经济促进条例》。推动5G网络覆盖。\n分管领导：张三\n部门分工：省工业和信息化厅牵头，省委网信办、商务厅等配合。\n"
        "打造智能运营管理平台。夯实政务外网。\n分管领导：李四\n"
    )
    assert list(tasks_of(text).values()) == [
        ("贯彻实施《数字经济促进条例》", ["省工业和信息化厅"], ["省委网信办", "商务厅"]),
        ("打造智能运营管理平台", [], []),
    ]


def test_a_long_line_copied_from_a_news_page_is_cut_at_its_paragraph_gaps():
    filler = "推动产业高质量发展，加快超高清视频行业应用，" * 10
    line = f"其中明确指出: 贯彻实施条例。{filler}完成。 分管领导:张三 部门分工:省工信厅牵头。 打造平台。"
    assert normalise(line) == [
        "其中明确指出:", f"贯彻实施条例。{filler}完成。", "分管领导:张三", "部门分工:省工信厅牵头。", "打造平台。",
    ]


def test_a_heading_and_a_date_apart_by_a_gap_stay_one_line():
    assert normalise("（一）宣传发动阶段  2024年3月1日—3月15日") == ["（一）宣传发动阶段2024年3月1日—3月15日"]


def test_an_items_completion_deadline_is_proposed_with_the_plans_year():
    from imports.parser.plan import parse_plan

    data = parse_plan(
        "某某区2023年营商环境专项整治行动方案\n"
        "一、主要任务\n"
        "（一）清理涉企收费。全面清理涉企收费项目（6月底前完成）。责任单位：区发改局\n"
        "（二）压缩审批时限。2024年3月15日前限时办结。责任单位：区政务服务中心\n"
        "（三）建立长效机制。于9月30日前报送工作总结。责任单位：区市场监管局\n"
        "（四）开展“回头看”。20XX年10月底前完成。责任单位：区司法局\n"
    ).to_dict()
    assert [task["due_on"] for task in data["tasks"]] == ["2023-06-30", "2024-03-15", None, None]
