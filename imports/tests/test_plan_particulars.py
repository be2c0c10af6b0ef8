"""A plan's particulars (title, 文号, issue date, phases) read from the page
furniture, scripts and layouts that real copies come in; snippets, not plans."""

import datetime as dt

from imports.parser import parse_plan
from imports.parser.dates import DateContext, find_date_range
from imports.parser.metadata import find_document_number, find_title
from imports.parser.text import clean_lines, realign


def test_html_tags_become_lines_and_entities_are_decoded():
    page = "<p>各市人民政府:</p><p style=\"text-align: right;\">&nbsp;山西省人民政府</p><br/><strong>某某方案</strong>"
    assert clean_lines(page) == ["各市人民政府:", "山西省人民政府", "某某方案"]


def test_a_comparison_sign_is_not_taken_for_a_tag():
    assert clean_lines("PM2.5浓度<35微克") == ["PM2.5浓度<35微克"]


def test_pinyin_glosses_after_characters_are_dropped():
    assert clean_lines("川辦(bàn)發〔2023〕6号\n關(guān)于印發(fā)") == ["川辦發〔2023〕6号", "關于印發"]


def test_an_acronym_in_brackets_is_not_a_gloss():
    assert clean_lines("推广政府和社会资本合作(PPP)模式") == ["推广政府和社会资本合作(PPP)模式"]


def test_site_banner_lines_are_furniture():
    lines = clean_lines("X\n相关解读\n某通知_工作进展情况_某某办公室\n某某工作方案.docx\n(此件公开发布)\n第1页共3页某某工作方案")
    assert lines == ["某某工作方案", "某某工作方案"]


def test_issue_date_with_white_circles_for_zero():
    proposal = parse_plan("二○○九年四月二十八日\n某市创建创业型城市工作意见\n一、指导思想\n坚持创新。")
    assert proposal.issued_on.isoformat() == "2009-04-28"
    assert proposal.title == "某市创建创业型城市工作意见"


def test_document_number_in_traditional_script_keeps_its_hao():
    assert find_document_number(["鄂政發〔2018〕26號"]) == "鄂政發〔2018〕26號"


def test_document_number_with_square_or_round_brackets():
    assert find_document_number(["京政发[2016]26号"]) == "京政发〔2016〕26号"
    assert find_document_number(["京政发(2016)26号"]) == "京政发〔2016〕26号"


def test_a_number_alone_on_its_line_may_lack_its_hao():
    assert find_document_number(["咸安政发〔2019〕1"]) == "咸安政发〔2019〕1"
    assert find_document_number(["见附表〔2019〕1。"]) is None


def test_document_number_from_a_metadata_table_row():
    rows = ["索 引 号|11620300/2025-48086|主题分类|金政发|", "发文字号|金政发〔2025〕33号|制发机构||"]
    assert find_document_number(["各县人民政府："], rows) == "金政发〔2025〕33号"


def test_a_cited_number_in_a_table_cell_is_not_the_plans():
    assert find_document_number([], ["依据|《某方案》（国发〔2016〕5号）|"]) is None


def test_document_number_with_a_pinyin_gloss():
    proposal = parse_plan("川辦(bàn)發〔2023〕6号\n某某工作要点\n一、总体要求\n坚持创新。")
    assert proposal.document_number == "川辦發〔2023〕6号"


def test_the_plans_heading_is_taken_not_the_issuers_line():
    preamble = ["滬府發〔2017〕92號", "上海市人民政府印發《關于本市加強政務誠信建設的實施意見》的通知",
                "各區人民政府：", "上海市人民政府", "2017年12月20日", "關于本市加強政務誠信建設的實施意見"]
    assert find_title(preamble) == "關于本市加強政務誠信建設的實施意見"


def test_a_title_may_quote_a_document():
    assert find_title(["山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案"]) == (
        "山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案"
    )


def test_a_title_printed_in_title_marks():
    assert find_title(["《成都市人民政府辦公廳關于建立政府工作落實情況報告制度的通知》"]) == (
        "成都市人民政府辦公廳關于建立政府工作落實情況報告制度的通知"
    )


def test_without_a_heading_the_name_the_notice_hands_out_is_the_title():
    preamble = ["關于印發2006年政府工作報告要求重點做好的工作事項的通知",
                "現將《2006年〈政府工作報告〉要求重點做好的工作事項》印發給你們，請抓好落實工作。"]
    assert find_title(preamble) == "2006年《政府工作報告》要求重點做好的工作事項"


def test_a_traditional_notice_title_gives_the_plans_name():
    assert find_title(["京政办发〔2016〕26号", "關於印發〈北京市2016年政務公開工作要點〉的通知"]) == (
        "北京市2016年政務公開工作要點"
    )


def test_a_cited_documents_title_is_not_the_plans():
    preamble = ["为促进发展，根据《昆明市人民政府关于印发昆明市稳增长若干政策措施的通知》（昆政发〔2016〕13号），制定如下措施。"]
    assert find_title(preamble) is None


def test_a_title_glued_to_the_body_and_to_the_signature_date():
    assert find_title(["某县四乱整治活动实施方案为认真落实省、市要求，特制定本方案。"]) == "某县四乱整治活动实施方案"
    assert find_title(["某局宣传工作实施方案某局宣传工作实施方案为依法加强管理，制定本方案。"]) == "某局宣传工作实施方案"
    assert find_title(["中共某县委某县人民政府2017322某县推进法治政府建设实施方案"]) == "某县推进法治政府建设实施方案"


def test_a_site_name_or_news_headline_is_not_a_title():
    assert find_title(["晋城生活网", "晋中全力以赴创建全国文明城市"]) is None


def test_a_masked_copys_title_without_its_place_name_is_left_to_the_clerk():
    proposal = parse_plan("县健康社区创建实施方案为贯彻落实规划，根据*要求，制定本方案。\n一、指导思想\n坚持健康。")
    assert proposal.title is None
    assert any("缺少地名" in w for w in proposal.warnings)


# ------------------------------------------------------------------ phases


def phases_of(text, year=None):
    return [(p.name, p.start and p.start.isoformat(), p.end and p.end.isoformat())
            for p in parse_plan(text, year=year).phases]


def test_month_only_phases_in_running_text():
    text = "四、时间安排(一)动员部署阶段(5月)制定方案。(二)集中整治阶段(5月-8月)开展整治。(三)总结阶段(11月)总结。"
    assert phases_of(text, year=2009) == [
        ("动员部署阶段", "2009-05-01", "2009-05-31"),
        ("集中整治阶段", "2009-05-01", "2009-08-31"),
        ("总结阶段", "2009-11-01", "2009-11-30"),
    ]


def test_phases_told_in_prose():
    text = ("分三个阶段推进。第一阶段为攻坚突破阶段，时间从2021年1月至2021年12月。突破。"
            "第二阶段为巩固提升阶段，时间从2022年1月至2022年12月。巩固。")
    assert phases_of(text) == [
        ("攻坚突破阶段", "2021-01-01", "2021-12-31"),
        ("巩固提升阶段", "2022-01-01", "2022-12-31"),
    ]


def test_name_colon_dates_with_the_year_of_the_stated_period():
    text = ("一、活动时间2015年8月1日至8月31日二、具体步骤调查摸底、宣扬发动阶段:8月1日至8月10日此阶段调查。"
            "清理清运阶段:8月11日至21日此阶段清运。")
    assert phases_of(text) == [
        ("调查摸底、宣扬发动阶段", "2015-08-01", "2015-08-10"),
        ("清理清运阶段", "2015-08-11", "2015-08-21"),
    ]


def test_a_range_whose_dash_was_lost_and_a_phase_throughout():
    text = "整治步骤1.宣传发动阶段(5月2日7日)，摸底造册。2.巩固提高阶段（贯穿活动全过程），建立长效机制。"
    assert phases_of(text, year=2015) == [
        ("宣传发动阶段", "2015-05-02", "2015-05-07"),
        ("巩固提高阶段", None, None),
    ]


def test_dates_on_the_line_after_the_phase_heading():
    text = "五、实施步骤\n（一）动员部署阶段\n时间：2021年3月1日至3月31日。制定方案。\n（二）集中整治阶段\n2021年4月1日至11月30日。开展整治。"
    assert phases_of(text) == [
        ("动员部署阶段", "2021-03-01", "2021-03-31"),
        ("集中整治阶段", "2021-04-01", "2021-11-30"),
    ]


def test_a_range_crossing_the_year_end_and_phases_that_run_into_the_next_year():
    ctx = DateContext(2019, [])
    assert find_date_range("12月至3月", ctx, "x") == (dt.date(2019, 12, 1), dt.date(2020, 3, 31))
    assert find_date_range("2019年12月至2020年3月", ctx, "x") == (dt.date(2019, 12, 1), dt.date(2020, 3, 31))
    text = "（一）部署阶段（2019年11月）部署。\n（二）整治阶段（12月）整治。\n（三）总结阶段（1月）总结。"
    assert phases_of(text, year=2019)[-1] == ("总结阶段", "2020-01-01", "2020-01-31")


def test_steps_without_dates_inside_a_dated_phase_are_not_phases():
    text = "（一）检查验收阶段（2010年11月21日至12月20日）。\n第一步：各乡自查。\n第二步：县里抽查。"
    assert phases_of(text) == [("检查验收阶段", "2010-11-21", "2010-12-20")]


def test_a_table_borders_stray_bar_does_not_make_a_line_a_table_row():
    assert clean_lines("|\n（一）动员部署阶段（5月）制定方案。|") == ["（一）动员部署阶段（5月）制定方案。"]


def test_phases_named_in_a_list_keep_their_names_and_wait_for_dates():
    text = "工作主要围绕“三个阶段”(即:宣传发动与清查摸底阶段、集中治理阶段、检查验收阶段)进行。"
    assert phases_of(text) == [
        ("宣传发动与清查摸底阶段", None, None), ("集中治理阶段", None, None), ("检查验收阶段", None, None)
    ]


def test_a_list_whose_count_disagrees_is_not_phases():
    assert phases_of("分三个阶段（即：宣传发动阶段、集中治理阶段）进行。") == []


def test_numbered_dates_alone_are_phases_in_order():
    text = ("五、行动安排\n1、2012年12月11日—12月13日\n制定方案。\n2、2012年12月14日—12月20日\n宣传教育。\n"
            "3、12月21日—2013年1月31日\n全面整治。")
    # The work paragraphs name two of them with a phase's usual words; 制定方案 names none.
    assert phases_of(text) == [
        ("第一阶段", "2012-12-11", "2012-12-13"),
        ("宣传教育", "2012-12-14", "2012-12-20"),
        ("全面整治", "2012-12-21", "2013-01-31"),
    ]


def test_phases_known_by_their_dates_take_the_phase_word_their_work_uses():
    text = ("四、工作步骤\n1、2023年5月1日—5月15日\n各社区召开会议，动员部署创建工作。\n"
            "2、2023年5月16日—8月31日\n对照标准开展自查自纠，逐项整改。\n"
            "3、2023年9月1日—9月30日\n迎接检查验收，同时开展总结评估。")
    proposal = parse_plan(text)
    assert [(p.name, p.start.isoformat()) for p in proposal.phases] == [
        ("动员部署", "2023-05-01"), ("自查自纠", "2023-05-16"), ("第三阶段", "2023-09-01")]
    assert any("阶段名称取自其工作内容" in w for w in proposal.warnings)
    assert any(w.startswith("部分阶段只写了起止日期") for w in proposal.warnings)


def test_an_issuer_a_space_before_the_title_is_not_part_of_it():
    assert clean_lines("新闻中心\n某市指挥部办公室 关于开展“告别不文明行为,建设美丽家园”专项行动的公告") == [
        "关于开展“告别不文明行为,建设美丽家园”专项行动的公告"
    ]


def test_a_news_reports_lead_gives_the_issue_date():
    proposal = parse_plan("2月23日，广东省人民政府办公厅印发《2023年省〈政府工作报告〉工作任务分工方案》，明确分工。")
    assert proposal.title == "2023年省《政府工作报告》工作任务分工方案"
    assert proposal.issued_on.isoformat() == "2023-02-23"


def test_a_date_that_lost_its_year_month_and_day_marks_is_read_when_only_one_reading_is_a_date():
    # 2020年9月28日 printed by a copy that drops 年月日: 2020-92-8 is no date, so 9月28日.
    proposal = parse_plan("经市人民政府同意，现将《健康某市行动推进方案》印发给你们。\n2020928\n健康某市行动推进方案")
    assert proposal.issued_on.isoformat() == "2020-09-28"
    assert proposal.title == "健康某市行动推进方案"
    # 2020111 is 1月11日 or 11月1日: not guessed.
    assert parse_plan("现将《某方案》印发给你们。\n2020111\n某某行动方案").issued_on is None
    # A date printed whole wins over bare figures.
    assert parse_plan("现将《某方案》印发给你们。\n2019年4月2日\n2020928\n某某行动方案").issued_on.isoformat() == "2019-04-02"


def test_a_number_that_lost_its_brackets_and_hao_alone_on_its_line():
    text = "某市人民政府文件\n某政办发20193\n某市人民政府办公室\n关于印发《某市控烟行动方案》的通知\n各区人民政府：\n现将方案印发给你们。\n"
    proposal = parse_plan(text)
    assert proposal.document_number == "某政办发〔2019〕3号"
    # In a sentence, or too long to be a number, it is not one.
    assert find_document_number(["根据某政办发20193文件"]) is None
    assert find_document_number(["发展规划2019123456"]) is None


def test_a_unit_in_brackets_is_not_a_gloss():
    assert clean_lines("新建道路长度(km)") == ["新建道路长度(km)"]


def test_phase_paragraphs_with_a_time_bracket_and_one_throughout():
    text = ("五、实施步骤\n（一）动员部署阶段（时间：从3月1日至3月15日）\n制定方案。\n"
            "（二）集中整治阶段（时间：从3月16日至10月31日）\n全面整治。\n（三）巩固提高阶段（贯穿活动全过程）\n建立长效机制。")
    proposal = parse_plan(text, year=2021)
    assert [(p.name, p.start and p.start.isoformat(), p.end and p.end.isoformat()) for p in proposal.phases] == [
        ("动员部署阶段", "2021-03-01", "2021-03-15"),
        ("集中整治阶段", "2021-03-16", "2021-10-31"),
        ("巩固提高阶段", None, None),
    ]
    assert not any("巩固提高阶段" in w for w in proposal.warnings)


def test_an_issue_date_glued_to_the_signature_or_to_the_publication_note():
    for signature in ("某区人民政府2019年3月9日", "某区人民政府\n2019年3月9日(此件公开发布)"):
        proposal = parse_plan(f"{signature}\n某区优化营商环境实施方案\n一、总体要求\n坚持创新。")
        assert proposal.issued_on.isoformat() == "2019-03-09"


def test_dates_without_a_year_take_the_stated_periods_and_say_so():
    proposal = parse_plan("一、活动时间\n活动时间2015年8月1日至8月31日。\n二、步骤\n（一）清理阶段（8月1日至8月10日）\n清理。")
    assert proposal.phases[0].start.isoformat() == "2015-08-01"
    assert any("活动时间中的年份 2015" in w for w in proposal.warnings)


def test_a_row_of_page_buttons_is_furniture_not_the_addressees():
    from imports.parser.text import clean_lines, realign

    lines = clean_lines("【打印】 【字体:\n各地级以上市人民政府，省政府各部门：\n【打印本页】【关闭窗口】\n正文【重要】内容")
    assert lines == ["各地级以上市人民政府，省政府各部门：", "正文【重要】内容"]


def test_a_line_read_one_byte_out_of_step_gets_its_list_number_back():
    # "　（七）抓緊推進項目建設。" in GBK, its first byte lost, read as GBK again.
    assert realign("?。ㄆ撸┳ゾo推進項目建設。") == "（七）抓緊推進項目建設。"
    assert clean_lines("?。ㄆ撸┳ゾo推進項目建設。(牽頭單位:市建委)") == ["（七）抓緊推進項目建設。(牽頭單位:市建委)"]
    # A character the slip left unreadable stays marked.
    assert realign("?。ㄒ唬┘忧孔橹�领导。") == "（一）加强组�领导。"
    # Lines that read as they are, or that no re-reading gives a list number, stay.
    for line in ("?为什么要开展此项工作", "（一）加强组织领导。", "?。ǘ�）規範佔道經營。"):
        assert realign(line) == line


def test_a_masked_year_in_full_width_digits_takes_the_year_given():
    from imports.parser.dates import DateContext, find_date_range

    ctx = DateContext(default_year=None, warnings=[], given_year=2017)
    assert find_date_range("２０１＊年3月至２０１＊年12月", ctx, "阶段") == (dt.date(2017, 3, 1), dt.date(2017, 12, 31))
    assert not ctx.warnings
