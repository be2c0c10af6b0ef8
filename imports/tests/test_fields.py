"""Every field the plan has reaches the campaign (主送单位, 指导思想, 工作目标,
工作要求, each phase's 主要工作), and the campaign's span can always be set:
from its phases, from its title, or from the dates a person gives."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from campaigns.tests.factories import MembershipFactory, UnitFactory
from imports.parser.span import title_span
from imports.reading import propose
from imports.services import DraftRefused, SpanMissing, create_draft_campaign
from reports.models import ReportingRule
from tasks.models import Indicator, Task

from .files import PLANS, confirm_post_data, sample_text

EXPECTED = Path(__file__).parent / "expected"
MODELS = [Campaign, Phase, Task, ReportingRule, Indicator, LeadingGroupMember, Unit]
NEW_KEYS = {"addressees", "guiding_principle", "goals", "requirements", "starts_on", "ends_on"}

GUIDING_PRINCIPLE = (
    "以党的十八大和十八届四中、五中全会精神为指导，深入贯彻落实习近平总书记系列重要讲话精神，全面推进依法治国方略，"
    "以培育和践行社会主义核心价值观为核心，以推进文明郑州建设为目标，在全区卫生系统持续深入推进文明执法活动，"
    "大力开展普法宣传工作，推荐和表彰一批先进典型，不断提升本系统文明执法水平，为我区卫生事业又好又快发展营造良好环境。"
)
GOALS = (
    "按照市委、市政府和市卫计委的整体要求，结合全区卫生系统实际，确定本次活动按照“统筹协调、分步推进、长效常态”"
    "的工作思路，力争经过三年努力，基本消除全区卫生系统不文明执法现象，实现行政执法人员文明礼仪素养、思想道德素养、"
    "科学文化素养、身心健康素养、民主法治素养的显著提高，文明执法能力全面提升。具体分三个阶段实施，实现三个目标："
)
REQUIREMENTS = "\n".join([
    "区卫生监督所要结合工作实际，把文明执法素养提升活动摆上重要议程，作为一项重要工作，持续深入推进，确保抓出实效，"
    "充分展示本系统执法人员的良好精神面貌。",
    "1、组织领导。区卫计委成立全区卫生系统文明执法活动领导小组，领导小组由区卫计委主任、党委书记张彦军任组长、"
    "委领导班子其他成员任副组长。活动领导小组办公室设在委公卫科，李蓉副主任兼任办公室主任。"
    "活动领导小组办公室承担活动的日常工作并负责协调、监督文明执法活动的整体推进。",
    "2、抓好活动落实。区卫生监督所要按照方案要求，结合本单位工作实际，细化方案，认真实施，采取扎实有效的工作措施，"
    "认真组织开展好文明执法系列活动。要抓住工作重点，明确责任分工，建立工作台帐，有力有序推进工作，确保取得人民满意的效果。",
    "3、加强督导检查。区卫计委将适时进行督查暗访，进行通报，推动活动深入开展，并将活动开展情况纳入年度考核内容。",
    "4、加大宣传力度。充分运用各种媒体，大力宣传文明执法活动中的好经验、好做法，营造良好的舆论宣传氛围，"
    "积极配合和参与本系统开展的文明执法的各项重大活动，并把重大活动报道好、宣传好。",
    "5、及时报送工作开展情况。区卫生监督所要确定一名活动联络员，每周2下午下班前把本单位开展文明执法活动情况及有关"
    "宣传报道稿件一并报送。每月19日前报送本单位开展文明执法活动情况小节。",
    "邮箱：fangbaoke@126.com",
    "联系人：樊丽娜",
    "联系电话：66213720",
])
PHASE_WORK = [
    "研究制定卫生系统加强文明执法实施方案，分解任务，落实责任，完善机制；系统内执法单位制定具体工作计划，推进相应工作；"
    "开展文明执法宣传教育活动，营造舆论氛围，提高行政执法人员的思想认识水平和自觉践行意识；持续开展集中整治行动，"
    "力争使系统内各执法单位不文明执法现象有明显改善、不文明执法行为得到明显遏制。",
    "在巩固教育治理成果的基础上，全面深化文明礼仪素养、思想道德素养、科学文化素养、身心健康素养、民主法治素养宣传教育活动，"
    "明确工作重点，增强渗透力度，推进系统内行政执法人员文明执法素养整体上水平、见实效。",
    "总结经验，完善规章制度，建立长效常态的管理、激励机制，实现系统内行政执法人员文明执法大提升目标。",
]


def plan_without_phases(title):
    """A plan with tasks but no phases: its span can come only from its title."""
    return f"""各县（市、区）人民政府，市直各单位：
{title}
为推进全市卫生健康工作高质量发展，结合实际，制定本方案。
一、指导思想
坚持以人民健康为中心，推动卫生健康事业高质量发展。
二、工作目标
群众满意度达到90%以上。
三、主要任务
（一）整治农贸市场环境卫生。
责任单位：市市场监管局
（二）开展健康知识进社区活动。
责任单位：市卫健委
四、保障措施
各单位每月5日前报送上月工作进展。
"""


def run_json(path, *args):
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


# ------------------------------------------------------------- the parser


def test_the_sample_gives_what_it_gave_plus_the_new_fields():
    data = run_json(PLANS / "guancheng-2016-sample.txt")
    before = json.loads((EXPECTED / "guancheng-2016-sample.json").read_text(encoding="utf-8"))
    assert set(data) == set(before) | NEW_KEYS
    unchanged = {key: value for key, value in data.items() if key in before}
    unchanged["phases"] = [{k: v for k, v in phase.items() if k != "description"} for phase in data["phases"]]
    # The weekly and monthly rules carry the fields other cadences use, at their defaults.
    rules = data["reporting_rules"]
    assert [(r["month_offset"], r["due_on"], r["days_after"], r["month_in_quarter"]) for r in rules] == [
        (0, None, 0, None)
    ] * len(before["reporting_rules"])
    new_rule_keys = ("month_offset", "due_on", "name", "days_after", "month_in_quarter")
    unchanged["reporting_rules"] = [{k: v for k, v in r.items() if k not in new_rule_keys} for r in rules]

    # Tasks carry their deadline (任务督办); the sample's items state none.
    def without_deadline(tasks):
        assert all(task["due_on"] is None for task in tasks)
        return [
            {**{k: v for k, v in task.items() if k != "due_on"}, "children": without_deadline(task["children"])}
            for task in tasks
        ]

    unchanged["tasks"] = without_deadline(data["tasks"])
    assert unchanged == before

    assert data["addressees"] == "区卫生监督所，机关各相关科室"
    assert data["guiding_principle"] == GUIDING_PRINCIPLE
    assert data["goals"] == GOALS
    assert data["requirements"] == REQUIREMENTS
    assert [phase["description"] for phase in data["phases"]] == PHASE_WORK
    assert (data["starts_on"], data["ends_on"]) == ("2016-01-01", "2018-12-31")


def test_phase_work_after_a_bracketed_date_and_a_notice_title_before_the_addressees():
    data = run_json(PLANS / "wenming-chengshi-2019.txt")
    assert data["addressees"] == "各街道办事处，区直各有关单位"
    assert [phase["description"] for phase in data["phases"]] == [
        "成立机构，制定方案，动员部署。",
        "对照测评体系逐项整改。",
        "查漏补缺，迎接测评。",
    ]
    assert data["goals"] == "通过三年努力，全区主要测评指标达到全国文明城区标准，群众对创建工作的支持率达到95%以上。"
    assert data["guiding_principle"] is None


def test_sections_nested_under_a_heading_and_phases_with_their_own_paragraphs():
    proposal = propose(
        "某某区2021年爱国卫生运动实施方案\n"
        "一、总体要求\n"
        "（一）指导思想。以习近平新时代中国特色社会主义思想为指导，坚持预防为主。\n"
        "（二）工作目标\n"
        "到2021年底，病媒生物密度控制水平达到C级以上。\n"
        "二、实施步骤\n"
        "（一）动员部署阶段（2021年3月1日—3月31日）\n"
        "主要任务：制定方案，召开动员会。\n"
        "（二）集中整治阶段（2021年4月1日—11月30日）\n"
        "全面开展环境整治。\n"
        "三、主要任务\n"
        "（一）开展城乡环境卫生整治。\n"
        "责任单位：区城管局\n"
        "四、保障措施\n"
        "（一）加强组织领导。\n"
        "（二）强化督导检查。区爱卫办每月通报。\n"
    ).to_dict()
    assert proposal["guiding_principle"] == "以习近平新时代中国特色社会主义思想为指导，坚持预防为主。"
    assert proposal["goals"] == "到2021年底，病媒生物密度控制水平达到C级以上。"
    assert proposal["requirements"] == "（一）加强组织领导。\n（二）强化督导检查。区爱卫办每月通报。"
    assert [p["description"] for p in proposal["phases"]] == ["制定方案，召开动员会。", "全面开展环境整治。"]
    assert (proposal["starts_on"], proposal["ends_on"]) == ("2021-03-01", "2021-11-30")


def test_the_last_section_stops_before_the_attachments_and_the_signature():
    data = run_json(PLANS / "zhuanxiang-web-copy.txt")
    assert data["requirements"].endswith("6月10日前报送总结。")
    assert "城关县市场监督管理局" not in data["requirements"]


@pytest.mark.parametrize(
    "title, span",
    [
        ("全市2023年卫生健康重点工作实施方案", ("2023-01-01", "2023-12-31")),
        ("全市卫生系统文明执法素养提升三年行动方案（2016—2018）", ("2016-01-01", "2018-12-31")),
        ("全市2016—2018年卫生系统文明执法素养提升实施方案", ("2016-01-01", "2018-12-31")),
        ("全市“十四五”卫生健康事业发展实施方案", ("2021-01-01", "2025-12-31")),
    ],
)
def test_a_plan_without_phases_takes_its_span_from_the_title(title, span):
    proposal = propose(plan_without_phases(title)).to_dict()
    assert proposal["phases"] == []
    assert (proposal["starts_on"], proposal["ends_on"]) == span
    assert f"已按标题推断活动起止日期为 {span[0]} 至 {span[1]}" in " ".join(proposal["warnings"])
    assert proposal["addressees"] == "各县（市、区）人民政府，市直各单位"
    assert proposal["guiding_principle"] == "坚持以人民健康为中心，推动卫生健康事业高质量发展。"
    assert proposal["requirements"] == "各单位每月5日前报送上月工作进展。"


def test_addressees_on_two_lines_after_the_document_number():
    text = plan_without_phases("全市2023年卫生健康重点工作实施方案").replace(
        "各县（市、区）人民政府，市直各单位：\n", "X市人民政府文件\nX政〔2023〕5号\n各县（市、区）人民政府，\n市直各单位：\n"
    )
    assert propose(text).addressees == "各县（市、区）人民政府，市直各单位"


def test_a_title_with_no_year_gives_no_span():
    assert title_span("全市卫生健康工作实施方案") is None
    assert title_span("XX县“清风行动”实施方案（201*年）") is None
    proposal = propose(plan_without_phases("全市卫生健康工作实施方案")).to_dict()
    assert (proposal["starts_on"], proposal["ends_on"]) == (None, None)
    assert "请填写活动的开始日期和结束日期" in " ".join(proposal["warnings"])


# ------------------------------------------------------------- the draft


@pytest.mark.django_db
def test_the_draft_holds_the_plans_prose_and_phase_work():
    office = UnitFactory(name="办公室")
    proposal = propose(sample_text()).to_dict()
    campaign = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign
    campaign.refresh_from_db()
    assert campaign.addressees == "区卫生监督所，机关各相关科室"
    assert campaign.guiding_principle == GUIDING_PRINCIPLE
    assert campaign.goals == GOALS
    assert campaign.requirements == REQUIREMENTS
    assert list(campaign.phases.values_list("description", flat=True)) == PHASE_WORK
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))


@pytest.mark.django_db
def test_the_service_reads_the_title_when_no_dates_are_given():
    office = UnitFactory(name="办公室")
    proposal = propose(plan_without_phases("全市2023年卫生健康重点工作实施方案")).to_dict()
    proposal["starts_on"] = proposal["ends_on"] = None
    result = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert (result.campaign.starts_on, result.campaign.ends_on) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert "提示：方案没有分阶段，活动起止日期按标题推断为 2023-01-01 至 2023-12-31，请核对。" in result.summary_lines()


@pytest.mark.django_db
def test_the_service_refuses_without_a_span_and_names_the_missing_date():
    office = UnitFactory(name="办公室")
    proposal = propose(plan_without_phases("全市卫生健康工作实施方案")).to_dict()
    before = counts()
    with pytest.raises(SpanMissing, match="没有找到活动的开始日期和结束日期") as refused:
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert refused.value.missing == ["开始日期", "结束日期"]
    proposal["starts_on"] = "2024-03-01"
    with pytest.raises(SpanMissing, match="没有找到活动的结束日期"):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    proposal["ends_on"] = "2024-01-31"
    with pytest.raises(DraftRefused, match="活动结束日期（2024-01-31）早于开始日期（2024-03-01）"):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before


# ------------------------------------------------------------- the command


@pytest.fixture
def plan_file(tmp_path):
    def write(title):
        path = tmp_path / "plan.txt"
        path.write_text(plan_without_phases(title), encoding="utf-8")
        return path

    return write


@pytest.mark.django_db
def test_the_command_creates_a_plan_without_phases_over_its_titles_years(plan_file):
    UnitFactory(name="市卫健委办公室")
    out = StringIO()
    call_command("import_plan", str(plan_file("全市“十四五”卫生健康事业发展实施方案")), "--office-unit", "市卫健委办公室", stdout=out)
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    assert "活动起止日期按标题推断为 2021-01-01 至 2025-12-31" in out.getvalue()
    assert campaign.addressees == "各县（市、区）人民政府，市直各单位"


@pytest.mark.django_db
def test_the_command_without_any_dates_says_which_to_give_and_creates_nothing(plan_file):
    UnitFactory(name="市卫健委办公室")
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_plan", str(plan_file("全市卫生健康工作实施方案")), "--office-unit", "市卫健委办公室", stdout=StringIO())
    message = str(refused.value)
    assert "没有找到活动的开始日期和结束日期" in message
    assert "--starts-on YYYY-MM-DD 和 --ends-on YYYY-MM-DD" in message and "未创建任何数据" in message
    assert "\n" not in message
    assert counts() == before


@pytest.mark.django_db
def test_the_command_takes_the_span_from_starts_on_and_ends_on(plan_file):
    UnitFactory(name="市卫健委办公室")
    path = plan_file("全市卫生健康工作实施方案")
    data = run_json(path, "--starts-on", "2024-03-01", "--ends-on", "2024-11-30")
    assert (data["starts_on"], data["ends_on"]) == ("2024-03-01", "2024-11-30")
    call_command(
        "import_plan", str(path), "--office-unit", "市卫健委办公室",
        "--starts-on", "2024-03-01", "--ends-on", "2024-11-30", stdout=StringIO(),
    )
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2024, 3, 1), dt.date(2024, 11, 30))
    assert campaign.reporting_rules.get().starts_on == dt.date(2024, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--starts-on", "2024-02-30", "--ends-on", "2024-11-30"], "--starts-on 的日期“2024-02-30”无效，请按 2016-01-01 的格式填写。"),
        (["--starts-on", "2024-03-01", "--ends-on", "明年"], "--ends-on 的日期“明年”无效，请按 2016-01-01 的格式填写。"),
        (["--starts-on", "2024-03-01", "--ends-on", "2024-01-31"], "--ends-on（2024-01-31）早于 --starts-on（2024-03-01），请更正。"),
    ],
)
def test_bad_dates_give_one_chinese_line_and_create_nothing(plan_file, args, message):
    UnitFactory(name="市卫健委办公室")
    before = counts()
    for dry_run in ([], ["--dry-run"]):
        with pytest.raises(CommandError) as refused:
            call_command(
                "import_plan", str(plan_file("全市卫生健康工作实施方案")), "--office-unit", "市卫健委办公室",
                *args, *dry_run, stdout=StringIO(),
            )
        assert str(refused.value) == message
    assert counts() == before


# ------------------------------------------------------------- the preview


@pytest.fixture
def office_unit():
    return UnitFactory(name="区卫计委公共卫生科", short_name="公卫科", parent=UnitFactory(name="区卫计委"))


@pytest.fixture
def clerk(client, office_unit):
    user = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF).user
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_preview_shows_the_prose_for_editing(client, clerk):
    response = client.post(reverse("imports:preview"), {"text": sample_text()})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["guiding_principle"] == GUIDING_PRINCIPLE
    assert form.initial["addressees"] == "区卫生监督所，机关各相关科室"
    # With phases, the phases' dates decide the campaign's span.
    assert "starts_on" not in form.initial
    page = response.content.decode()
    assert 'name="guiding_principle"' in page and GUIDING_PRINCIPLE in page
    assert 'name="requirements"' in page and 'name="phase_0_description"' in page
    assert 'name="starts_on"' in page and 'name="ends_on"' in page
    assert PHASE_WORK[0] in page


@pytest.mark.django_db
def test_confirming_with_edited_guiding_principle_phase_work_and_dates(client, clerk, office_unit):
    data = confirm_post_data(text=sample_text(), office_unit=office_unit)
    data.update({
        "guiding_principle": "以习近平新时代中国特色社会主义思想为指导。",
        "phase_1_description": "巩固成果。",
        "starts_on": "2015-12-01",
        "ends_on": "2019-01-31",
    })
    response = client.post(reverse("imports:confirm"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.guiding_principle == "以习近平新时代中国特色社会主义思想为指导。"
    assert campaign.goals == GOALS and campaign.requirements == REQUIREMENTS
    assert list(campaign.phases.values_list("description", flat=True)) == [PHASE_WORK[0], "巩固成果。", PHASE_WORK[2]]
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2015, 12, 1), dt.date(2019, 1, 31))


@pytest.mark.django_db
def test_typed_dates_that_leave_a_phase_outside_are_refused_in_the_preview(client, clerk, office_unit):
    data = confirm_post_data(text=sample_text(), office_unit=office_unit)
    data.update({"starts_on": "2016-03-01", "ends_on": "2018-11-30"})
    before = counts()
    response = client.post(reverse("imports:confirm"), data)
    assert response.status_code == 200
    assert "阶段“教育治理年、规范深化年”的日期超出了活动起止日期" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_a_plan_without_dates_is_confirmed_once_the_clerk_gives_them(client, clerk, office_unit):
    text = plan_without_phases("全市卫生健康工作实施方案")
    data = confirm_post_data(text=text, office_unit=office_unit)
    assert (data["starts_on"], data["ends_on"]) == ("", "")
    before = counts()
    response = client.post(reverse("imports:confirm"), data)
    assert response.status_code == 200
    assert "没有找到活动的开始日期和结束日期" in response.content.decode()
    assert counts() == before

    response = client.post(reverse("imports:confirm"), {**data, "starts_on": "2024-03-01", "ends_on": "2024-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert counts() == before

    response = client.post(reverse("imports:confirm"), {**data, "starts_on": "2024-03-01", "ends_on": "2024-12-31"})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2024, 3, 1), dt.date(2024, 12, 31))


@pytest.mark.django_db
def test_the_preview_fills_in_the_span_read_from_the_title(client, clerk):
    response = client.post(reverse("imports:preview"), {"text": plan_without_phases("全市2023年卫生健康重点工作实施方案")})
    form = response.context["form"]
    assert (form.initial["starts_on"], form.initial["ends_on"]) == ("2023-01-01", "2023-12-31")
    assert "已按标题推断活动起止日期为 2023-01-01 至 2023-12-31" in response.content.decode()
