"""A plan's particulars (title, 文号, issue date, phases) read from the page
furniture, scripts and layouts that real copies come in; snippets, not plans."""

from imports.parser import parse_plan
from imports.parser.text import clean_lines


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
