"""The year-end report adds up what the units reported and the office accepted."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory
from core.official import docx_text, render_docx
from documents.annual import build_annual_report, report_title
from documents.models import Draft
from reports.models import IndicatorValue, Report

from .conftest import NOT_COUNTED, NOW, YEAR, build_world, expected_totals

pytestmark = pytest.mark.django_db


def number(value):
    """A Decimal as the report writes it: no trailing zeros, no separators."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_text(world, year=YEAR):
    return docx_text(render_docx(build_annual_report(campaign=world.campaign, year=year, at=NOW)))


def table_row(text, name):
    (row,) = [line.split("\t") for line in text.splitlines() if line.split("\t")[1:2] == [name]]
    return row


def test_sentences_and_table_carry_the_sums_of_accepted_values(world):
    expected = expected_totals(world)
    text = report_text(world)

    assert expected["events"] > 0 and expected["fines"] > 0, "the fixtures give figures to add"
    assert f"开展普法宣传活动{number(expected['events'])}场" in text
    assert f"共计处罚人民币{number(expected['fines'])}元" in text
    assert f"持证执法率达{number(expected['certified'])}%" in text
    assert table_row(text, "开展普法宣传活动")[3] == number(expected["events"])
    assert table_row(text, "罚款金额")[3] == number(expected["fines"])
    assert table_row(text, "持证率")[3] == number(expected["certified"])
    average = Decimal(table_row(text, "满意率")[3])
    assert abs(average - expected["satisfaction"]) <= Decimal("0.01")
    target = "达标" if expected["events"] >= 50 else "未达标"
    assert table_row(text, "开展普法宣传活动")[5:] == ["不低于50场", target]


def test_rate_is_completed_over_assigned(world):
    expected = expected_totals(world)
    done, assigned = expected["done"], expected["assigned"]
    assert assigned > 0
    rate = (done * 100 / assigned).quantize(Decimal("0.1"))
    rate = f"{rate:f}".rstrip("0").rstrip(".") + "%"

    text = report_text(world)

    assert f"完成抽查{number(done)}/{number(assigned)}件，完成率{rate}" in text
    # The table of 附件1 reads the same figures: one value for the rate.
    assert table_row(text, "完成抽查")[3:5] == [number(done), rate]


def test_indicator_sentence_goes_under_its_tasks_section(world):
    text = report_text(world)
    lines = text.splitlines()
    child = lines.index("（一）送法进社区")
    second = lines.index("二、落实双随机抽查")
    events = next(i for i, line in enumerate(lines) if "开展普法宣传活动" in line and "场" in line and "\t" not in line)
    assert lines.index("一、开展普法宣传") < child < events < second
    # Indicators of no task are written with the table.
    fines = next(i for i, line in enumerate(lines) if "共计处罚人民币" in line)
    assert fines > lines.index("三、主要指标完成情况")


def test_changing_one_accepted_value_changes_the_total(world):
    value = IndicatorValue.objects.filter(
        indicator=world.indicators["events"],
        report__status=Report.Status.ACCEPTED,
        report__period__ends_on__year=YEAR,
    ).first()
    before = expected_totals(world)["events"]
    assert f"开展普法宣传活动{number(before)}场" in report_text(world)

    value.value += 7
    value.save()

    after = expected_totals(world)["events"]
    assert after == before + 7
    text = report_text(world)
    assert f"开展普法宣传活动{number(after)}场" in text
    assert f"开展普法宣传活动{number(before)}场" not in text


def test_returned_draft_and_unreviewed_reports_never_count(world):
    values = IndicatorValue.objects.filter(
        indicator=world.indicators["events"], report__status__in=NOT_COUNTED, report__period__ends_on__year=YEAR
    )
    assert set(values.values_list("report__status", flat=True)) == set(NOT_COUNTED), "every such state holds a figure"
    values.update(value=1000)
    pending = values.count() * 1000
    accepted = expected_totals(world)["events"]
    assert f"开展普法宣传活动{number(accepted)}场" in report_text(world)

    # Once the office accepts them, they count: the figures were there all along.
    reports = list(values.values_list("report", flat=True))
    Report.objects.filter(pk__in=reports).update(status=Report.Status.ACCEPTED, submitted_at=F("due_at"))

    assert f"开展普法宣传活动{number(accepted + pending)}场" in report_text(world)


def test_another_years_reports_do_not_count(world):
    text_2026 = report_text(world, year=YEAR + 1)
    expected = expected_totals(world, year=YEAR + 1)
    assert f"开展普法宣传活动{number(expected['events'])}场" in text_2026
    assert expected["events"] != expected_totals(world)["events"]


def test_texts_are_merged_not_listed_by_unit_and_month(world):
    unit = world.units[1]
    draft = Report.objects.filter(
        period__rule__campaign=world.campaign, status=Report.Status.DRAFT, period__ends_on__year=YEAR
    ).first()
    draft.work_done = "组织召开全市卫生监督现场推进会。"
    draft.save()
    accepted = Report.objects.filter(unit=unit, status=Report.Status.ACCEPTED, period__ends_on__year=YEAR)
    assert accepted.count() >= 2

    text = report_text(world)

    # Every accepted report said 监督N所YYYY年MM月开展普法宣传: said once, not once a month.
    assert len(re.findall(r"\d{4}年\d{2}月开展普法宣传", text)) == 1
    names = "|".join(unit.short_name for unit in world.units)
    assert not re.search(rf"^(?:{names})[：:]", text, re.M), "no line opens with a unit's name"
    # The same problem every month, from every unit, is written once.
    assert text.count("执法力量不足") == 1
    assert draft.work_done not in text


def test_title_issuer_and_opening(world):
    text = report_text(world)
    issuer = world.campaign.issuing_unit
    assert text.startswith(f"{issuer.short_name or issuer.name}关于{YEAR}年卫生监督执法专项行动情况的报告")
    assert f"《{world.campaign.title}》" in text.splitlines()[2]
    # Platform statistics are not a report to the government's business.
    assert "应报送" not in text and "审核通过" not in text.split("附件1")[0]
    signature = text.split("附件1")[0].rstrip().splitlines()
    assert signature[-2:] == [issuer.name, "2026年3月10日"]


def test_no_inspection_says_nothing_of_inspections(world):
    assert "督导检查" not in report_text(world)


def test_inspection_and_rectification_figures(world):
    from supervision.models import Finding, Inspection, RectificationItem

    Kind, Status = Inspection.Kind, RectificationItem.Status
    user = UserFactory()
    unit = world.units[0]

    def inspection(kind, day):
        return Inspection.objects.create(
            campaign=world.campaign, kind=kind, inspected_on=day, inspectors="李蓉", created_by=user
        )

    def item(inspection, status, *, due, submitted=None, closed=None):
        finding = Finding.objects.create(inspection=inspection, unit=unit, description="台账不全")
        return RectificationItem.objects.create(
            finding=finding, campaign=world.campaign, unit=unit, requirement="补齐台账",
            deadline=due.date(), due_at=due, status=status, submitted_at=submitted, closed_at=closed,
        )

    due = datetime.datetime(2025, 6, 30, 18, 0, tzinfo=NOW.tzinfo)
    day = datetime.timedelta(days=1)
    first = inspection(Kind.SCHEDULED, datetime.date(2025, 5, 10))
    second = inspection(Kind.SCHEDULED, datetime.date(2025, 9, 1))
    inspection(Kind.UNANNOUNCED, datetime.date(2025, 11, 3))
    last_year = inspection(Kind.ON_SITE, datetime.date(2024, 12, 20))
    item(first, Status.CLOSED, due=due, submitted=due - day, closed=due + day)  # on time
    item(first, Status.CLOSED, due=due, submitted=due + day, closed=due + 2 * day)  # late
    item(second, Status.SUBMITTED, due=due + 90 * day, submitted=due + 80 * day)
    item(second, Status.OPEN, due=NOW + day)  # not yet due
    Finding.objects.create(inspection=second, unit=unit, description="宣传栏未更新")  # no item yet
    item(last_year, Status.OPEN, due=due)

    text = report_text(world)

    assert (
        "2025年，领导小组办公室开展督导检查3次（定期督导检查2次、明察暗访1次），发现问题5个，形成整改事项4项，"
        "已整改销号2项（其中按期销号1项），尚未销号2项（其中已超过整改期限1项）。"
    ) in text


def query_count(world):
    with CaptureQueriesContext(connection) as queries:
        render_docx(build_annual_report(campaign=world.campaign, year=YEAR, at=NOW))
    return len(queries)


def test_query_count_does_not_grow_with_units_and_reports(db):
    few = query_count(build_world(units=3))
    many = query_count(build_world(units=30, seed=8, tag="市"))
    assert few == many
    assert few <= 20


# The page and the command


def start_draft(client, user, world, year=YEAR):
    """The office's 生成初稿 on the index: the draft of the year, version 1."""
    client.force_login(user)
    return client.post(reverse("documents:start", args=[world.campaign.pk]), {"scope": f"annual:{year}"})


def download(client, user, world, number=1):
    client.force_login(user)
    draft = Draft.objects.get(campaign=world.campaign)
    return client.get(reverse("documents:docx", args=[draft.pk, number]))


def test_office_drafts_the_report_and_downloads_it_as_docx(client, world, time_machine):
    time_machine.move_to(NOW, tick=False)
    started = start_draft(client, world.office, world)
    draft = Draft.objects.get(campaign=world.campaign)
    assert started.status_code == 302 and started.url == reverse("documents:draft", args=[draft.pk])

    response = download(client, world.office, world)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    expected = expected_totals(world)
    assert f"开展普法宣传活动{number(expected['events'])}场" in docx_text(response.content)


def test_command_writes_the_same_document_as_the_page(client, world, time_machine, tmp_path):
    time_machine.move_to(NOW, tick=False)
    out = tmp_path / "年度情况报告.docx"
    stdout = io.StringIO()
    call_command("build_annual_report", campaign=str(world.campaign.pk), year=str(YEAR), out=str(out), stdout=stdout)
    start_draft(client, world.office, world)
    page = download(client, world.leader, world)

    assert "已生成" in stdout.getvalue()
    assert page.status_code == 200
    assert docx_text(out.read_bytes()) == docx_text(page.content)


def test_command_signs_on_the_given_day(world, tmp_path):
    out = tmp_path / "年度情况报告.docx"
    call_command(
        "build_annual_report", campaign=str(world.campaign.pk), year=str(YEAR), out=str(out),
        signed_on="2025-12-09", stdout=io.StringIO(),
    )
    assert docx_text(out.read_bytes()).split("附件1")[0].rstrip().endswith("2025年12月9日")


def test_command_sets_the_document_number(world, tmp_path):
    out = tmp_path / "年度情况报告.docx"
    call_command(
        "build_annual_report", campaign=str(world.campaign.pk), year=str(YEAR), out=str(out),
        document_number="管卫办〔2026〕3号", stdout=io.StringIO(),
    )
    lines = docx_text(out.read_bytes()).splitlines()
    assert lines[0] == "管卫办〔2026〕3号"
    assert lines[2] == report_title(world.campaign, YEAR)


def test_command_without_a_document_number_writes_none(world, tmp_path):
    out = tmp_path / "年度情况报告.docx"
    call_command("build_annual_report", campaign=str(world.campaign.pk), year=str(YEAR), out=str(out), stdout=io.StringIO())
    assert docx_text(out.read_bytes()).splitlines()[0] == report_title(world.campaign, YEAR)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"campaign": "999999", "year": "2025"}, "找不到 ID 为“999999”的创建活动"),
        ({"campaign": "abc", "year": "2025"}, "找不到 ID 为“abc”的创建活动"),
        ({"year": "2019"}, "年度“2019”不在该活动的起止时间内，请填写 2025—2026 之间的年份。"),
        ({"year": "二〇二五"}, "不在该活动的起止时间内"),
        ({"out": "missing/dir/报告.docx"}, "不存在"),
        ({"out": "报告.txt"}, "须以 .docx 结尾"),
        ({"signed_on": "2025年12月9日"}, "落款日期“2025年12月9日”无法识别，请按 2025-12-09 的格式填写。"),
        ({"signed_on": "2025-02-30"}, "无法识别"),
        ({"document_number": "管卫办〔2026〕" + "3" * 60 + "号"}, "文号不能超过50个字"),
    ],
)
def test_command_refuses_bad_input_in_chinese_and_writes_nothing(world, tmp_path, options, message):
    arguments = {"campaign": str(world.campaign.pk), "year": "2025", "out": "报告.docx", **options}
    arguments["out"] = str(tmp_path / arguments["out"])
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("build_annual_report", **arguments)
    assert list(tmp_path.iterdir()) == []


def test_the_index_offers_each_year_of_the_campaign(client, world):
    client.force_login(world.office)
    response = client.get(reverse("documents:annual"))
    page = response.content.decode()
    assert response.status_code == 200
    assert world.campaign.title in page
    assert f"{YEAR}年度情况报告" in page and f"{YEAR + 1}年度情况报告" in page
    assert f"{YEAR - 1}年度情况报告" not in page
    assert "生成初稿" in page


def test_a_year_outside_the_campaign_is_refused_with_a_message(client, world):
    response = start_draft(client, world.office, world, year=2031)
    assert response.status_code == 302 and response.url == reverse("documents:annual")
    assert not Draft.objects.exists()
    page = client.get(reverse("documents:annual")).content.decode()
    assert "没有这项文稿，请在列表中重新选择。" in page


def test_units_and_other_offices_get_404(client, world):
    other = MembershipFactory(unit=UnitFactory(name="别的办公室"), role="office_staff", user__username="stranger").user
    client.force_login(world.liaison)
    assert client.get(reverse("documents:annual")).status_code == 404
    assert start_draft(client, world.liaison, world).status_code == 404
    assert start_draft(client, other, world).status_code == 404
    assert start_draft(client, world.leader, world).status_code == 404
    assert not Draft.objects.exists()


def test_drafting_costs_the_same_queries_for_30_units_as_for_3(client, db, django_assert_max_num_queries, time_machine):
    time_machine.move_to(NOW, tick=False)
    few = build_world(units=3)
    with CaptureQueriesContext(connection) as small:
        assert start_draft(client, few.office, few).status_code == 302
    many = build_world(units=30, seed=9, tag="市")
    with django_assert_max_num_queries(len(small)):
        assert start_draft(client, many.office, many).status_code == 302


def test_the_index_only_reads(client, world):
    client.force_login(world.office)
    response = client.post(reverse("documents:annual"), {"campaign": world.campaign.pk, "year": YEAR})
    assert response.status_code == 405


def test_a_note_that_only_repeats_the_task_says_nothing_and_nothing_is_said_twice(world):
    from reports.models import TaskProgress

    second = world.tasks["second"]
    reports = list(
        Report.objects.filter(
            period__rule__campaign=world.campaign, status=Report.Status.ACCEPTED, period__ends_on__year=YEAR
        ).order_by("pk")[:3]
    )
    for report in reports:
        TaskProgress.objects.create(report=report, task=second, percent=50, note=f"按计划推进“{second.title}”。")
    # The same work, written by two units that lead different tasks: said under the first only.
    Report.objects.filter(pk=reports[0].pk).update(work_done="组织召开全区卫生监督现场推进会，观摩3个示范点。")
    Report.objects.filter(pk=reports[-1].pk).update(work_done="组织召开全区卫生监督现场推进会，观摩3个示范点。")

    text = report_text(world)

    assert "按计划推进" not in text
    assert text.count("组织召开全区卫生监督现场推进会") == 1
    part = text.split("二、落实双随机抽查")[1].split("三、")[0]
    assert "本年度各责任单位未报送本项工作的具体进展。" in part or "完成抽查" in part
