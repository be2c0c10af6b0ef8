"""Targets, reporting rules and the leading group read from short passages of
real plans."""

from imports.parser.leading_group import extract_leading_group
from imports.parser.rules import extract_reporting_rules
from imports.parser.targets import extract_targets


def targets(text):
    return [(t.name, t.value, t.unit, t.comparison) for t in extract_targets([text])]


# ------------------------------------------------------------------ targets


def test_a_count_names_the_work_after_or_before_its_figure():
    assert targets("5月底前开工老旧小区改造项目50个，约605万平方米，涉及居民6.2万户。新开工安置房15546套。") == [
        ("开工老旧小区改造项目", 50, "个", "gte"),
        ("新开工安置房", 15546, "套", "gte"),
    ]


def test_counts_listed_in_brackets_are_each_a_target():
    assert targets("（筹集资金3000万元、收集项目200个、培育基地5个、培训1000人）") == [
        ("筹集资金", 3000, "万元", "gte"),
        ("收集项目", 200, "个", "gte"),
        ("培育基地", 5, "个", "gte"),
        ("培训", 1000, "人", "gte"),
    ]


def test_a_count_before_its_object_keeps_the_verb_that_names_it():
    assert targets("全市筹集3000万元创业引导资金；培训1000名创办微型企业和小企业的创业者。") == [
        ("筹集创业引导资金", 3000, "万元", "gte"),
        ("培训创办微型企业和小企业的创业者", 1000, "名", "gte"),
    ]


def test_counts_in_ten_thousands_keep_their_figure():
    assert targets("推动5000家规模以上工业企业数字化转型，带动10万家中小企业“上云用云”。") == [
        ("规模以上工业企业数字化转型", 5000, "家", "gte"),
        ("带动中小企业“上云用云”", 10, "万家", "gte"),
    ]


def test_a_bare_verb_takes_its_object_from_the_clause_before():
    assert targets("继续推进既有住宅增设电梯，12月底前开工建设200部。") == [("既有住宅增设电梯开工建设", 200, "部", "gte")]


def test_figures_listed_together_are_named_from_their_subjects():
    assert targets("到2025年，全县健康社区/健康村、健康家庭创建比例达40%、30%。") == [
        ("健康社区/健康村创建比例", 40, "%", "gte"),
        ("健康家庭创建比例", 30, "%", "gte"),
    ]


def test_a_name_keeps_its_subject_and_an_aside_in_brackets():
    assert targets("提档升级街(镇)比例达到50%以上。") == [("提档升级街(镇)比例", 50, "%", "gte")]
    assert targets("12月底前全市无违建街(镇)达到全市街(镇)总数的80%。") == [
        ("无违建街(镇)达到全市街(镇)总数的比例", 80, "%", "gte")
    ]


def test_shortened_to_within_is_an_upper_bound():
    assert targets("全市工程建设项目审批时间缩短至100个工作日内。") == [("工程建设项目审批时间", 100, "个工作日", "lte")]


def test_comparisons_below_and_at_most():
    assert targets("发病率控制在5%以下，投诉件数不超过10件，办理时限压缩至3个工作日以内。") == [
        ("发病率", 5, "%", "lte"),
        ("投诉件数", 10, "件", "lte"),
        ("办理时限", 3, "个工作日", "lte"),
    ]


def test_a_count_in_ten_thousands_of_people():
    assert targets("全年培训1.5万人。") == [("培训", 1.5, "万人", "gte")]


def test_growth_about_a_figure_is_that_figure_and_above_it_a_floor():
    assert targets("地方一般公共预算收入增长5%左右。") == [("地方一般公共预算收入增长", 5, "%", "eq")]
    assert targets("地区生产总值增长6%以上。") == [("地区生产总值增长", 6, "%", "gte")]


def test_two_targets_with_the_same_name_are_both_kept():
    found = targets("2023年覆盖率达到60%以上；2024年覆盖率达到90%以上。")
    assert found == [("覆盖率", 60, "%", "gte"), ("覆盖率", 90, "%", "gte")]


def test_spaces_inside_figures_from_web_copies_are_tolerated():
    assert targets("群众满意度达到 9 0 %以上") == [("群众满意度", 90, "%", "gte")]


def test_traditional_script_and_hundred_millions():
    assert targets("落實減稅降費優惠政策，新增發放創業擔保貸款不少于60億元。") == [
        ("新增發放創業擔保貸款", 60, "億元", "gte")
    ]


def test_an_area_or_households_affected_are_no_target():
    assert targets("约605万平方米，涉及居民6.2万户") == []


# ------------------------------------------------------------ leading group


def group(*paras):
    return [(m.position, m.name) for m in extract_leading_group(list(paras))]


def test_prose_names_head_deputies_members_and_office():
    assert group(
        "省委书记、省人大常委会主任徐守盛任领导小组组长，省委副书记、省长杜家毫，省政协主席陈求发，"
        "省委副书记孙金龙任副组长。",
        "省领导黄建国、李微微为领导小组成员。领导小组下设办公室（简称“省委改革办”），设在省委政策研究室。"
        "省委常委、省委秘书长韩永文任省委改革办主任。",
    ) == [
        ("组长", "徐守盛"),
        ("副组长", "杜家毫"),
        ("副组长", "陈求发"),
        ("副组长", "孙金龙"),
        ("成员", "黄建国"),
        ("成员", "李微微"),
        ("办公室主任", "韩永文"),
    ]


def test_comrade_as_head_and_the_office_director_by_the_office():
    assert group("由区长张三同志任领导小组组长。领导小组办公室设在区卫健局，李四兼任主任。") == [
        ("组长", "张三"),
        ("办公室主任", "李四"),
    ]


def test_a_command_post_and_its_office_with_masked_names():
    assert group(
        "X市巩固提升全国文明城市工作指挥部，名单如下：",
        "指挥长：XXX",
        "常务副指挥长：XXX",
        "成员：XXX",
        "……",
        "办公室（市创城办）",
        "主任：XXX",
        "副主任：XXX",
        "成员：从市有关单位抽调。",
        "（一）综合组",
        "组长：王五",
        "副组长：赵六",
        "成员：X……",
    ) == [("组长", "XXX"), ("副组长", "XXX"), ("成员", "XXX"), ("办公室主任", "XXX")]


def test_a_joint_meetings_convener_heads_it():
    assert group("联席会议由省政府副秘书长马锐同志担任总召集人，省气象局局长白海同志担任召集人。") == [
        ("组长", "马锐"),
        ("副组长", "白海"),
    ]


def test_a_group_set_up_under_a_heading_of_its_own_is_the_leading_group():
    assert group("三、成立道路交通安全整治小组", "组长：苏孝春", "副组长：许兴贵") == [
        ("组长", "苏孝春"),
        ("副组长", "许兴贵"),
    ]


def test_the_group_of_a_second_document_on_the_page_is_not_taken():
    assert group(
        "成立领导小组，由区长张三任组长。",
        "某区人民政府",
        "2019年3月9日",
        "某区关于开展安全生产大检查的通知",
        "由副区长李四任组长。",
    ) == [("组长", "张三")]


def test_the_plan_a_cover_letter_issues_is_not_a_second_document():
    assert group(
        "现将实施方案印发给你们，请认真贯彻落实。",
        "2019年3月9日",
        "某区创建工作方案",
        "由区长张三任组长。",
    ) == [("组长", "张三")]


def test_a_plan_cited_before_the_signature_is_not_a_second_document():
    assert group("按照《某区创建工作方案》要求，", "2019年3月9日", "某区创建工作方案", "由区长张三任组长。") == [("组长", "张三")]


def test_an_annexed_list_after_the_signature_is_the_plans_own():
    assert group(
        "成立领导小组，名单见附件。",
        "2019年3月9日",
        "附件",
        "某区创建工作领导小组成员名单",
        "组长：张三",
    ) == [("组长", "张三")]


def test_descriptions_in_place_of_names_are_not_members():
    assert group("组长：苏孝春", "成员：各班班主任") == [("组长", "苏孝春")]


# ---------------------------------------------------------- reporting rules


def rules(text):
    return [(r.cadence, r.weekday, r.day_of_month, r.time) for r in extract_reporting_rules([text])]


def test_a_sentence_that_names_the_day_after_the_cadence_is_one_rule():
    assert rules("各单位每周报送一篇工作信息，于每周四下班前通过OA系统报综合处。") == [("weekly", 4, None, "17:30")]
    assert rules("各单位每月报送一篇信用信息，每月25日前通过OA系统报综合处。") == [("monthly", None, 25, None)]


def test_two_weekdays_in_one_sentence_stay_two_rules():
    assert rules("每周二下午下班前报送信息，每周五12时前报送小结。") == [
        ("weekly", 2, None, "17:30"),
        ("weekly", 5, None, "12:00"),
    ]


def test_a_time_of_day_and_the_end_of_the_month():
    assert rules("每周四17:30前报送本周工作动态；每月底前报送月度小结。") == [
        ("weekly", 4, None, "17:30"),
        ("monthly", None, 31, None),
    ]


def test_traditional_script():
    assert rules("各部門每月10日前要將工作情況書面報送市政府研究室。") == [("monthly", None, 10, None)]
    assert rules("各單位每週一中午12時前報送上週工作動態。") == [("weekly", 1, None, "12:00")]


def test_weekdays_run_from_monday_to_sunday():
    assert [r[1] for r in rules("每周一报送；每周日报送；每周7报送。")] == [1, 7, 7]


def test_the_offices_own_monthly_round_is_no_reporting_rule():
    assert rules("效能办将不定期对信息报送工作进行督察，每月通报一次。") == []
    assert rules("市创城办每月评选一次“文明单位”并通报。") == []


def test_the_text_is_the_plans_own_script():
    found = extract_reporting_rules(["各部門每月10日前報送市政府研究室。"])
    assert found[0].text == "每月10日前報送市政府研究室"
