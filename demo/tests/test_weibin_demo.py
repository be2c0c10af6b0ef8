"""The second demo campaign: its 2025 year-end report carries the figures the
sample report (weibin-2025-rule-of-law-annual-report.txt) prints, because the
units reported them and the office accepted them."""

import datetime
import re
import zoneinfo

import pytest

from accounts.models import User
from campaigns.models import Campaign, Membership
from core.official import docx_text, render_docx
from demo.weibin import TITLE, load_weibin
from documents.access import editable_campaigns, readable_campaigns
from documents.annual import build_annual_report
from reports.models import IndicatorValue, Report

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db

# As the sample writes them.
SAMPLE_SENTENCES = [
    "活动22场",
    "组织专家开展专题宣讲5场",
    "处置突发公共卫生事件1起",
    "等65家重点场所落实防控措施",
    "开展传染病防治工作监督检查6次",
    "督促整改问题2个，整改完成率100%",
    "国家下达双随机抽查任务82件，完成82件",
    "省下达双随机抽查任务17件，完成17件",
    "联合跨部门抽查任务8件，完成8件",
    "对4家具备《新乡市卫生健康委员会减轻处罚事项清单》情形的单位",
    "开展行政处罚案件回访14次",
    "对全区19所中、小学校开展秋季学校卫生监督检查",
    "开展“六进”服务22次",
    "受益机构80家",
    "开展行政检查376件",
    "入户入企检查483次",
    "回访满意率达到100%",
    "行政执法人员持证执法率达100%",
    "共办理各类政务服务事项943件",
    "共办理行政处罚案件14件",
    "其中6件进行行政处罚决定集体讨论",
    "共计处罚人民币53364元",
    "没收违法所得464元",
    # 近千份, 百余人次, 近千人 in the sample: figures with no sentence pattern,
    # in the default wording.
    "发放宣传资料960份",
    "现场解答法律咨询120人次",
    "“六进”受益人群980人",
    # The office's own supervision of its sections, as the demo records it:
    # counts, not a second 整改完成率 beside the one a unit reported.
    "开展督导检查4次（定期督导检查1次、明察暗访1次、问卷调查1次、现场检查1次），发现问题6个，形成整改事项6项，"
    "已整改销号2项（其中按期销号1项），尚未销号4项（其中已超过整改期限3项）。",  # as of 31 December
]
# The sample's parts, in its order.
PARTS = [
    "一、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设",
    "二、推进法治政府建设的主要举措和成效",
    "三、接受人大监督",
    "四、存在的问题、原因及整改措施",
    "五、下一步工作打算",
]
UNIT_NAMES = ["办公室", "法规科", "监督所", "审批科", "疾控科"]


@pytest.fixture(scope="module")
def weibin_report(shared_db):
    """Loaded once for the module (it runs a year of reports through the
    workflow), under the tests' settings, in a transaction rolled back at the end."""
    with shared_db():
        campaign, created = load_weibin(now=NOW, password="Demo@2026!")
        data = render_docx(build_annual_report(campaign=campaign, year=2025, at=NOW))
        facts = {
            "created": created,
            "again": load_weibin(now=NOW, password="Demo@2026!")[1],
            "status": campaign.status,
            "statuses": sorted(
                Report.objects.filter(period__rule__campaign=campaign).values_list("status", flat=True).distinct()
            ),
            "uncounted": {
                report.status: dict(report.indicator_values.values_list("indicator__name", "value"))
                for report in Report.objects.filter(
                    period__rule__campaign=campaign, status__in=[Report.Status.RETURNED, Report.Status.DRAFT]
                )
            },
            "liaisons": Membership.objects.filter(
                unit__in=campaign.tasks.values("lead_unit"), role=Membership.Role.LIAISON
            ).count(),
            "fanlina": editable_campaigns(
                Membership.objects.get(user__username="fanlina", unit=campaign.office_unit).user
            ).filter(pk=campaign.pk).exists(),
            "zhangyanjun": readable_campaigns(User.objects.get(username="zhangyanjun")).filter(pk=campaign.pk).exists(),
            "zhangyanjun edits": editable_campaigns(User.objects.get(username="zhangyanjun")).filter(pk=campaign.pk).exists(),
            "values": IndicatorValue.objects.filter(report__period__rule__campaign=campaign).count(),
        }
    return docx_text(data), facts


@pytest.mark.parametrize("sentence", SAMPLE_SENTENCES)
def test_the_2025_report_carries_the_sample_figures(weibin_report, sentence):
    text, _ = weibin_report
    assert sentence in text


def test_the_figures_come_from_accepted_reports_only(weibin_report):
    text, facts = weibin_report
    # The returned and the draft report hold figures, which would change the totals.
    assert set(facts["uncounted"]) == {Report.Status.RETURNED, Report.Status.DRAFT}
    returned, draft = facts["uncounted"][Report.Status.RETURNED], facts["uncounted"][Report.Status.DRAFT]
    assert returned["开展行政检查"] > 0 and draft["开展普法宣传活动"] > 0
    assert f"开展行政检查{376 + int(returned['开展行政检查'])}件" not in text
    assert f"活动{22 + int(draft['开展普法宣传活动'])}场" not in text


def test_no_platform_statistics_in_a_report_to_the_government(weibin_report):
    text, _ = weibin_report
    for word in ("应报送", "审核通过", "报送率", "份报送"):
        assert word not in text


def test_the_sample_parts_in_order(weibin_report):
    text, _ = weibin_report
    body = text.split("附件1")[0]
    parts = [line for line in body.splitlines() if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert parts == PARTS


def test_no_line_is_a_unit_and_a_month(weibin_report):
    text, _ = weibin_report
    for line in text.splitlines():
        assert not re.match(rf"^(?:{'|'.join(UNIT_NAMES)})[：:]?\s*\d{{1,2}}月", line), line
        assert not re.match(r"^\S{2,15}[：:]\s*\d{1,2}月", line), line
    # Work said in many months is said once: 58 accepted reports, a few items a section.
    assert text.count("落实“双随机、一公开”抽查任务") == 1


def test_each_rate_has_one_value(weibin_report):
    text, _ = weibin_report
    values = {}
    for name, value in re.findall(r"([\u4e00-\u9fff]{0,6}率)(?:达到|达|为)?(\d+(?:\.\d+)?%)", text):
        values.setdefault(name, set()).add(value)
    assert values["整改完成率"] == {"100%"}
    assert all(len(found) == 1 for found in values.values()), values


def test_problems_come_with_their_causes_and_measures(weibin_report):
    text, _ = weibin_report
    part = text.split("四、存在的问题、原因及整改措施")[1].split("五、")[0]
    assert "（一）存在的问题及原因" in part and "（二）整改措施" in part
    assert "卫生监督执法力量不足，工作成效有待提高。原因在于卫生执法监管任务增加" in part
    assert "传授实战经验" in part.split("（二）整改措施")[1]


def test_the_campaign_is_closed_loaded_once_and_reachable_by_the_demo_office(weibin_report):
    _, facts = weibin_report
    assert facts["created"] and not facts["again"]
    assert facts["status"] == Campaign.Status.CLOSED  # no reminders go out for it
    assert set(facts["statuses"]) == {"accepted", "returned", "draft"}
    assert facts["liaisons"] == 5
    assert facts["fanlina"]
    assert facts["zhangyanjun"] and not facts["zhangyanjun edits"], "the demo's leader reads it, as the README says"
    assert facts["values"] > 0


def test_campaign_title_is_the_demos(weibin_report):
    text, _ = weibin_report
    # As the sample titles it: the issuer, then the work.
    assert text.startswith("卫滨区卫健委关于2025年法治政府建设情况的报告")
    assert TITLE in text
