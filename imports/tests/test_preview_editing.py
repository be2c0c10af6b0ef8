"""The preview is a proposal the clerk edits: phases, tasks, rules, targets
and the leading group are added, removed, reordered and corrected on the
page (without JavaScript, each change is a round trip), and 确认 writes
exactly what the page shows."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from campaigns.tests.factories import MembershipFactory, UnitFactory
from reports.models import ReportingRule
from tasks.models import Indicator, Task

from .files import PLANS

pytestmark = pytest.mark.django_db

MODELS = [Campaign, Phase, Task, ReportingRule, Indicator, LeadingGroupMember, Unit]
PLAN = (PLANS / "wenming-chengshi-2019.txt").read_text(encoding="utf-8")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class ConfirmFormFields(HTMLParser):
    """What a browser posts from the page's 确认 form when nothing is clicked
    but the submit button: text, date and hidden inputs, checked boxes,
    textareas and each select's selected option."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.data = action, False, {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = "on"
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""
        elif tag == "select":
            self.select = name
            self.data[name] = ""
            self.first_option = True
        elif tag == "option" and self.select:
            if "selected" in attrs or self.first_option:
                self.data[self.select] = attrs.get("value", "")
            self.first_option = False

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def posted(response):
    fields = ConfirmFormFields(reverse("imports:confirm"))
    fields.feed(response.content.decode())
    if fields.data.get("payload") is None:
        raise AssertionError("the page has no 确认 form")
    # A textarea's first newline is the template's, not the value's.
    return {name: value[1:] if value.startswith("\n") else value for name, value in fields.data.items()}


@pytest.fixture
def office_unit():
    return UnitFactory(name="新华区文明办", short_name="区文明办")


@pytest.fixture
def clerk(client, office_unit):
    user = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF, user__username="wangfang").user
    client.force_login(user)
    return user


@pytest.fixture
def education():
    return UnitFactory(name="新华区教育局", short_name="区教育局")


def preview(client):
    response = client.post(reverse("imports:preview"), {"text": PLAN})
    assert response.status_code == 200
    return response


def titles(tasks):
    return [(task["code"], task["title"]) for task in tasks]


def test_the_clerk_edits_the_lists_and_the_draft_holds_exactly_the_edited_proposal(client, clerk, office_unit, education):
    data = posted(preview(client))
    assert data["task_4_title"] == "优化城市环境秩序" and data["target_0_name"] == "支持率"
    data.update({
        # A fourth phase in the blank 新增 row.
        "phase_3_name": "长效巩固阶段",
        "phase_3_description": "建立长效机制。",
        "phase_3_start": "2020-01-01",
        "phase_3_end": "2020-03-31",
        # 支持率 is not a figure units will report.
        "target_0_DELETE": "on",
        # The monthly report is due on the 20th, not the 25th.
        "rule_1_day": "20",
        # 推进移风易俗 goes; a sub-task of 加强未成年人思想道德建设 comes, led by 区教育局.
        "task_3_DELETE": "on",
        "new_task_title": "建设校外活动阵地",
        "new_task_lead_units": "区教育局",
        "new_task_co_units": "区文明办，各街道办事处",
        "new_task_parent": "7",
        # 上移 on 优化城市环境秩序.
        "task_move": "4:up",
    })

    shown = client.post(reverse("imports:confirm"), data)

    assert shown.status_code == 200 and not Campaign.objects.exists(), "a round trip writes nothing"
    proposal = shown.context["proposal"]
    assert titles(proposal["tasks"]) == [("1", "优化城市环境秩序"), ("2", "提升市民文明素质"), ("3", "加强未成年人思想道德建设")]
    assert titles(proposal["tasks"][1]["children"]) == [
        ("2.1", "深入开展社会主义核心价值观宣传教育，做到进社区、进学校、进企业"),
        ("2.2", "广泛开展“讲文明树新风”公益广告宣传"),
    ]
    added = proposal["tasks"][2]["children"][-1]
    assert (added["code"], added["title"], added["lead_units"]) == ("3.3", "建设校外活动阵地", ["区教育局"])
    assert added["co_units"] == ["区文明办", "各街道办事处"]
    page = shown.content.decode()
    assert "已按您的修改更新预览" in page and "长效巩固阶段" in page
    # The unit names of the added task are listed for matching, the clerk's choices kept.
    assert "区文明办" in [row["name"] for row in shown.context["unit_rows"]]

    response = client.post(reverse("imports:confirm"), posted(shown))

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert list(campaign.phases.order_by("order").values_list("name", "starts_on", "ends_on")) == [
        ("启动阶段", dt.date(2019, 3, 6), dt.date(2019, 3, 20)),
        ("集中整治阶段", dt.date(2019, 3, 21), dt.date(2019, 10, 31)),
        ("总结迎检阶段", dt.date(2019, 11, 1), dt.date(2019, 12, 31)),
        ("长效巩固阶段", dt.date(2020, 1, 1), dt.date(2020, 3, 31)),
    ]
    assert campaign.ends_on == dt.date(2020, 3, 31)
    assert not Indicator.objects.filter(campaign=campaign).exists()
    assert list(campaign.reporting_rules.order_by("pk").values_list("cadence", "weekday", "day_of_month", "due_time")) == [
        ("weekly", 5, None, dt.time(10, 0)), ("monthly", None, 20, dt.time(17, 30))
    ]
    top = campaign.tasks.filter(parent=None).order_by("position")
    assert list(top.values_list("code", "title")) == [
        ("1", "优化城市环境秩序"), ("2", "提升市民文明素质"), ("3", "加强未成年人思想道德建设")
    ]
    assert top[1].children.count() == 2
    sub = campaign.tasks.get(title="建设校外活动阵地")
    assert (sub.code, sub.parent.title, sub.lead_unit) == ("3.3", "加强未成年人思想道德建设", education)
    assert set(sub.co_units.values_list("name", flat=True)) == {office_unit.name, "各街道办事处"}
    assert campaign.tasks.count() == 3 + 2 + 2 + 3
    assert list(campaign.leading_group.order_by("order").values_list("name", flat=True)) == [
        "周建国", "刘洋", "陈敏", "王芳"
    ]


def test_lists_are_reordered_and_edited_on_confirm_without_a_round_trip(client, clerk, office_unit):
    data = posted(preview(client))
    data.update({
        "member_0_order": "6",  # 组长 last
        "member_4_position": "成员",
        "member_4_name": "区财政局局长",
        "member_4_order": "5",  # after 王芳 (4), before the 组长
        "rule_0_skip": "on",
        "target_1_name": "志愿者注册率",
        "target_1_value": "15",
        "target_1_unit": "%",
        "phase_2_name": "总结验收阶段",
    })
    assert client.post(reverse("imports:confirm"), data).status_code == 302
    campaign = Campaign.objects.get()
    assert list(campaign.leading_group.order_by("order").values_list("name", flat=True)) == [
        "刘洋", "陈敏", "王芳", "区财政局局长", "周建国"
    ]
    assert list(campaign.reporting_rules.values_list("day_of_month", flat=True)) == [25]
    assert list(Indicator.objects.filter(campaign=campaign).order_by("position").values_list("name", "target_value")) == [
        ("支持率", 95), ("志愿者注册率", 15)
    ]
    assert campaign.phases.get(order=3).name == "总结验收阶段"


def test_a_rule_made_quarterly_or_one_off_in_the_preview_becomes_such_a_rule(client, clerk):
    data = posted(preview(client))
    data.update({
        "rule_0_cadence": "once", "rule_0_due_on": "2019-07-15",
        "rule_1_cadence": "quarterly", "rule_1_day": "25", "rule_1_month_offset": "0",
    })
    assert client.post(reverse("imports:confirm"), data).status_code == 302
    rules = Campaign.objects.get().reporting_rules.order_by("name")
    assert [(r.cadence, r.day_of_month, r.month_offset, r.ends_on) for r in rules] == [
        ("once", None, 0, dt.date(2019, 7, 15)),
        ("quarterly", 25, 0, Campaign.objects.get().ends_on),
    ]


def test_a_rule_made_a_phase_or_campaign_report_in_the_preview_becomes_such_a_rule(client, clerk):
    data = posted(preview(client))
    data.update({
        "rule_0_cadence": "phase_end", "rule_0_days_after": "5", "rule_0_weekday": "2",
        "rule_1_cadence": "campaign_end", "rule_1_days_after": "", "rule_1_day": "25",
    })
    assert client.post(reverse("imports:confirm"), data).status_code == 302
    campaign = Campaign.objects.get()
    rules = campaign.reporting_rules.order_by("cadence")
    assert [(r.cadence, r.weekday, r.day_of_month, r.days_after, r.ends_on) for r in rules] == [
        ("campaign_end", None, None, 0, campaign.ends_on),
        ("phase_end", None, None, 5, campaign.ends_on + dt.timedelta(days=5)),
    ]


def test_a_tasks_deadline_is_set_in_the_preview_and_kept_by_the_draft(client, clerk):
    data = posted(preview(client))
    assert data["task_0_due_on"] == ""
    data["task_0_due_on"] = "2019-09-30"
    assert client.post(reverse("imports:confirm"), data).status_code == 302
    first = Task.objects.filter(parent__isnull=True).order_by("tree_path").first()
    assert first.due_on == dt.date(2019, 9, 30)
    assert Task.objects.filter(due_on__isnull=False).count() == 1


BAD_EDITS = [
    ({"task_0_due_on": "2019-13-40"}, "task", 0, "due_on", "请填写正确的日期。"),
    ({"phase_1_end": "2019-03-01"}, "phase", 1, "end", "结束日期不能早于开始日期。"),
    ({"target_0_value": ""}, "target", 0, "value", "请填写目标值（数字），例如 95。"),
    ({"target_1_name": "绿化覆盖率"}, "target", 1, "value", "请填写目标值（数字），例如 95。"),
    ({"rule_1_day": ""}, "rule", 1, "day", "请填写每月报送日（1–31），或勾选“删除（不导入）”。"),
    ({"rule_1_cadence": "once"}, "rule", 1, "due_on", "一次性报送请填写截止日期，或勾选“删除（不导入）”。"),
    ({"rule_1_cadence": "quarterly", "rule_1_month_offset": "-4"}, "rule", 1, "month_offset", "报送月份须在本周期内或周期结束后三个月内。"),
    ({"phase_3_name": "补充阶段", "phase_3_start": "2020-01-01"}, "phase", 3, "end", "请填写新增阶段的起止日期。"),
    ({"rule_1_cadence": "campaign_end", "rule_1_days_after": "91"}, "rule", 1, "days_after", "请填写 0–90 的天数。"),
]


@pytest.mark.parametrize(("edit", "prefix", "row", "field", "message"), BAD_EDITS)
@pytest.mark.parametrize("button", [{}, {"edit": "1"}], ids=["confirm", "refresh"])
def test_bad_input_is_told_at_its_field_and_changes_nothing(client, clerk, edit, prefix, row, field, message, button):
    data = {**posted(preview(client)), **edit, **button, "task_3_DELETE": "on"}
    before = counts()

    response = client.post(reverse("imports:confirm"), data)

    assert response.status_code == 200
    assert counts() == before
    form = response.context["form"]
    rows = {"phase": form.phases.forms, "target": form.targets.forms, "rule": form.rules.forms, "task": form.task_forms}
    assert rows[prefix][row].errors[field] == [message]
    page = response.content.decode()
    assert message in page and "没有创建任何数据" in page
    # Nothing the clerk changed is applied or lost: the page is their post, the proposal as it was.
    assert len(response.context["task_rows"]) == 10
    assert response.context["form"].task_forms[3]["DELETE"].value() is True


def test_a_new_unit_name_is_shown_for_matching_before_anything_is_created(client, clerk, education):
    data = posted(preview(client))
    data["task_8_co_units"] = "区少工委"
    before = counts()

    response = client.post(reverse("imports:confirm"), data)

    assert response.status_code == 200 and counts() == before
    assert "任务中有新的单位名称（区少工委）" in response.content.decode()
    assert "区少工委" in [row["name"] for row in response.context["unit_rows"]]
    assert client.post(reverse("imports:confirm"), posted(response)).status_code == 302
    assert Campaign.objects.get().tasks.get(title="改善校园周边环境").co_units.get().name == "区少工委"


def test_each_item_shows_its_source_paragraph_and_an_added_one_none(client, clerk):
    response = preview(client)
    form = response.context["form"]
    source = {
        name: [row.source_item["source"]["text"] for row in rows.forms[:-1]]
        for name, rows in (("phase", form.phases), ("rule", form.rules), ("target", form.targets), ("member", form.members))
    }
    assert source["phase"][0] == "（一）启动阶段（2019年3月6日至3月20日）。成立机构，制定方案，动员部署。"
    assert source["rule"][1].endswith("每月25日前报送月度工作总结。")
    assert source["target"][0].endswith("群众对创建工作的支持率达到95%以上。")
    # The 组长's paragraph, not the 签发人 line that names him first.
    assert source["member"][0] == "组长：周建国（区委书记）"
    assert all(rows.forms[-1].source_item is None for rows in form.lists()), "the blank 新增 rows"
    page = response.content.decode()
    assert "组长：周建国（区委书记）" in page and "签发人：周建国" not in page.split("方案原文（识别后的段落）")[0]

    data = {**posted(response), "new_task_title": "开展文明单位评选", "edit": "1"}
    shown = client.post(reverse("imports:confirm"), data)
    rows = shown.context["task_rows"]
    assert rows[0]["task"]["source"]["text"] == "（一）提升市民文明素质"
    assert rows[-1]["task"]["title"] == "开展文明单位评选" and "source" not in rows[-1]["task"]


def test_preview_query_count_is_pinned(client, clerk, django_assert_num_queries):
    """Reading the plan and showing an edited preview ask the same seven
    questions (session, user, the user's roles for the page and the menu,
    units, office units, the bell), however many units there are."""
    with django_assert_num_queries(7):
        response = preview(client)
    data = {**posted(response), "task_move": "4:up", "phase_3_name": "长效巩固阶段",
            "phase_3_start": "2020-01-01", "phase_3_end": "2020-03-31"}
    UnitFactory.create_batch(200)
    with django_assert_num_queries(7):
        shown = client.post(reverse("imports:confirm"), data)
    assert shown.status_code == 200 and not Campaign.objects.exists()
    assert shown.context["proposal"]["tasks"][0]["title"] == "优化城市环境秩序"
