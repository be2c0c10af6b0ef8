"""The whole reporting loop in a real browser: a liaison reports from a phone,
the office accepts at a desk.

Drives Debian's chromium (never a browser downloaded by Playwright) against
pytest-django's live server. The screenshots it takes are the README's: with
UPDATE_SCREENSHOTS=1 they are written to docs/screenshots/, otherwise to a
temporary folder, so that `make test` leaves the work tree clean.

The live server answers from another thread, so the data is committed
(transactional database) and the clock is the real one: the period is due two
days from now, whatever day the test runs.
"""

import datetime
import os
import re
import struct
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from calendars.models import HolidayYear
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from reports import workflow
from reports.models import Report, ReviewEvent
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import IndicatorFactory, TaskFactory

# Committed data, flushed afterwards. No serialized_rollback: it leaves the
# database without content types for the transactional tests that follow.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
CJK_FONTS = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
PASSWORD = "pass-word-123"  # UserFactory's
README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 10_000

WORK_DONE = "本周在城关、东关两个社区开展《传染病防治法》普法宣传活动3场，发放宣传资料260份，现场解答群众咨询45人次。"


@pytest.fixture
def chromium():
    """Starts Debian's chromium through Playwright: `with chromium() as browser:`.
    Skipped where chromium or the CJK fonts are not installed (without the
    fonts the screenshots would show boxes for Chinese); failed instead under
    REQUIRE_BROWSER=1, as CI sets it.

    Playwright's synchronous API runs an asyncio loop, and Django refuses ORM
    calls while one runs in the thread: the test touches the database only
    before the browser starts and after it stops."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(CHROMIUM)
    if not any(CJK_FONTS.glob("NotoSansCJK*")):
        missing.append("the CJK fonts")
    if missing:
        reason = f"{' and '.join(missing)} not found. Install them: apt-get install chromium fonts-noto-cjk"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    @contextmanager
    def launch():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()

    return launch


@dataclass
class Story:
    liaison: object
    office: object
    unit: object
    tasks: list
    indicator: object
    report: object


def build_story():
    """The kind of campaign reports/tests/conftest.py's `setting` builds, with
    one weekly period that started within the last week and is due in two days.
    Three co-units have reported already, so the office has a queue (and the
    README's screenshot something to show): one was returned once and sent again."""
    today = timezone.localdate()
    due_day = today + datetime.timedelta(days=2)
    starts_on = due_day - datetime.timedelta(days=6)
    office_unit = UnitFactory(name="创建活动领导小组办公室", short_name="领导小组办公室")
    campaign = CampaignFactory(
        title="卫生计生系统文明执法三年行动",
        office_unit=office_unit,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=365),
    )
    # The office is warned about years whose holidays are not loaded. The
    # campaign reaches next year, and an earlier transactional test may have
    # flushed the migration's years: count them as loaded, so that the
    # README's screenshot shows the queue rather than that warning.
    for year in range(starts_on.year, campaign.ends_on.year + 1):
        HolidayYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})
    unit = UnitFactory(name="区卫生监督所", short_name="卫生监督所")
    publicity, legal, medical = (
        UnitFactory(name="区卫健委宣传科", short_name="宣传科"),
        UnitFactory(name="区卫健委法规科", short_name="法规科"),
        UnitFactory(name="区卫健委医政科", short_name="医政科"),
    )
    tasks = [
        TaskFactory(campaign=campaign, lead_unit=unit, position=1, title="开展卫生法律法规普法宣传"),
        TaskFactory(campaign=campaign, lead_unit=unit, position=2, title="规范行政执法文书"),
    ]
    tasks[0].co_units.add(publicity, medical)
    tasks[1].co_units.add(legal)
    indicator = IndicatorFactory(campaign=campaign, name="开展普法宣传活动", measure_unit="场")
    rule = ReportingRuleFactory(campaign=campaign, name="周报", weekday=due_day.isoweekday(), starts_on=starts_on)
    rule.indicators.add(indicator)
    generate_periods(rule=rule, through=today)

    def member(unit, role, username, full_name):
        return MembershipFactory(unit=unit, role=role, user__username=username, user__full_name=full_name).user

    liaison = member(unit, Membership.Role.LIAISON, "liaison", "王晓明")
    office = member(office_unit, Membership.Role.OFFICE_STAFF, "office", "樊丽娜")

    now = timezone.now()

    def send(unit, username, full_name, hours_ago, work_done, task, percent):
        by = member(unit, Membership.Role.LIAISON, username, full_name)
        report = Report.objects.get(unit=unit)
        report = workflow.save_draft(
            report=report,
            by=by,
            at=now - datetime.timedelta(hours=hours_ago),
            expected_version=report.version,
            work_done=work_done,
            task_progress={task.pk: ("in_progress", percent, "")},
            indicator_values={indicator.pk: 1},
        )
        return workflow.submit(report=report, by=by, at=now - datetime.timedelta(hours=hours_ago)), by

    send(legal, "legal", "孙立", 30, "组织执法人员学习新修订的行政处罚文书规范，抽查2023年以来执法案卷12卷。", tasks[1], 20)
    medical_report, medical_liaison = send(medical, "medical", "李敏", 28, "配合开展宣传。", tasks[0], 10)
    workflow.return_report(
        report=medical_report,
        by=office,
        at=now - datetime.timedelta(hours=27),
        comment="请写明宣传的时间、地点和参加人数。",
    )
    medical_report = Report.objects.get(pk=medical_report.pk)
    workflow.save_draft(
        report=medical_report,
        by=medical_liaison,
        at=now - datetime.timedelta(hours=6),
        expected_version=medical_report.version,
        work_done="在区人民医院门诊大厅开展义诊暨普法宣传1场，发放资料150份，接受咨询60余人次。",
        task_progress={tasks[0].pk: ("in_progress", 25, "")},
        indicator_values={indicator.pk: 1},
    )
    workflow.submit(report=medical_report, by=medical_liaison, at=now - datetime.timedelta(hours=6))
    send(publicity, "publicity", "赵倩", 3, "在区融媒体中心推送普法文章2篇，阅读量1300余次；在辖区医疗机构张贴宣传海报50张。", tasks[0], 30)

    report = Report.objects.get(unit=unit)
    assert report.due_at > now + datetime.timedelta(days=1), "the period must still be open while the test runs"
    return Story(liaison=liaison, office=office, unit=unit, tasks=tasks, indicator=indicator, report=report)


def png_bytes(width=64, height=48):
    """A real PNG image (a blue banner), made here."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((13, 110, 253)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def new_page(browser, viewport):
    # Reduced motion: Bootstrap then skips its collapse and fade transitions, so a
    # click never lands on a menu that is still opening.
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def open_menu(page):
    """Open the phone's collapsed navigation and wait until it has opened."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def sign_in(page, base_url, username):
    """Open the site as a bookmark would and sign in on the page it sends one to."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name="账号登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_liaison_reports_from_a_phone_and_the_office_accepts(live_server, chromium, settings, tmp_path):
    from playwright.sync_api import expect

    settings.AXES_ENABLED = True  # signing in through the real page, lockout checks and all
    story = build_story()
    SCREENSHOTS = README_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = png_bytes()

    with chromium() as browser:
        # The liaison, on a phone.
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, "liaison")
        expect(page.get_by_role("heading", name="我的报送")).to_be_visible()
        open_menu(page)  # the collapsed navigation
        page.get_by_role("link", name="我的报送").click()
        page.get_by_role("link", name="周报").filter(has_text="未填报").click()
        expect(page.get_by_role("heading", name="区卫生监督所 · 周报")).to_be_visible()

        page.get_by_label("开展情况").fill(WORK_DONE)
        progress = page.get_by_role("group", name="任务进展")
        first = progress.locator("div.border").filter(has_text=story.tasks[0].title)
        first.get_by_label("进展状态").select_option(label="推进中")
        first.get_by_label("完成进度").fill("40")
        first.get_by_label("进展说明").fill("已完成第一轮社区宣传。")
        second = progress.locator("div.border").filter(has_text=story.tasks[1].title)
        second.get_by_label("进展状态").select_option(label="已完成")
        second.get_by_label("完成进度").fill("100")
        page.get_by_label("开展普法宣传活动（场）").fill("3")
        page.get_by_label("存在问题").fill("部分社区宣传阵地利用不充分。")
        page.get_by_label("下步打算").fill("结合“宪法宣传周”开展进机关、进企业宣传。")
        page.get_by_label("上传附件").set_input_files(
            files=[{"name": "活动照片.png", "mimeType": "image/png", "buffer": photo}]
        )
        page.screenshot(path=SCREENSHOTS / "report-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

        # Bootstrap's icon glyph is part of the button's name: "\uf6c0 报送".
        page.get_by_role("button", name=re.compile(r"(^|\s)报送$")).click()
        expect(page.get_by_role("alert").filter(has_text="已报送领导小组办公室")).to_be_visible()
        expect(page.get_by_role("link", name="活动照片.png")).to_be_visible()
        context.close()

        # The office, at a desk.
        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, "office")
        page.get_by_role("link", name="审核报送").click()
        expect(page.get_by_role("heading", name="审核报送")).to_be_visible()
        queue = page.get_by_role("list").filter(has=page.get_by_role("link", name="审核", exact=True))
        rows = queue.get_by_role("listitem")
        expect(rows).to_have_count(4)
        expect(rows.filter(has_text="医政科")).to_contain_text("第2次报送")
        ours = rows.filter(has_text="卫生监督所")
        expect(ours).to_contain_text("已报送")
        page.screenshot(path=SCREENSHOTS / "review-queue.png", full_page=True)

        ours.get_by_role("link", name="审核", exact=True).click()
        expect(page.get_by_role("heading", name="区卫生监督所 · 周报")).to_be_visible()
        expect(page.get_by_text(WORK_DONE)).to_be_visible()
        expect(page.get_by_role("link", name="活动照片.png")).to_be_visible()
        page.get_by_role("button", name="审核通过").click()
        expect(page.get_by_role("alert").filter(has_text="已审核通过：卫生监督所")).to_be_visible()
        # The office is taken on to the next report waiting; back to ours through the queue.
        expect(page.get_by_role("alert").filter(has_text="下面是下一份待审核的报送")).to_be_visible()
        page.get_by_role("link", name="审核报送").first.click()
        page.get_by_role("link", name="审核通过").click()
        page.get_by_role("listitem").filter(has_text="卫生监督所").get_by_role("link", name="查看").click()
        expect(page.get_by_text("本期报送已审核通过。")).to_be_visible()
        history = page.locator("section.card").filter(has=page.get_by_text("办理记录"))
        steps = history.get_by_role("listitem")
        expect(steps).to_have_count(2)
        expect(steps.nth(0).get_by_text("报送", exact=True)).to_be_visible()
        expect(steps.nth(0)).to_contain_text("王晓明 · 草稿 → 已报送")
        expect(steps.nth(1).get_by_text("审核通过", exact=True)).to_be_visible()
        expect(steps.nth(1)).to_contain_text("樊丽娜 · 已报送 → 审核通过")
        context.close()

    report = Report.objects.get(pk=story.report.pk)
    assert report.status == Report.Status.ACCEPTED
    assert not report.is_late
    assert report.work_done == WORK_DONE
    assert report.indicator_values.get().value == 3
    assert sorted(report.task_progress.values_list("percent", flat=True)) == [40, 100]
    attachment = report.attachments.get()
    assert attachment.original_name == "活动照片.png"
    assert attachment.content_type == "image/png"
    assert attachment.size == len(photo)
    with attachment.file.open("rb") as stored:
        assert stored.read() == photo
    events = list(report.events.order_by("created_at", "pk").values_list("action", "actor__username"))
    assert events == [(ReviewEvent.Action.SUBMIT, "liaison"), (ReviewEvent.Action.ACCEPT, "office")]
