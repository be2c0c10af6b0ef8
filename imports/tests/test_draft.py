"""The confirmed proposal becomes a draft campaign: the service, unit
matching, and `import_plan` without --dry-run."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory
from imports.matching import candidates, match_unit, match_units, unit_names
from imports.reading import propose
from imports.services import DraftRefused, create_draft_campaign
from reports.models import ReportingRule
from tasks.models import Indicator, Task

from .files import PLANS, sample_text

pytestmark = pytest.mark.django_db

MODELS = [Campaign, Phase, Task, ReportingRule, Indicator, LeadingGroupMember, Unit]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def sample_proposal():
    return propose(sample_text()).to_dict()


# ------------------------------------------------------------ matching


def test_matching_order_exact_short_containment_similar():
    units = [
        UnitFactory(name="区卫生监督所", short_name="监督所"),
        UnitFactory(name="中共新华区委宣传部", short_name="宣传部"),
        UnitFactory(name="区城市管理局", short_name="城管局"),
    ]
    found = candidates()
    exact = match_unit("区卫生监督所", found)
    assert (exact.unit_id, exact.score, exact.how) == (units[0].pk, 1.0, "名称相同")
    short = match_unit("城管局", found)
    assert (short.unit_id, short.how) == (units[2].pk, "与简称相同")
    contained = match_unit("区委宣传部", found)
    assert contained.unit_id == units[1].pk and contained.how == "名称包含"
    assert 0.8 < contained.score < 1
    similar = match_unit("区城市管理执法局", found)
    assert similar.unit_id == units[2].pk
    unknown = match_unit("区交通运输局", found)
    assert (unknown.unit_id, unknown.how) == (None, "未找到，建议新建")


def test_unit_names_of_a_tree_in_order_of_mention():
    tree = [
        {"lead_units": ["A局"], "co_units": ["B局"], "children": [{"lead_units": ["C局", "A局"], "co_units": []}]},
        {"lead_units": ["B局"], "co_units": [], "children": []},
    ]
    assert unit_names(tree) == ["A局", "B局", "C局"]


# ------------------------------------------------------------- service


def test_unknown_units_are_created_and_extra_leads_become_co_units():
    office = UnitFactory(name="区城管局办公室")
    existing = UnitFactory(name="区城市管理局", short_name="区城管局")
    proposal = propose((PLANS / "wenming-chengshi-2019.txt").read_text(encoding="utf-8")).to_dict()
    matches = match_units(unit_names(proposal["tasks"]))
    assert matches["区城管局"].unit_id == existing.pk
    assert matches["区住建局"].unit_id is None

    result = create_draft_campaign(
        proposal=proposal, unit_matches={n: m.unit_id for n, m in matches.items()}, by=None, office_unit=office
    )

    campaign = result.campaign
    assert set(result.new_units) == {n for n, m in matches.items() if m.unit_id is None}
    assert Unit.objects.filter(name="区住建局").exists()
    task2 = campaign.tasks.get(parent=None, position=2)
    assert task2.lead_unit == existing
    assert set(task2.co_units.values_list("name", flat=True)) == {"区住建局", "区交通局"}
    # 责任单位：区委宣传部、区文明办、各街道办事处 - one lead, the other supports; the
    # collective 各街道办事处 is no unit.
    task1 = campaign.tasks.get(parent=None, position=1)
    assert task1.lead_unit.name == "区委宣传部"
    assert set(task1.co_units.values_list("name", flat=True)) == {"区文明办"}
    assert not Unit.objects.filter(name="各街道办事处").exists()
    assert any("牵头单位" in note for note in result.notes)
    assert [c.title for c in task1.children.order_by("position")] == [
        "深入开展社会主义核心价值观宣传教育，做到进社区、进学校、进企业",
        "广泛开展“讲文明树新风”公益广告宣传",
        "推进移风易俗，倡导文明婚丧礼俗",
    ]
    assert list(campaign.indicators.values_list("name", "target_value", "comparison")) == [("支持率", 95, "gte")]


def test_masked_year_refuses_until_the_dates_are_filled_in():
    office = UnitFactory(name="县纪委办公室")
    # No year given: the masked 201* leaves the dates to the clerk.
    proposal = propose((PLANS / "qingfeng-masked-year.txt").read_text(encoding="utf-8")).to_dict()
    assert proposal["phases"][0]["start"] is None
    before = counts()

    with pytest.raises(DraftRefused, match="宣传发动.*缺少起止日期"):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before

    for phase, (start, end) in zip(
        proposal["phases"], [("2017-03-01", "2017-03-31"), ("2017-04-01", "2017-10-31"), ("2017-11-01", "2017-12-31")]
    ):
        phase["start"], phase["end"] = start, end
    campaign = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2017, 3, 1), dt.date(2017, 12, 31))


def test_a_rule_without_its_day_refuses_and_writes_nothing():
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    proposal["reporting_rules"][1]["day_of_month"] = None
    before = counts()
    with pytest.raises(DraftRefused, match="每月几日"):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before
    proposal["reporting_rules"][1]["skip"] = True
    campaign = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign
    assert list(campaign.reporting_rules.values_list("cadence", flat=True)) == ["weekly"]


def test_quarterly_yearly_and_one_off_rules_become_rules_of_the_campaign():
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    base = {"weekday": None, "time": "17:30"}
    proposal["reporting_rules"] = [
        {**base, "cadence": "quarterly", "day_of_month": 10, "month_offset": 1, "text": "每季度结束后10日内报送季度进展"},
        {**base, "cadence": "yearly", "day_of_month": 20, "month_offset": 0, "text": "12月20日前报送年度总结", "name": "年度工作总结"},
        {**base, "cadence": "once", "day_of_month": 15, "due_on": "2016-07-15", "text": "7月15日前报送检查情况", "name": "检查情况"},
    ]
    campaign = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign
    rules = {rule.name: rule for rule in campaign.reporting_rules.all()}
    assert sorted(rules) == ["季报", "年度工作总结", "检查情况"]
    # The last quarter is reported after the campaign ends: the rule runs on to that deadline.
    assert rules["季报"].ends_on == dt.date(campaign.ends_on.year + 1, 1, 10) > campaign.ends_on
    assert (rules["季报"].day_of_month, rules["季报"].month_offset) == (10, 1)
    assert rules["年度工作总结"].ends_on == campaign.ends_on
    once = rules["检查情况"]
    assert (once.starts_on, once.ends_on, once.day_of_month) == (campaign.starts_on, dt.date(2016, 7, 15), None)


def test_phase_and_campaign_reports_run_to_their_days_after_the_campaign():
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    base = {"weekday": None, "day_of_month": None, "time": "17:30", "month_offset": 0}
    proposal["reporting_rules"] = [
        {**base, "cadence": "phase_end", "days_after": 5, "text": "每阶段结束后5日内报送阶段小结", "name": "阶段小结"},
        {**base, "cadence": "campaign_end", "days_after": 10, "text": "活动结束后10日内报送工作总结"},
    ]
    campaign = create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign
    rules = {rule.name: rule for rule in campaign.reporting_rules.all()}
    assert sorted(rules) == ["工作总结", "阶段小结"]
    assert [(r.cadence, r.days_after, r.starts_on, r.ends_on) for r in (rules["阶段小结"], rules["工作总结"])] == [
        ("phase_end", 5, campaign.starts_on, campaign.ends_on + dt.timedelta(days=5)),
        ("campaign_end", 10, campaign.starts_on, campaign.ends_on + dt.timedelta(days=10)),
    ]


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"cadence": "campaign_end", "days_after": 91}, "结束后报送天数“91”无效"),
        ({"cadence": "campaign_end", "days_after": "十"}, "结束后报送天数“十”无效"),
        ({"cadence": "phase_end", "days_after": 5, "phases": []}, "方案没有阶段日期"),
    ],
)
def test_a_phase_or_campaign_report_that_cannot_be_scheduled_refuses_and_writes_nothing(rule, message):
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    if "phases" in rule:
        proposal["phases"], proposal["starts_on"], proposal["ends_on"] = [], "2017-03-01", "2017-12-31"
    proposal["reporting_rules"] = [
        {"weekday": None, "day_of_month": None, "time": None, "text": "报送总结", "cadence": rule["cadence"], "days_after": rule["days_after"]}
    ]
    before = counts()
    with pytest.raises(DraftRefused, match=message):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before


@pytest.mark.parametrize(
    "due_on, message",
    [(None, "没有截止日期"), ("2015-01-01", "早于活动开始日期"), ("2016-02-30", "不是有效日期")],
)
def test_a_one_off_rule_without_a_good_deadline_refuses_and_writes_nothing(due_on, message):
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    proposal["reporting_rules"] = [{"cadence": "once", "weekday": None, "day_of_month": None, "time": None, "due_on": due_on, "text": "报送检查情况"}]
    before = counts()
    with pytest.raises(DraftRefused, match=message):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before


def test_a_failure_late_in_the_transaction_leaves_nothing(monkeypatch):
    office = UnitFactory(name="办公室")
    proposal = sample_proposal()
    before = counts()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(LeadingGroupMember.objects, "create", explode)
    with pytest.raises(RuntimeError):
        create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office)
    assert counts() == before


# ------------------------------------------------- the command, writing


def test_command_creates_the_draft_in_the_office_unit():
    office = UnitFactory(name="区卫计委公共卫生科", short_name="公卫科", parent=UnitFactory(name="区卫计委"))
    out = StringIO()
    call_command("import_plan", str(PLANS / "guancheng-2016-sample.txt"), "--office-unit", "公卫科", stdout=out)
    campaign = Campaign.objects.get()
    assert campaign.office_unit == office and campaign.status == Campaign.Status.DRAFT
    assert campaign.issuing_unit.name == "区卫计委"
    assert campaign.tasks.count() == 6
    assert "已创建草稿活动" in out.getvalue()
    assert "新建单位 1 个：区卫生监督所" in out.getvalue()


def test_command_defaults_to_the_only_unit_with_office_staff():
    membership = MembershipFactory(role=Membership.Role.OFFICE_STAFF)
    call_command("import_plan", str(PLANS / "guancheng-2016-sample.txt"), stdout=StringIO())
    assert Campaign.objects.get().office_unit == membership.unit


def test_command_without_an_office_unit_refuses():
    MembershipFactory(role=Membership.Role.OFFICE_STAFF)
    MembershipFactory(role=Membership.Role.OFFICE_STAFF)
    with pytest.raises(CommandError, match="--office-unit"):
        call_command("import_plan", str(PLANS / "guancheng-2016-sample.txt"), stdout=StringIO())
    assert not Campaign.objects.exists()


def test_command_with_masked_dates_refuses_without_writing():
    UnitFactory(name="县纪委办公室")
    before = counts()
    with pytest.raises(CommandError, match="缺少起止日期.*未创建任何数据"):
        call_command(
            "import_plan", str(PLANS / "qingfeng-masked-year.txt"), "--office-unit", "县纪委办公室", stdout=StringIO()
        )
    assert counts() == before


def test_history_records_who_confirmed():
    office = UnitFactory(name="办公室")
    clerk = UserFactory(username="clerk")
    campaign = create_draft_campaign(proposal=sample_proposal(), unit_matches={}, by=clerk, office_unit=office).campaign
    assert campaign.history.first().history_user == clerk


def test_two_targets_for_one_figure_are_both_kept():
    office = UnitFactory(name="区卫健局办公室")
    proposal = propose((PLANS / "wenming-chengshi-2019.txt").read_text(encoding="utf-8")).to_dict()
    proposal["targets"] = [
        {"name": "农村卫生厕所普及率", "value": 85, "unit": "%", "comparison": "gte"},
        {"name": "农村卫生厕所普及率", "value": 90, "unit": "%", "comparison": "gte"},
    ]
    matches = match_units(unit_names(proposal["tasks"]))
    campaign = create_draft_campaign(
        proposal=proposal, unit_matches={n: m.unit_id for n, m in matches.items()}, by=None, office_unit=office
    ).campaign
    assert list(campaign.indicators.values_list("name", "target_value")) == [
        ("农村卫生厕所普及率", 85),
        ("农村卫生厕所普及率（2）", 90),
    ]
