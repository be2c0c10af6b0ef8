"""Who may open what: every URL of the project, for every role.

URLs are read from the resolver, so a new URL fails here until ACCESS says
what each role gets from it. The rules are the product's (each app's access.py):
a liaison or unit head sees only the own unit's reports; office staff see
every report of the campaigns their unit runs; leaders read but change
nothing; a user who may not see an object gets 404. Notifications are their
recipient's; the delivery history is the office's. Django admin is covered
by config/tests/test_admin.py.
"""

import copy
import datetime
import shutil
import uuid
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from calendars.models import CalendarDay
from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from notifications.models import Delivery, EmailChoice, Notification, NotificationSettings, Reminder
from reports import workflow
from reports.models import Attachment, ExtensionRequest, Report, ReportVersion, ReviewEvent, WorkbookExport
from reports.services import generate_periods
from reports.tests.conftest import build_setting, local
from reports.tests.factories import ReportingRuleFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role

# Monday morning, before the unit's Tuesday 17:30 deadline for period 2.
NOW = local(2026, 1, 12, 10, 0)
# When the world's earlier work happened (drafts, uploads, submissions).
EARLIER = local(2026, 1, 11, 15, 0)
PDF = b"%PDF-1.7\n" + b"0" * 64

ANONYMOUS = "anonymous"
LIAISON = "liaison"  # of the unit whose objects every URL is asked for
OTHER_LIAISON = "other_liaison"  # of another unit in the same campaign
UNIT_HEAD = "unit_head"  # of the unit
OFFICE = "office"  # staff of the campaign's leading group office
OTHER_OFFICE = "other_office"  # staff of another campaign's office
LEADER = "leader"
SUPERUSER = "superuser"
ROLES = [ANONYMOUS, LIAISON, OTHER_LIAISON, UNIT_HEAD, OFFICE, OTHER_OFFICE, LEADER, SUPERUSER]


# The world every case starts from


class World:
    """The `setting` of reports/tests, plus a unit head, an office of another
    campaign (to which the unit also reports), a superuser and attachments.

    The unit's reports in this campaign: `locked_report` (period 1, never
    sent, locked since 9 January) and `report` (period 2, a draft with
    `attachment`, due Tuesday 13 January 17:30). The liaison has one unread
    `notification`. The helpers below bring the reports to the state an
    action needs, as the users would.
    """

    def __init__(self):
        setting = build_setting()
        self.campaign, self.unit, self.other_unit = setting.campaign, setting.unit, setting.other_unit
        self.rule = setting.rule
        self.rule.lock_after_days = 3
        self.rule.save()
        self.report, self.other_report = setting.report, setting.other_report
        self.locked_report = Report.objects.get(unit=self.unit, period__rule=self.rule, period__number=1)
        self.users = {
            LIAISON: setting.liaison,
            OTHER_LIAISON: setting.other_liaison,
            UNIT_HEAD: MembershipFactory(unit=self.unit, role=Role.UNIT_HEAD, user__username="head").user,
            OFFICE: setting.office,
            LEADER: setting.leader,
            SUPERUSER: UserFactory(username="admin", is_staff=True, is_superuser=True),
        }
        self.forgetful = MembershipFactory(unit=self.other_unit, role=Role.LIAISON, user__username="forgetful").user

        # Another campaign, run by another office, to which the unit reports too.
        self.other_campaign = CampaignFactory(
            office_unit=UnitFactory(name="区市场监管局办公室"), starts_on=datetime.date(2026, 1, 1)
        )
        TaskFactory(campaign=self.other_campaign, lead_unit=self.unit, title="食品安全宣传")
        other_rule = ReportingRuleFactory(campaign=self.other_campaign, weekday=2, starts_on=datetime.date(2026, 1, 1))
        generate_periods(rule=other_rule, through=NOW.date())
        self.users[OTHER_OFFICE] = MembershipFactory(
            unit=self.other_campaign.office_unit, role=Role.OFFICE_STAFF, user__username="other_office"
        ).user

        self.attachment = self.draft(self.report, "签到表.pdf")
        self.draft(self.other_report, "宣传稿.pdf")
        self.draft(Report.objects.get(unit=self.unit, period__rule=other_rule, period__number=2), "检查记录.pdf")
        self.report.refresh_from_db()
        self.notification = Notification.objects.create(
            recipient=self.users[LIAISON],
            campaign=self.campaign,
            title="本期报送明日截止",
            body="请于1月13日17:30前报送本周工作进展。",
            url=self.report.get_absolute_url(),
        )

    def user(self, role):
        return self.users[role]

    def liaison_of(self, report):
        return self.users[LIAISON] if report.unit_id == self.unit.pk else self.users[OTHER_LIAISON]

    def draft(self, report, filename):
        """The unit's liaison writes a draft with one attachment; returns the attachment."""
        liaison = self.liaison_of(report)
        workflow.save_draft(
            report=report,
            by=liaison,
            at=EARLIER,
            expected_version=report.version,
            work_done="1月8日在辖区3个社区开展普法宣传活动2场，发放宣传资料120份，参加群众80余人。",
        )
        return workflow.add_attachment(
            report=report, by=liaison, at=EARLIER, uploaded=SimpleUploadedFile(filename, PDF)
        )

    def send(self, report):
        """The liaison submits; where the unit has a head, the head signs off."""
        report = workflow.submit(report=report, by=self.liaison_of(report), at=EARLIER)
        if report.status == Report.Status.PENDING_SIGN_OFF:
            report = workflow.sign_off(report=report, by=self.users[UNIT_HEAD], at=EARLIER)
        return report

    def submitted(self):
        """`report`, sent to the office: version 1 carries `attachment`."""
        self.report = self.send(self.report)
        return self.report

    def pending_sign_off(self):
        self.report = workflow.submit(report=self.report, by=self.users[LIAISON], at=EARLIER)
        return self.report

    def accepted(self):
        """`report`, sent and accepted by the office just now: the office may undo it."""
        self.report = workflow.accept(report=self.submitted(), by=self.users[OFFICE], at=NOW)
        return self.report

    def bulk_accepted(self):
        """`report`, sent and accepted by the office in a bulk action (`batch`)."""
        self.batch = uuid.uuid4()
        workflow.accept_many(reports=[self.submitted()], by=self.users[OFFICE], at=NOW, batch=self.batch)
        return self.batch

    def pending_extension(self):
        self.extension = workflow.request_extension(
            report=self.report,
            by=self.users[LIAISON],
            at=EARLIER,
            until=local(2026, 1, 15, 17, 30),
            reason="本周集中开展专项执法检查。",
        )
        return self.extension

    def reopened(self):
        """`locked_report`, reopened by the office: overdue, and the unit may send it."""
        self.locked_report = workflow.reopen(
            report=self.locked_report, by=self.users[OFFICE], at=EARLIER, reason="该单位系统故障，经办公室同意补报。"
        )
        return self.locked_report

    def report_form(self):
        """What the report page's form posts: a valid draft of `report`."""
        data = {"version": self.report.version, "work_done": "1月9日开展普法宣传活动1场。", "save": "1"}
        for task in workflow.unit_tasks(self.report):
            data.update({f"task_{task.pk}_status": "in_progress", f"task_{task.pk}_percent": "40"})
        return data

    def password_reset_link(self):
        """A valid link from a reset e-mail. Not a signed-in role's: signing in
        changes `last_login`, which voids the token."""
        user = self.forgetful
        return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(scope="module")
def built_world(shared_db):
    """The world, built once for the module's hundreds of cases."""
    with shared_db() as media_root, time_machine.travel(NOW, tick=False):
        return World(), media_root


@pytest.fixture
def world(built_world, clock, db, settings):
    """A copy of the world for one case: what the case writes, to the database
    (its savepoint) or to the world's objects, is gone at the next."""
    world, media_root = built_world
    shutil.copytree(media_root, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(world)


def snapshot():
    """Everything an action could change."""
    return {
        "reports": list(
            Report.objects.order_by("pk").values_list("pk", "status", "version", "due_at", "submitted_at", "reopened")
        ),
        "review events": ReviewEvent.objects.count(),
        "versions": ReportVersion.objects.count(),
        "extension requests": list(ExtensionRequest.objects.order_by("pk").values_list("pk", "status", "granted_due_at")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("pk", "removed_at")),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        "reminders": Reminder.objects.count(),
        "deliveries": Delivery.objects.count(),
        "notification choices": list(EmailChoice.objects.order_by("pk").values_list("user", "kind", "email"))
        + list(NotificationSettings.objects.order_by("pk").values_list("user", "daily_digest")),
        "workbook exports": list(WorkbookExport.objects.order_by("pk").values_list("pk", "status")),
        **supervision_state(),
        **material_state(),
        **assessment_state(),
        **evaluation_state(),
        **setup_state(),
        "document drafts": document_state(),
        "campaigns": Campaign.objects.count(),
        "task 办结": list(Task.objects.order_by("pk").values_list("pk", "status")),
        "calendar days": CalendarDay.objects.count(),
    }


# What a role gets


class Outcome:
    changes = False  # whether a POST with this outcome must change the data

    def check(self, response, *, world, path):
        raise NotImplementedError


@dataclass(frozen=True)
class Status(Outcome):
    code: int

    def check(self, response, *, world, path):
        assert response.status_code == self.code, f"expected {self.code}, got {response.status_code}"


@dataclass(frozen=True)
class Redirect(Outcome):
    """302 to a URL name, or to the URL a function of the world returns."""

    to: object

    def target(self, world):
        return reverse(self.to) if isinstance(self.to, str) else self.to(world)

    def check(self, response, *, world, path):
        assert response.status_code == 302, f"expected a redirect, got {response.status_code}"
        assert response.url == self.target(world)


class Done(Redirect):
    """The action was taken: 302 back to the page, and the data changed."""

    changes = True


class Answered(Status):
    """The action was taken and its result shown on the page (200): a summary."""

    changes = True


class SignIn(Outcome):
    def check(self, response, *, world, path):
        assert response.status_code == 302, f"expected the sign-in page, got {response.status_code}"
        assert response.url == f"{reverse('login')}?{urlencode({'next': path}, safe='/')}"


OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = Status(200), Status(403), Status(404), Status(405)
LOGIN = SignIn()


def to_report(world):
    return world.report.get_absolute_url()


def to_batch(world):
    """The page of the bulk acceptance just made, back to the queue after."""
    batch = ReviewEvent.objects.exclude(batch=None).values_list("batch", flat=True).get()
    return reverse("reports:review_batch", args=[batch]) + "?next=%2Freview%2F"


def roles(*, anonymous, liaison, other_liaison, unit_head, office, other_office, leader, superuser):
    """One outcome for each role; a role left out is a TypeError, at import."""
    return {
        ANONYMOUS: anonymous,
        LIAISON: liaison,
        OTHER_LIAISON: other_liaison,
        UNIT_HEAD: unit_head,
        OFFICE: office,
        OTHER_OFFICE: other_office,
        LEADER: leader,
        SUPERUSER: superuser,
    }


def everyone(outcome, *, anonymous=None):
    return roles(
        anonymous=anonymous or outcome,
        liaison=outcome,
        other_liaison=outcome,
        unit_head=outcome,
        office=outcome,
        other_office=outcome,
        leader=outcome,
        superuser=outcome,
    )


# A report page of the unit, as its readers see it.
READ_UNIT_REPORT = roles(
    anonymous=LOGIN,
    liaison=OK,
    other_liaison=NOT_FOUND,
    unit_head=OK,
    office=OK,
    other_office=NOT_FOUND,
    leader=OK,
    superuser=OK,
)
# A POST-only action answers a GET with 405, once signed in.
POST_ONLY = everyone(NOT_ALLOWED, anonymous=LOGIN)
# The unit's own actions: the unit's people act; whoever else may read the
# report is refused with 404, like a stranger (_unit_report in reports/views/unit.py).
UNIT_ACTION = roles(
    anonymous=LOGIN,
    liaison=Done(to_report),
    other_liaison=NOT_FOUND,
    unit_head=Done(to_report),
    office=NOT_FOUND,
    other_office=NOT_FOUND,
    leader=NOT_FOUND,
    superuser=NOT_FOUND,
)
# The office's actions: its staff (and the system admin) act; the unit's
# people and the leader may read the report but are refused with 403;
# whoever may not read it gets 404.
OFFICE_ACTION = roles(
    anonymous=LOGIN,
    liaison=FORBIDDEN,
    other_liaison=NOT_FOUND,
    unit_head=FORBIDDEN,
    office=Done(to_report),
    other_office=NOT_FOUND,
    leader=FORBIDDEN,
    superuser=Done(to_report),
)


def nothing(world):
    return {}


# The aggregated workbooks: the campaign's office generates them, its leaders read them.
OFFICE_ONLY = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=NOT_FOUND,
    leader=NOT_FOUND,
    superuser=OK,
)


def to_workbooks(world):
    return reverse("reports:workbooks", args=[world.campaign.pk])


WORKBOOK_READERS = {**OFFICE_ONLY, LEADER: OK}
WORKBOOK_MAKERS = {**OFFICE_ONLY, LEADER: FORBIDDEN, OFFICE: Done(to_workbooks), SUPERUSER: Done(to_workbooks)}


def led_task(world):
    """The first task the unit leads in the campaign (任务督办)."""
    return Task.objects.filter(campaign=world.campaign, lead_unit=world.unit).order_by("tree_path").first()


def to_led_task(world):
    return reverse("reports:deadline_task", args=[led_task(world).pk])


def task_declared(world):
    """The unit's liaison applies for the led task's 办结, with one evidence file."""
    from reports import deadlines

    event = deadlines.declare(
        task=led_task(world), by=world.user(LIAISON), at=EARLIER, text="已完成。", files=[SimpleUploadedFile("佐证.pdf", PDF)]
    )
    world.task_evidence = event.evidence.get()


READ_LED_TASK = {**READ_UNIT_REPORT}
LEAD_UNIT_ACTION = {**UNIT_ACTION, LIAISON: Done(to_led_task), UNIT_HEAD: Done(to_led_task)}
TASK_OFFICE_ACTION = {
    **everyone(NOT_FOUND, anonymous=LOGIN),
    OFFICE: Done(to_led_task),
    SUPERUSER: Done(to_led_task),
}


def workbook(status):
    """A workbook export of the campaign in `status` (a done one with its file)."""

    def given(world):
        from django.core.files.base import ContentFile

        world.export = WorkbookExport.objects.create(
            campaign=world.campaign,
            requested_by=world.user(OFFICE),
            date_from=datetime.date(2026, 1, 1),
            date_to=datetime.date(2026, 1, 31),
            status=status,
            error="生成汇总表时出错。" if status == WorkbookExport.Status.FAILED else "",
        )
        if status == WorkbookExport.Status.DONE:
            world.export.file.save("workbook.xlsx", ContentFile(b"PK\x03\x04"))

    return given


@dataclass(frozen=True)
class Rule:
    """How to call a URL, and what each role gets, per HTTP method.

    `given` first brings the world's objects to the state the URL acts on (a
    submitted report to review, a pending extension request to decide), so
    that a permitted user's request succeeds and a refusal is a refusal.
    """

    methods: dict
    given: Callable = nothing
    kwargs: Callable = nothing
    data: Callable = nothing  # what a POST sends: what the page's form would
    query: Callable = nothing  # a GET's query string


ACCESS = {
    # 审计查询 is the auditors' (审计员) alone: office staff and the system admin
    # get 404 like strangers (三员分立; audit/tests/test_roles.py).
    **{
        name: Rule({"GET": everyone(NOT_FOUND, anonymous=LOGIN)})
        for name in ("audit:search", "audit:export", "audit:sign_ins")
    },
    "home": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=Redirect("reports:unit_home"),
                other_liaison=Redirect("reports:unit_home"),
                unit_head=Redirect("reports:unit_home"),
                office=Redirect("dashboards:today"),
                other_office=Redirect("dashboards:today"),
                leader=Redirect(lambda w: reverse("dashboards:campaign", args=[w.campaign.pk])),
                superuser=Redirect("dashboards:today"),
            )
        }
    ),
    # Signing in and out, and passwords.
    "login": Rule({"GET": everyone(Redirect("home"), anonymous=OK)}),
    # Signing out answers POST only, so a link or a prefetch cannot sign anyone out.
    "logout": Rule({"GET": everyone(NOT_ALLOWED), "POST": everyone(Redirect("login"))}),
    "password_change": Rule({"GET": everyone(OK, anonymous=LOGIN)}),
    "password_change_done": Rule({"GET": everyone(OK, anonymous=LOGIN)}),
    "password_reset": Rule({"GET": everyone(OK)}),
    "password_reset_done": Rule({"GET": everyone(OK)}),
    # A valid link (another user's) is exchanged for the set-password page.
    "password_reset_confirm": Rule(
        {
            "GET": everyone(
                Redirect(
                    lambda w: reverse(
                        "password_reset_confirm", kwargs={**w.password_reset_link(), "token": "set-password"}
                    )
                )
            )
        },
        kwargs=lambda w: w.password_reset_link(),
    ),
    "password_reset_complete": Rule({"GET": everyone(OK)}),
    # The unit's side.
    "reports:unit_home": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=OK,
                other_liaison=OK,  # their own unit's home
                unit_head=OK,
                office=NOT_FOUND,
                other_office=NOT_FOUND,
                leader=NOT_FOUND,
                superuser=NOT_FOUND,  # belongs to no unit
            )
        }
    ),
    "reports:report_detail": Rule({"GET": READ_UNIT_REPORT}, kwargs=lambda w: {"pk": w.report.pk}),
    "reports:report_edit": Rule(
        {
            # Reloading the address a form error left in the bar leads the unit back to the report.
            "GET": {**UNIT_ACTION, LIAISON: Redirect(to_report), UNIT_HEAD: Redirect(to_report)},
            "POST": UNIT_ACTION,
        },
        kwargs=lambda w: {"pk": w.report.pk},
        data=lambda w: w.report_form(),
    ),
    # An attachment the unit sent with version 1.
    "reports:attachment_download": Rule(
        {"GET": READ_UNIT_REPORT}, given=World.submitted, kwargs=lambda w: {"pk": w.attachment.pk}
    ),
    "reports:attachment_remove": Rule({"GET": POST_ONLY, "POST": UNIT_ACTION}, kwargs=lambda w: {"pk": w.attachment.pk}),
    "reports:extension_request": Rule(
        {"GET": POST_ONLY, "POST": UNIT_ACTION},
        kwargs=lambda w: {"pk": w.report.pk},
        data=lambda w: {"until": "2026-01-15T17:30", "reason": "本周集中开展专项执法检查。"},
    ),
    "reports:sign_off": Rule(
        {
            "GET": POST_ONLY,
            "POST": {**UNIT_ACTION, LIAISON: FORBIDDEN},  # the head alone signs off
        },
        given=World.pending_sign_off,
        kwargs=lambda w: {"pk": w.report.pk},
    ),
    "reports:version_detail": Rule(
        {"GET": READ_UNIT_REPORT}, given=World.submitted, kwargs=lambda w: {"pk": w.report.pk, "number": 1}
    ),
    # The office's side.
    "reports:review_queue": Rule(
        {
            # Asking for this campaign; another office is shown its own campaign instead
            # (test_another_office_asking_for_this_campaigns_queue_sees_its_own).
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=OK,
                other_office=OK,
                leader=OK,
                superuser=OK,
            ),
            # Accepting the ticked reports.
            "POST": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=Done(to_batch),
                other_office=Redirect("reports:review_queue"),  # accepts none of this campaign's reports
                leader=FORBIDDEN,
                superuser=Done(to_batch),
            ),
        },
        given=World.submitted,
        query=lambda w: {"campaign": w.campaign.pk},
        # Confirmed: the first post only lists what will be accepted (reports/tests/test_undo.py).
        data=lambda w: {"reports": [w.report.pk], "confirmed": "1"},
    ),
    # 撤回: the liaison takes back what nobody acted on; the head, to whom it
    # was sent, returns it instead.
    "reports:withdraw": Rule(
        {"GET": POST_ONLY, "POST": {**UNIT_ACTION, UNIT_HEAD: FORBIDDEN}},
        given=World.pending_sign_off,
        kwargs=lambda w: {"pk": w.report.pk},
    ),
    # 撤销审核: the office's own review only; the system admin did not review it.
    "reports:undo_review": Rule(
        {"GET": POST_ONLY, "POST": {**OFFICE_ACTION, SUPERUSER: Redirect(to_report)}},
        given=World.accepted,
        kwargs=lambda w: {"pk": w.report.pk},
    ),
    # A bulk acceptance's page and undo are the office staff's who did it.
    "reports:review_batch": Rule(
        {"GET": {**everyone(NOT_FOUND, anonymous=LOGIN), OFFICE: OK}},
        given=World.bulk_accepted,
        kwargs=lambda w: {"batch": w.batch},
    ),
    "reports:undo_batch": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **everyone(NOT_FOUND, anonymous=LOGIN),
                OFFICE: Done(lambda w: reverse("reports:review_batch", args=[w.batch])),
            },
        },
        given=World.bulk_accepted,
        kwargs=lambda w: {"batch": w.batch},
    ),
    "reports:review": Rule(
        {"GET": POST_ONLY, "POST": OFFICE_ACTION},
        given=World.submitted,
        kwargs=lambda w: {"pk": w.report.pk},
        data=lambda w: {"action": "accept", "version": w.report.version},
    ),
    "reports:exempt": Rule(
        {"GET": POST_ONLY, "POST": OFFICE_ACTION},
        kwargs=lambda w: {"pk": w.report.pk},
        data=lambda w: {"reason": "该单位本期集中参加市级培训。"},
    ),
    "reports:reopen": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **OFFICE_ACTION,
                OFFICE: Done(lambda w: w.locked_report.get_absolute_url()),
                SUPERUSER: Done(lambda w: w.locked_report.get_absolute_url()),
            },
        },
        kwargs=lambda w: {"pk": w.locked_report.pk},
        data=lambda w: {"reason": "该单位系统故障，经办公室同意补报。"},
    ),
    "reports:extension_decide": Rule(
        {"GET": POST_ONLY, "POST": OFFICE_ACTION},
        given=World.pending_extension,
        kwargs=lambda w: {"pk": w.extension.pk},
        data=lambda w: {"decision": "grant"},
    ),
    # The office's aggregated Excel workbooks.
    "reports:workbooks": Rule(
        {
            "GET": WORKBOOK_READERS,
            "POST": WORKBOOK_MAKERS,
        },
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        data=lambda w: {"date_from": "2026-01-01", "date_to": "2026-01-31"},
    ),
    "reports:workbook_status": Rule(
        {"GET": WORKBOOK_READERS}, given=workbook(WorkbookExport.Status.RUNNING), kwargs=lambda w: {"pk": w.export.pk}
    ),
    "reports:workbook_download": Rule(
        {"GET": WORKBOOK_READERS}, given=workbook(WorkbookExport.Status.DONE), kwargs=lambda w: {"pk": w.export.pk}
    ),
    # 任务督办: the campaign's overseers and the lead unit's people follow a task; the lead unit
    # applies for its 办结, the campaign's office confirms it.
    "reports:deadline_list": Rule({"GET": READ_LED_TASK}, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "reports:deadline_task": Rule({"GET": READ_LED_TASK}, kwargs=lambda w: {"pk": led_task(w).pk}),
    "reports:deadline_declare": Rule(
        {"GET": POST_ONLY, "POST": LEAD_UNIT_ACTION},
        kwargs=lambda w: {"pk": led_task(w).pk},
        data=lambda w: {"text": "已完成。"},
    ),
    "reports:deadline_decide": Rule(
        {"GET": POST_ONLY, "POST": TASK_OFFICE_ACTION},
        given=task_declared,
        kwargs=lambda w: {"pk": led_task(w).pk},
        data=lambda w: {"decision": "confirm"},
    ),
    "reports:deadline_evidence": Rule(
        {"GET": READ_LED_TASK}, given=task_declared, kwargs=lambda w: {"pk": w.task_evidence.pk}
    ),
    "reports:workbook_retry": Rule(
        {
            "GET": POST_ONLY,
            "POST": WORKBOOK_MAKERS,
        },
        given=workbook(WorkbookExport.Status.FAILED),
        kwargs=lambda w: {"pk": w.export.pk},
    ),
    # The notification centre: each person's own messages; the world has one, the liaison's.
    "notifications:list": Rule({"GET": everyone(OK, anonymous=LOGIN)}),
    "notifications:mark_read": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **everyone(NOT_FOUND, anonymous=LOGIN),
                LIAISON: Done("notifications:list"),
            },
        },
        kwargs=lambda w: {"pk": w.notification.pk},
    ),
    # Everyone marks their own: nobody else's marking touches the liaison's message.
    "notifications:mark_all_read": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **everyone(Redirect("notifications:list"), anonymous=LOGIN),
                LIAISON: Done("notifications:list"),
            },
        }
    ),
    # 通知设置: everyone keeps their own choices, and only their own.
    "notifications:preferences": Rule(
        {
            "GET": everyone(OK, anonymous=LOGIN),
            "POST": everyone(Done("notifications:preferences"), anonymous=LOGIN),
        },
        data=lambda w: {"email_report_returned": "on", "daily_digest": "on"},
    ),
    # The delivery history is the office's; asking for this campaign's, another
    # office is shown its own (test_another_office_sees_none_of_this_campaigns_deliveries).
    "notifications:deliveries": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=OK,
                other_office=OK,
                leader=NOT_FOUND,
                superuser=OK,
            )
        },
        query=lambda w: {"campaign": w.campaign.pk},
    ),
    # 催报 a report the unit owes, overdue and reopened.
    "notifications:chase": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **OFFICE_ACTION,
                OFFICE: Done(lambda w: w.locked_report.get_absolute_url()),
                SUPERUSER: Done(lambda w: w.locked_report.get_absolute_url()),
            },
        },
        given=World.reopened,
        kwargs=lambda w: {"pk": w.locked_report.pk},
    ),
    # 催报 of every overdue unit of the campaign at once: the summary of who was chased.
    "notifications:chase_overdue": Rule(
        {
            "GET": POST_ONLY,
            "POST": {**everyone(NOT_FOUND, anonymous=LOGIN), OFFICE: Answered(200), SUPERUSER: Answered(200)},
        },
        given=World.reopened,
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        data=lambda w: {"confirmed": "1"},
    ),
    # Dashboards (数据看板). 今日工作 is the office's own page.
    "dashboards:today": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=OK,
                other_office=OK,  # its own campaigns' work
                leader=NOT_FOUND,
                superuser=OK,
            )
        },
        given=World.reopened,
    ),
    # 节假日安排 serves every campaign: any office staff member keeps it, and the admin.
    "dashboards:holidays": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=OK,
                other_office=OK,
                leader=NOT_FOUND,
                superuser=OK,
            ),
            "POST": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=Done("dashboards:holidays"),
                other_office=Done("dashboards:holidays"),
                leader=NOT_FOUND,
                superuser=Done("dashboards:holidays"),
            ),
        },
        data=lambda w: {"text": "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假。", "confirm": ""},
    ),
    # The campaigns whose dashboard each role may open; the unit's people see theirs.
    "dashboards:index": Rule({"GET": everyone(OK, anonymous=LOGIN)}),
    # A liaison or unit head sees the own unit's rows of a campaign it reports to;
    # another office has nothing in this campaign.
    "dashboards:campaign": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=OK,
                other_liaison=OK,
                unit_head=OK,
                office=OK,
                other_office=NOT_FOUND,
                leader=OK,
                superuser=OK,
            )
        },
        given=World.reopened,
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
    # The ranking compares units: the office's and the leaders'.
    "dashboards:ranking": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=OK,
                other_office=NOT_FOUND,
                leader=OK,
                superuser=OK,
            )
        },
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        query=lambda w: {"month": "2026-01"},
    ),
}


# Importing a plan is the office's: its staff and the system admin (404 for
# the others, as on 今日工作). Confirming makes the poster's own office unit
# the draft's office: another office may not choose this one (the form says so).
PLAN_IMPORT_PAGE = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=OK,
    leader=NOT_FOUND,
    superuser=OK,
)


def plan_text():
    from imports.tests.files import sample_text

    return sample_text()


def plan_job(world):
    """A plan file the office uploaded, waiting for its worker."""
    from django.core.files.base import ContentFile

    from imports.models import PlanImportJob

    world.plan_job = PlanImportJob.objects.create(
        file=ContentFile(plan_text().encode("utf-8"), name="plan.txt"),
        original_name="plan.txt",
        size=1,
        content_type="text/plain",
        sha256="0" * 64,
        uploaded_by=world.user(OFFICE),
    )


def confirmed_plan(world):
    from imports.tests.files import confirm_post_data

    return confirm_post_data(text=plan_text(), office_unit=world.campaign.office_unit)


def to_new_campaign(name):
    return lambda w: reverse(name, args=[Campaign.objects.latest("pk").pk])


ACCESS.update({
    "imports:upload": Rule({"GET": PLAN_IMPORT_PAGE}),
    "imports:preview": Rule(
        {
            "GET": {
                **PLAN_IMPORT_PAGE,
                OFFICE: Redirect("imports:upload"),
                OTHER_OFFICE: Redirect("imports:upload"),
                SUPERUSER: Redirect("imports:upload"),
            },
            "POST": PLAN_IMPORT_PAGE,
        },
        data=lambda w: {"text": plan_text()},
    ),
    # An uploaded plan's job: the uploader's office (and the system admin) follow it.
    "imports:job": Rule(
        {
            "GET": {
                **PLAN_IMPORT_PAGE,
                OTHER_OFFICE: NOT_FOUND,
            },
        },
        given=plan_job,
        kwargs=lambda w: {"pk": w.plan_job.pk},
    ),
    "imports:confirm": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **PLAN_IMPORT_PAGE,
                OFFICE: Done(to_new_campaign("setup:overview")),
                SUPERUSER: Done(to_new_campaign("setup:overview")),
            },
        },
        data=confirmed_plan,
    ),
})


# Drafts of the documents the office signs (文稿起草: 年度情况报告, 阶段总结,
# 总结报告): the campaign's office drafts and edits them, its leaders read
# them and download every version; everyone else gets 404, and so does a
# leader's POST (documents.access).


def drafted_report(world):
    """The office drafts the campaign's 2026 year-end report: version 1."""
    from documents import services

    world.document_draft, _ = services.start_draft(
        campaign=world.campaign, kind="annual", year=2026, by=world.user(OFFICE), at=EARLIER
    )


def with_draft(world):
    return {"pk": world.document_draft.pk}


def with_version(world):
    return {"pk": world.document_draft.pk, "number": 1}


def to_document_draft(world):
    from documents.models import Draft

    return reverse("documents:draft", args=[Draft.objects.get(campaign=world.campaign).pk])


def draft_form(world):
    """What the draft page's form posts unchanged: version 1 saved again."""
    from core.official import from_data
    from documents.forms import DraftForm

    version = world.document_draft.versions.get(number=1)
    form = DraftForm(document=from_data(version.data))
    data = {"base": "1"}
    for name, field in form.fields.items():
        value = form[name].value()
        if name.endswith("_delete") or value is None:
            continue
        data[name] = field.widget.format_value(value) if name == "issued_on" else value
    return data


DRAFT_READERS = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=NOT_FOUND,
    leader=OK,
    superuser=OK,
)
DRAFT_EDITORS = {**DRAFT_READERS, LEADER: NOT_FOUND}
DRAFT_EDITED = {**DRAFT_EDITORS, OFFICE: Done(to_document_draft), SUPERUSER: Done(to_document_draft)}

ACCESS.update({
    # The index: each role sees the campaigns it may read (another office its own).
    "documents:annual": Rule({"GET": {**DRAFT_READERS, OTHER_OFFICE: OK}}),
    "documents:start": Rule(
        {"GET": POST_ONLY, "POST": DRAFT_EDITED},
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        data=lambda w: {"scope": "annual:2026"},
    ),
    "documents:draft": Rule(
        {"GET": DRAFT_READERS, "POST": DRAFT_EDITED}, given=drafted_report, kwargs=with_draft, data=draft_form
    ),
    "documents:regenerate": Rule(
        {"GET": DRAFT_EDITORS, "POST": DRAFT_EDITED}, given=drafted_report, kwargs=with_draft
    ),
    "documents:version": Rule({"GET": DRAFT_READERS}, given=drafted_report, kwargs=with_version),
    "documents:restore": Rule(
        {"GET": POST_ONLY, "POST": DRAFT_EDITED}, given=drafted_report, kwargs=with_version
    ),
    "documents:docx": Rule({"GET": DRAFT_READERS}, given=drafted_report, kwargs=with_version),
    "documents:pdf": Rule({"GET": DRAFT_READERS}, given=drafted_report, kwargs=with_version),
    # 润色 is there only when a language model is configured (LLM_URL), which
    # it is not here: 404 for everyone. Who may, with a model, is in
    # documents/tests/test_polish.py (the campaign's office only).
    "documents:polish": Rule(
        {"GET": POST_ONLY, "POST": everyone(NOT_FOUND, anonymous=LOGIN)},
        data=lambda w: {"campaign": w.campaign.pk, "text": "1月8日开展普法宣传活动2场。"},
    ),
})


# Monthly evaluation (综合评定): the office computes, adjusts, publishes and
# writes the bulletin; leaders read (403 on actions); a unit sees the
# published ranking and bulletin, its own breakdown, and objects for itself;
# another office has nothing here (evaluations.access.visible_evaluations & co).


def evaluation_state():
    from evaluations.models import Bulletin, Evaluation, ManualAdjustment, Objection, Score

    return {
        "evaluations": list(Evaluation.objects.order_by("pk").values_list("pk", "status", "computed_at")),
        "scores": list(Score.objects.order_by("pk").values_list("pk", "total", "rank")),
        "adjustments": ManualAdjustment.objects.count(),
        "objections": list(Objection.objects.order_by("pk").values_list("pk", "status")),
        "bulletins": list(Bulletin.objects.order_by("pk").values_list("pk", "status", "number", "body")),
    }


def scored(world):
    """The campaign's scheme, and December 2025 computed (a draft). A month
    is published only once it is over, and January is not over at NOW: the
    unit and the other unit owed a report due on 30 December."""
    from evaluations import services
    from evaluations.tests.factories import scheme_for
    from reports.tests.factories import PeriodFactory

    if not hasattr(world, "evaluation"):
        scheme_for(world.campaign)
        december = PeriodFactory(
            rule=world.rule,
            number=99,
            starts_on=datetime.date(2025, 12, 22),
            ends_on=datetime.date(2025, 12, 28),
            due_at=local(2025, 12, 30, 17, 30),
        )
        for unit in (world.unit, world.other_unit):
            Report.objects.create(period=december, unit=unit, due_at=december.due_at)
        world.evaluation = services.compute_evaluation(
            campaign=world.campaign, month=datetime.date(2025, 12, 1), by=world.user(OFFICE)
        )
        world.score = world.evaluation.scores.get(unit=world.unit)


def with_scheme(world):
    from evaluations.tests.factories import scheme_for

    scheme_for(world.campaign)


def scored_with_survey(world):
    """A draft evaluation whose scheme has a 问卷调查 score the office enters."""
    from evaluations.models import ScoringComponent

    scored(world)
    world.survey = ScoringComponent.objects.create(
        scheme=world.campaign.scoring_scheme, kind=ScoringComponent.Kind.SURVEY, weight=10, position=9
    )


def published_evaluation(world):
    from evaluations import services

    scored(world)
    world.evaluation = services.publish_evaluation(evaluation=world.evaluation, by=world.user(OFFICE))


def open_objection(world):
    from evaluations import services

    published_evaluation(world)
    world.objection = services.raise_objection(score=world.score, text="1月6日周报已按时报送。", by=world.user(LIAISON))


def draft_bulletin(world):
    from evaluations import services

    published_evaluation(world)
    world.bulletin = services.draft_bulletin(evaluation=world.evaluation)


def published_bulletin(world):
    from evaluations import services

    draft_bulletin(world)
    world.bulletin = services.publish_bulletin(bulletin=world.bulletin, by=world.user(OFFICE))


def to_evaluation(world):
    from evaluations.models import Evaluation

    return reverse("evaluations:detail", args=[Evaluation.objects.get(campaign=world.campaign).pk])


def to_score(world):
    return reverse("evaluations:score", args=[world.score.pk])


def to_bulletin(world):
    from evaluations.models import Bulletin

    return reverse("evaluations:bulletin", args=[Bulletin.objects.get(evaluation__campaign=world.campaign).pk])


def to_objections(world):
    return reverse("evaluations:objections", args=[world.campaign.pk])


# A published evaluation (ranking, bulletin) as its readers see it: every unit scored in it.
READ_PUBLISHED = roles(
    anonymous=LOGIN, liaison=OK, other_liaison=OK, unit_head=OK, office=OK, other_office=NOT_FOUND, leader=OK, superuser=OK
)
# The office's and the leaders' own pages (drafts, objections).
OVERSEERS_ONLY = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=NOT_FOUND,
    leader=OK,
    superuser=OK,
)


def office_acts(done, *, units=NOT_FOUND):
    """An office action on an evaluation's object: leaders 403; the units
    404 where they cannot see the object (a draft), else 403."""
    return roles(
        anonymous=LOGIN,
        liaison=units,
        other_liaison=units,
        unit_head=units,
        office=Done(done),
        other_office=NOT_FOUND,
        leader=FORBIDDEN,
        superuser=Done(done),
    )


ACCESS.update({
    "evaluations:index": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=OK,  # two campaigns: this one and the other office's
                other_liaison=Redirect(lambda w: reverse("evaluations:list", args=[w.campaign.pk])),
                unit_head=OK,
                office=Redirect(lambda w: reverse("evaluations:list", args=[w.campaign.pk])),
                other_office=Redirect(lambda w: reverse("evaluations:list", args=[w.other_campaign.pk])),
                leader=Redirect(lambda w: reverse("evaluations:list", args=[w.campaign.pk])),
                superuser=OK,
            )
        }
    ),
    "evaluations:list": Rule({"GET": READ_PUBLISHED}, given=published_evaluation, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "evaluations:compute": Rule(
        {"GET": POST_ONLY, "POST": office_acts(to_evaluation, units=FORBIDDEN)},
        given=with_scheme,
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        data=lambda w: {"month": "2026-01"},
    ),
    "evaluations:objections": Rule({"GET": OVERSEERS_ONLY}, given=open_objection, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "evaluations:detail": Rule({"GET": READ_PUBLISHED}, given=published_evaluation, kwargs=lambda w: {"pk": w.evaluation.pk}),
    "evaluations:publish": Rule(
        {"GET": POST_ONLY, "POST": office_acts(to_evaluation)}, given=scored, kwargs=lambda w: {"pk": w.evaluation.pk}
    ),
    # The office types each unit's survey score; leaders read the draft but do not enter.
    "evaluations:entered_scores": Rule(
        {
            "GET": {**office_acts(None), OFFICE: OK, SUPERUSER: OK},
            "POST": office_acts(to_evaluation),
        },
        given=scored_with_survey,
        kwargs=lambda w: {"pk": w.evaluation.pk, "component_id": w.survey.pk},
        data=lambda w: {f"unit_{w.score.unit_id}": "90"},
    ),
    "evaluations:bulletin_draft": Rule(
        {"GET": POST_ONLY, "POST": office_acts(to_bulletin, units=FORBIDDEN)},
        given=published_evaluation,
        kwargs=lambda w: {"pk": w.evaluation.pk},
    ),
    # The unit's own breakdown; another unit's is a 404.
    "evaluations:score": Rule(
        {"GET": {**READ_PUBLISHED, OTHER_LIAISON: NOT_FOUND}},
        given=published_evaluation,
        kwargs=lambda w: {"pk": w.score.pk},
    ),
    "evaluations:adjust": Rule(
        {"GET": POST_ONLY, "POST": office_acts(to_score)},
        given=scored,
        kwargs=lambda w: {"pk": w.score.pk},
        data=lambda w: {"points": "1", "reason": "承办全区文明执法现场会。"},
    ),
    "evaluations:objection_raise": Rule(
        {"GET": POST_ONLY, "POST": {**UNIT_ACTION, LIAISON: Done(to_score), UNIT_HEAD: Done(to_score)}},
        given=published_evaluation,
        kwargs=lambda w: {"pk": w.score.pk},
        data=lambda w: {"text": "1月6日周报已按时报送，系统未记录。"},
    ),
    "evaluations:objection_answer": Rule(
        {
            "GET": POST_ONLY,
            "POST": {**office_acts(to_objections, units=FORBIDDEN), OTHER_LIAISON: NOT_FOUND},
        },
        given=open_objection,
        kwargs=lambda w: {"pk": w.objection.pk},
        data=lambda w: {"answer": "经核实，系统记录无误，维持原评定。"},
    ),
    "evaluations:bulletin": Rule(
        {"GET": OVERSEERS_ONLY, "POST": office_acts(to_bulletin)},
        given=draft_bulletin,
        kwargs=lambda w: {"pk": w.bulletin.pk},
        data=lambda w: {"title": w.bulletin.title, "number": "管卫办〔2026〕3号", "recipients": "各责任单位：", "body": w.bulletin.body},
    ),
    "evaluations:bulletin_publish": Rule(
        {"GET": POST_ONLY, "POST": office_acts(to_bulletin)}, given=draft_bulletin, kwargs=lambda w: {"pk": w.bulletin.pk}
    ),
    "evaluations:bulletin_download": Rule(
        {"GET": READ_PUBLISHED}, given=published_bulletin, kwargs=lambda w: {"pk": w.bulletin.pk}
    ),
})


# Supervision (督导检查, 整改台账): the office records and decides, leaders
# read, a unit's people see and answer only their own unit's items; whole
# inspections (every unit's scores) are not the units' to read.


def supervision_state():
    from supervision.models import Inspection, InspectionRevision, RectificationItem, RectificationResponse

    return {
        "inspections": Inspection.objects.count(),
        "inspection revisions": InspectionRevision.objects.count(),
        "rectifications": list(RectificationItem.objects.order_by("pk").values_list("pk", "status")),
        "rectification responses": list(RectificationResponse.objects.order_by("pk").values_list("pk", "decision")),
    }


def assessment_state():
    from assessments.models import AssessmentItem, AssessmentSystem, Standard

    return {
        "assessment systems": list(AssessmentSystem.objects.order_by("pk").values_list("pk", "is_current")),
        "assessment items": list(AssessmentItem.objects.order_by("pk").values_list("pk", "name")),
        "assessment standards": list(Standard.objects.order_by("pk").values_list("pk", "text", "score", "lead_unit")),
    }


def inspected(world):
    """An on-site inspection with a finding at the unit and one at the other unit, and a file."""
    from supervision import services
    from supervision.models import Inspection

    world.inspection = services.record_inspection(
        campaign=world.campaign,
        by=world.user(OFFICE),
        at=EARLIER,
        kind=Inspection.Kind.ON_SITE,
        inspected_on=EARLIER.date(),
        inspectors="樊丽娜、李蓉",
        units=[(world.unit, 86), (world.other_unit, 90)],
        findings=[
            services.FindingInput(world.unit, "执法文书填写不规范。", "规范执法文书。", datetime.date(2026, 1, 20)),
            services.FindingInput(world.other_unit, "公示栏未更新。", "更新公示栏。", datetime.date(2026, 1, 20)),
        ],
        attachments=[SimpleUploadedFile("检查记录.pdf", PDF)],
    )
    world.item = world.inspection.findings.get(unit=world.unit).rectification
    world.inspection_attachment = world.inspection.attachments.get()


def rectification_answered(world):
    """The unit's item, answered by its liaison with a file: awaiting the office."""
    from supervision import services

    inspected(world)
    response = services.submit_response(
        item=world.item, by=world.user(LIAISON), at=EARLIER, text="已组织培训。", files=[SimpleUploadedFile("签到表.pdf", PDF)]
    )
    world.evidence = response.evidence.get()


def to_item(world):
    return reverse("supervision:item_detail", args=[world.item.pk])


def to_ledger(campaign):
    return lambda w: reverse("supervision:ledger", args=[getattr(w, campaign).pk])


def to_new_inspection(world):
    from supervision.models import Inspection

    return reverse("supervision:inspection_detail", args=[Inspection.objects.latest("pk").pk])


def inspection_form(world):
    return {
        "kind": "on_site",
        "inspected_on": "2026-01-12",
        "inspectors": "樊丽娜",
        f"unit_{world.unit.pk}": "on",
        f"score_{world.unit.pk}": "90",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "50",
        "findings-0-unit": world.unit.pk,
        "findings-0-description": "台账不全。",
        "findings-0-requirement": "补齐台账。",
        "findings-0-deadline": "2026-01-30",
    }


def inspection_edit_form(world):
    return {
        "kind": "on_site",
        "inspected_on": EARLIER.date().isoformat(),
        "inspectors": "樊丽娜、李蓉、王强",
        f"unit_{world.unit.pk}": "on",
        f"score_{world.unit.pk}": "88",
        f"unit_{world.other_unit.pk}": "on",
        f"score_{world.other_unit.pk}": "90",
    }


def to_inspection(world):
    return reverse("supervision:inspection_detail", args=[world.inspection.pk])


# The office's and leaders' pages: whole inspections and the ledger.
SUPERVISION_READ = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=NOT_FOUND,
    leader=OK,
    superuser=OK,
)
# An item: its unit's people, the office and leaders read it.
READ_UNIT_ITEM = READ_UNIT_REPORT
# The unit's actions on its item: everyone else gets 404, even the office.
UNIT_ITEM_ACTION = {**UNIT_ACTION, LIAISON: Done(to_item), UNIT_HEAD: Done(to_item)}
# Verifying: the office acts; the unit's people and the leader read the item but are refused.
OFFICE_ITEM_ACTION = {**OFFICE_ACTION, OFFICE: Done(to_item), SUPERUSER: Done(to_item)}

ACCESS.update({
    "supervision:index": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=Redirect("supervision:unit_items"),
                other_liaison=Redirect("supervision:unit_items"),
                unit_head=Redirect("supervision:unit_items"),
                office=Redirect(to_ledger("campaign")),
                other_office=Redirect(to_ledger("other_campaign")),
                leader=Redirect(to_ledger("campaign")),
                superuser=OK,  # every campaign, to choose from
            )
        }
    ),
    "supervision:ledger": Rule({"GET": SUPERVISION_READ}, given=inspected, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "supervision:ledger_export": Rule(
        {"GET": SUPERVISION_READ}, given=inspected, kwargs=lambda w: {"campaign_id": w.campaign.pk}
    ),
    "supervision:inspection_create": Rule(
        {
            "GET": {**SUPERVISION_READ, LEADER: FORBIDDEN},
            "POST": {
                **SUPERVISION_READ,
                LEADER: FORBIDDEN,
                OFFICE: Done(to_new_inspection),
                SUPERUSER: Done(to_new_inspection),
            },
        },
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        data=inspection_form,
    ),
    "supervision:inspection_detail": Rule(
        {"GET": SUPERVISION_READ}, given=inspected, kwargs=lambda w: {"pk": w.inspection.pk}
    ),
    "supervision:inspection_edit": Rule(
        {
            "GET": {**SUPERVISION_READ, LEADER: FORBIDDEN},
            "POST": {
                **SUPERVISION_READ,
                LEADER: FORBIDDEN,
                OFFICE: Done(to_inspection),
                SUPERUSER: Done(to_inspection),
            },
        },
        given=inspected,
        kwargs=lambda w: {"pk": w.inspection.pk},
        data=inspection_edit_form,
    ),
    "supervision:attachment_download": Rule(
        {"GET": SUPERVISION_READ}, given=inspected, kwargs=lambda w: {"pk": w.inspection_attachment.pk}
    ),
    "supervision:item_detail": Rule({"GET": READ_UNIT_ITEM}, given=inspected, kwargs=lambda w: {"pk": w.item.pk}),
    "supervision:evidence_download": Rule(
        {"GET": READ_UNIT_ITEM}, given=rectification_answered, kwargs=lambda w: {"pk": w.evidence.pk}
    ),
    "supervision:unit_items": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=OK,
                other_liaison=OK,  # their own unit's items
                unit_head=OK,
                office=NOT_FOUND,
                other_office=NOT_FOUND,
                leader=NOT_FOUND,
                superuser=NOT_FOUND,  # belongs to no unit
            )
        },
        given=inspected,
    ),
    "supervision:item_start": Rule(
        {"GET": POST_ONLY, "POST": UNIT_ITEM_ACTION}, given=inspected, kwargs=lambda w: {"pk": w.item.pk}
    ),
    "supervision:item_answer": Rule(
        {"GET": POST_ONLY, "POST": UNIT_ITEM_ACTION},
        given=inspected,
        kwargs=lambda w: {"pk": w.item.pk},
        data=lambda w: {"text": "已组织全所执法人员培训，整改到位。"},
    ),
    "supervision:item_decide": Rule(
        {"GET": POST_ONLY, "POST": OFFICE_ITEM_ACTION},
        given=rectification_answered,
        kwargs=lambda w: {"pk": w.item.pk},
        data=lambda w: {"decision": "verify"},
    ),
})


# 活动设置: the campaign's office and the system admin set up a draft; everyone
# else gets 404, leaders too (setup.access). The world's campaign is active,
# so `drafted` turns it back into a draft with an office contact: nothing else
# is missing before it may be activated.
def setup_state():
    from django.contrib.auth import get_user_model

    from campaigns.models import LeadingGroupMember, Phase
    from evaluations.models import ScoringComponent
    from reports.models import ReportingRule
    from tasks.models import Indicator, Task

    return {
        "campaign statuses": list(Campaign.objects.order_by("pk").values_list("pk", "status", "contact_person")),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "title", "lead_unit", "tree_path")),
        "rules": list(ReportingRule.objects.order_by("pk").values_list("pk", "name", "weekday")),
        "indicators": list(Indicator.objects.order_by("pk").values_list("pk", "name", "target_value")),
        "phases": Phase.objects.count(),
        "leading group": LeadingGroupMember.objects.count(),
        "scoring components": ScoringComponent.objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username", "is_active")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "user", "unit", "role", "is_active")),
    }


def document_state():
    from documents.models import Draft, DraftVersion

    return list(Draft.objects.order_by("pk").values_list("pk", "kind", "year")) + list(
        DraftVersion.objects.order_by("pk").values_list("pk", "number")
    )


def drafted(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(
        status=Campaign.Status.DRAFT, contact_person="樊丽娜", contact_phone="66213720"
    )


def first_task(world):
    """任务1, the first of the world's two tasks (it stays 任务1 when moved)."""
    from tasks.models import Task

    return Task.objects.get(campaign=world.campaign, title="任务1")


def to_setup(name, anchor=None):
    def target(world):
        path = reverse(f"setup:{name}", args=[world.campaign.pk])
        return path + (anchor(world) if anchor else "")

    return target


def to_setup_unit(world):
    return reverse("setup:unit_people", args=[world.campaign.pk, world.unit.pk])


SETUP_PAGE = roles(
    anonymous=LOGIN,
    liaison=NOT_FOUND,
    other_liaison=NOT_FOUND,
    unit_head=NOT_FOUND,
    office=OK,
    other_office=NOT_FOUND,
    leader=NOT_FOUND,
    superuser=OK,
)


def setup_done(to):
    return {**SETUP_PAGE, OFFICE: Done(to), SUPERUSER: Done(to)}


@dataclass(frozen=True)
class Shown(Status):
    """The action was taken and its answer is a page, not a redirect: a new
    person's first password, shown once."""

    changes = True


def with_unit(world):
    return {"campaign_id": world.campaign.pk, "unit_id": world.unit.pk}


def given_by_the_office(world):
    """The campaign a draft, and a unit head the office gave the unit by mistake."""
    drafted(world)
    membership = Membership(user=world.forgetful, unit=world.unit, role=Role.UNIT_HEAD)
    membership._history_user = world.user(OFFICE)
    membership.save()
    world.mistake = membership


def setup_rule(methods, **rule):
    return Rule(methods, given=drafted, kwargs=rule.pop("kwargs", lambda w: {"campaign_id": w.campaign.pk}), **rule)


def with_task(world):
    return {"campaign_id": world.campaign.pk, "pk": first_task(world).pk}


def with_rule(world):
    return {"campaign_id": world.campaign.pk, "pk": world.rule.pk}


def empty_formset(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


ACCESS.update({
    "setup:overview": setup_rule({"GET": SETUP_PAGE}),
    "setup:basics": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("basics"))},
        data=lambda w: {
            "title": w.campaign.title,
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "contact_person": "李蓉",
            "contact_phone": "66213720",
            **empty_formset("phases"),
        },
    ),
    "setup:tasks": setup_rule({"GET": SETUP_PAGE}),
    "setup:task_create": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("tasks"))},
        data=lambda w: {"title": "开展执法培训", "lead_unit": w.unit.pk},
    ),
    "setup:task_edit": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("tasks"))},
        kwargs=with_task,
        data=lambda w: {"title": "任务1（修改）", "lead_unit": w.other_unit.pk},
    ),
    "setup:task_move": setup_rule(
        {"GET": POST_ONLY, "POST": setup_done(to_setup("tasks", lambda w: f"#task-{first_task(w).pk}"))},
        kwargs=with_task,
        data=lambda w: {"direction": "down"},
    ),
    # The first task has siblings and no children: it goes.
    "setup:task_delete": setup_rule({"GET": POST_ONLY, "POST": setup_done(to_setup("tasks"))}, kwargs=with_task),
    "setup:rules": setup_rule({"GET": SETUP_PAGE}),
    "setup:rule_create": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("rules"))},
        data=lambda w: {
            "name": "月报",
            "cadence": "monthly",
            "day_of_month": "19",
            "due_time": "17:30",
            "owners": "task_units",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
        },
    ),
    "setup:rule_edit": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("rules"))},
        kwargs=with_rule,
        data=lambda w: {
            "name": w.rule.name,
            "cadence": "weekly",
            "weekday": "3",
            "due_time": "17:30",
            "owners": "task_units",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
        },
    ),
    # The world's rule has reports: deleting it is refused and changes nothing.
    "setup:rule_delete": setup_rule(
        {
            "GET": POST_ONLY,
            "POST": {**SETUP_PAGE, OFFICE: Redirect(to_setup("rules")), SUPERUSER: Redirect(to_setup("rules"))},
        },
        kwargs=with_rule,
    ),
    "setup:indicators": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("indicators"))},
        data=lambda w: {
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-name": "发放宣传资料",
            "indicators-0-measure_unit": "份",
            "indicators-0-aggregation": "sum",
            "indicators-0-comparison": "gte",
            "indicators-0-position": "1",
        },
    ),
    "setup:leading_group": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("leading_group"))},
        data=lambda w: {
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-position": "head",
            "members-0-name": "张彦军",
            "members-0-order": "0",
        },
    ),
    "setup:scoring": setup_rule(
        {"GET": SETUP_PAGE, "POST": setup_done(to_setup("scoring"))},
        data=lambda w: {
            "objection_days": "5",
            "lead_count": "3",
            "lag_count": "2",
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "0",
            "components-0-kind": "submission_rate",
            "components-0-weight": "40",
            "components-0-deduction": "0",
            "components-0-position": "0",
        },
    ),
    "setup:liaisons": setup_rule({"GET": SETUP_PAGE}),
    "setup:unit_people": setup_rule(
        {"GET": SETUP_PAGE, "POST": {**SETUP_PAGE, OFFICE: Shown(200), SUPERUSER: Shown(200)}},
        kwargs=with_unit,
        data=lambda w: {"full_name": "周海涛", "phone": "13912345678", "role": "liaison"},
    ),
    "setup:member_assign": setup_rule(
        {"GET": POST_ONLY, "POST": setup_done(to_setup_unit)},
        kwargs=with_unit,
        data=lambda w: {"user": w.forgetful.pk, "role": "liaison"},
    ),
    "setup:member_end": Rule(
        {"GET": POST_ONLY, "POST": setup_done(to_setup_unit)},
        given=given_by_the_office,
        kwargs=lambda w: {"campaign_id": w.campaign.pk, "pk": w.mistake.pk},
    ),
    "setup:activate": setup_rule(
        {"GET": POST_ONLY, "POST": setup_done(lambda w: reverse("dashboards:campaign", args=[w.campaign.pk]))}
    ),
    # The world's draft already has reports (its status was set back by
    # hand): the office is told it cannot be deleted, and nothing changes.
    "setup:discard": setup_rule(
        {"GET": POST_ONLY, "POST": {**SETUP_PAGE, OFFICE: Redirect(to_setup("overview")), SUPERUSER: Redirect(to_setup("overview"))}}
    ),
})


# Every URL has a rule


def project_urls(resolver=None, namespace=""):
    """(name, pattern) of every URL of the project, but Django admin's and static files'."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_urls(pattern, inner)
        elif pattern.callback.__module__ in ("django.views.static", "django.contrib.staticfiles.views"):
            continue
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"), pattern


def test_every_url_has_an_access_rule():
    missing = [
        f"URL {name} has no access rule in config/tests/test_access.py: add one"
        for name, _ in project_urls()
        if name not in ACCESS
    ]
    assert not missing, "\n".join(missing)


def test_every_access_rule_is_for_a_url_that_exists():
    names = {name for name, _ in project_urls()}
    assert sorted(set(ACCESS) - names) == []


# 测评体系 (assessments): the office keeps it, leaders read it, units see nothing.
def to_assessments(campaign):
    return lambda w: reverse("assessments:system", args=[getattr(w, campaign).pk])


def to_assessment_page(name):
    return lambda w: reverse(f"assessments:{name}", args=[w.campaign.pk])


ASSESSMENT_MAKERS = {**OFFICE_ONLY}
ACCESS.update({
    "assessments:index": Rule(
        {
            "GET": roles(
                anonymous=LOGIN,
                liaison=NOT_FOUND,
                other_liaison=NOT_FOUND,
                unit_head=NOT_FOUND,
                office=Redirect(to_assessments("campaign")),
                other_office=Redirect(to_assessments("other_campaign")),
                leader=Redirect(to_assessments("campaign")),
                superuser=OK,  # every campaign, to choose from
            )
        }
    ),
    "assessments:system": Rule({"GET": SUPERVISION_READ}, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "assessments:site_list": Rule({"GET": SUPERVISION_READ}, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    # A POST without a file shows the form again with its error, changing nothing.
    "assessments:system_import": Rule(
        {"GET": ASSESSMENT_MAKERS, "POST": ASSESSMENT_MAKERS}, kwargs=lambda w: {"campaign_id": w.campaign.pk}
    ),
    "assessments:sites_import": Rule(
        {"GET": ASSESSMENT_MAKERS, "POST": ASSESSMENT_MAKERS}, kwargs=lambda w: {"campaign_id": w.campaign.pk}
    ),
    # A confirmation without its signed preview goes back to the upload, changing nothing.
    "assessments:system_confirm": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **ASSESSMENT_MAKERS,
                OFFICE: Redirect(to_assessment_page("system_import")),
                SUPERUSER: Redirect(to_assessment_page("system_import")),
            },
        },
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
    "assessments:sites_confirm": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **ASSESSMENT_MAKERS,
                OFFICE: Redirect(to_assessment_page("sites_import")),
                SUPERUSER: Redirect(to_assessment_page("sites_import")),
            },
        },
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
})


def mock_assessed(world):
    """A mock assessment under way, one sampled site observed by the office's clerk."""
    from assessments.models import (
        AssessmentContent,
        AssessmentItem,
        AssessmentSystem,
        MockAssessment,
        SampledSite,
        Site,
        SiteType,
    )

    system = AssessmentSystem.objects.create(campaign=world.campaign, name="测评体系", created_by=world.user(OFFICE))
    AssessmentContent.objects.create(item=AssessmentItem.objects.create(system=system, position=1, name="市容"), position=1)
    site = Site.objects.create(
        campaign=world.campaign, site_type=SiteType.objects.create(campaign=world.campaign, name="农贸市场"), name="东门市场", unit=world.unit
    )
    world.mock = MockAssessment.objects.create(
        campaign=world.campaign, system=system, name="模拟测评", held_on=EARLIER.date(), created_by=world.user(OFFICE), status="open"
    )
    world.sampled = SampledSite.objects.create(assessment=world.mock, site=site, observer=world.user(OFFICE))


def to_mock(world):
    return reverse("assessments:mock_detail", args=[world.mock.pk])


MOCK_ACTION = {**OFFICE_ONLY, OFFICE: Redirect(to_mock), SUPERUSER: Redirect(to_mock)}
ACCESS.update({
    "assessments:mock_list": Rule(
        {"GET": SUPERVISION_READ, "POST": {**SUPERVISION_READ, LEADER: FORBIDDEN}},
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
    "assessments:mock_detail": Rule({"GET": SUPERVISION_READ}, given=mock_assessed, kwargs=lambda w: {"pk": w.mock.pk}),
    # The results workbook and the bulletin draft: whoever reads the results.
    "assessments:mock_workbook": Rule({"GET": SUPERVISION_READ}, given=mock_assessed, kwargs=lambda w: {"pk": w.mock.pk}),
    "assessments:mock_bulletin": Rule({"GET": SUPERVISION_READ}, given=mock_assessed, kwargs=lambda w: {"pk": w.mock.pk}),
    # Without their fields the office's actions change nothing and say why, back on the assessment.
    **{
        f"assessments:mock_{action}": Rule(
            {"GET": POST_ONLY, "POST": MOCK_ACTION}, given=mock_assessed, kwargs=lambda w: {"pk": w.mock.pk}
        )
        for action in ("draw", "assign", "start", "close")
    },
    # Every signed-in person has a (maybe empty) list of sites to observe.
    "assessments:my_sites": Rule({"GET": everyone(OK, anonymous=LOGIN)}),
    # A site's form is its observer's alone.
    "assessments:observe": Rule(
        {
            "GET": {**everyone(NOT_FOUND, anonymous=LOGIN), OFFICE: OK},
            "POST": {
                **everyone(NOT_FOUND, anonymous=LOGIN),
                OFFICE: Redirect(lambda w: reverse("assessments:observe", args=[w.sampled.pk])),
            },
        },
        given=mock_assessed,
        kwargs=lambda w: {"pk": w.sampled.pk},
    ),
})


# 材料审核: a unit's material is its own; the office reviews it once submitted; leaders read.
def material_state():
    from assessments.models import MaterialFile, StandardMaterial

    return {
        "materials": list(StandardMaterial.objects.order_by("pk").values_list("pk", "status", "text")),
        "material files": list(MaterialFile.objects.order_by("pk").values_list("pk", "removed_at")),
    }


def material_sent(status):
    """The unit's material for a standard it leads, with one file, sent to the office (and returned)."""

    def given(world):
        from assessments import material
        from assessments.models import AssessmentContent, AssessmentItem, AssessmentSystem, Standard

        system = AssessmentSystem.objects.create(campaign=world.campaign, name="测评体系", created_by=world.user(OFFICE))
        content = AssessmentContent.objects.create(
            item=AssessmentItem.objects.create(system=system, position=1, name="公共卫生"), position=1
        )
        world.standard = Standard.objects.create(
            system=system, content=content, position=1, text="建立健康教育工作制度", methods=["材料审核"], lead_unit=world.unit
        )
        world.material = material.save_and_submit(
            standard=world.standard, unit=world.unit, by=world.user(LIAISON), at=EARLIER, text="已印发。",
            files=[SimpleUploadedFile("制度.pdf", PDF)],
        )
        if status == "returned":
            material.return_material(material=world.material, by=world.user(OFFICE), at=EARLIER, comment="请补充会议纪要。")
        world.material_file = world.material.files.get()

    return given


def to_material_edit(world):
    return reverse("assessments:material_edit", args=[world.standard.pk, world.unit.pk])


def to_material_reviews(world):
    return reverse("assessments:material_list", args=[world.campaign.pk]) + "?state=submitted"


MATERIAL_UNIT_ACTION = {**UNIT_ACTION, LIAISON: Done(to_material_edit), UNIT_HEAD: Done(to_material_edit)}
ACCESS.update({
    # Whoever writes for a unit has a (maybe empty) list; everyone else 404.
    "assessments:my_material": Rule(
        {"GET": {**everyone(NOT_FOUND, anonymous=LOGIN), LIAISON: OK, OTHER_LIAISON: OK, UNIT_HEAD: OK}}
    ),
    "assessments:material_list": Rule({"GET": SUPERVISION_READ}, kwargs=lambda w: {"campaign_id": w.campaign.pk}),
    "assessments:material_edit": Rule(
        {"GET": {**UNIT_ACTION, LIAISON: OK, UNIT_HEAD: OK}, "POST": MATERIAL_UNIT_ACTION},
        given=material_sent("returned"),
        kwargs=lambda w: {"standard_id": w.standard.pk, "unit_id": w.unit.pk},
        data=lambda w: {"text": "已印发，附会议纪要。", "save": "1"},
    ),
    "assessments:material_review": Rule(
        {
            "GET": READ_UNIT_REPORT,
            "POST": {**OFFICE_ACTION, OFFICE: Done(to_material_reviews), SUPERUSER: Done(to_material_reviews)},
        },
        given=material_sent("submitted"),
        kwargs=lambda w: {"pk": w.material.pk},
        data=lambda w: {"action": "accept"},
    ),
    "assessments:material_file": Rule(
        {"GET": READ_UNIT_REPORT}, given=material_sent("submitted"), kwargs=lambda w: {"pk": w.material_file.pk}
    ),
    "assessments:material_file_remove": Rule(
        {"GET": POST_ONLY, "POST": MATERIAL_UNIT_ACTION},
        given=material_sent("returned"),
        kwargs=lambda w: {"pk": w.material_file.pk},
    ),
})


def mock_failure_answered(world):
    """The unit's item opened by a mock assessment's 不达标, answered by its liaison: awaiting the office."""
    from assessments.models import AssessmentContent, Observation, Standard

    rectification_answered(world)
    mock_assessed(world)
    standard = Standard.objects.create(
        system=world.mock.system, content=AssessmentContent.objects.get(item__system=world.mock.system),
        position=1, text="市场内干净整洁", score=2, methods=["实地考察"],
    )
    Observation.objects.create(
        sampled_site=world.sampled, standard=standard, result="not_met", note="地面积水",
        observed_by=world.user(OFFICE), finding=world.item.finding,
    )


ACCESS.update({
    # 复查 from the item's page verifies or returns the item: the office acts, the
    # leader reads the assessment and is refused, the units see nothing of it.
    "assessments:recheck": Rule(
        {"GET": POST_ONLY, "POST": {**SUPERVISION_READ, LEADER: FORBIDDEN, OFFICE: Done(to_item), SUPERUSER: Done(to_item)}},
        given=mock_failure_answered,
        kwargs=lambda w: {"pk": w.item.pk},
        data=lambda w: {"result": "met"},
    ),
})


# Every URL, for every role


def sign_in(client, world, role):
    if role != ANONYMOUS:
        client.force_login(world.user(role))


CASES = [(name, method, role) for name, rule in ACCESS.items() for method in rule.methods for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), CASES, ids=["-".join(case) for case in CASES])
def test_access(client, world, name, method, role):
    rule = ACCESS[name]
    expected = rule.methods[method][role]
    rule.given(world)
    path = reverse(name, kwargs=rule.kwargs(world))
    if method == "GET" and rule.query(world):
        path = f"{path}?{urlencode(rule.query(world))}"
    sign_in(client, world, role)
    before = snapshot()

    response = client.get(path) if method == "GET" else client.post(path, rule.data(world))

    expected.check(response, world=world, path=path)
    if expected.changes:
        assert snapshot() != before, f"{role} was let through but nothing changed"
    else:
        assert snapshot() == before, f"{method} {path} by {role} changed the data"


# Guessing ids


FORMER_LIAISON = "former_liaison"  # the unit's liaison until their membership was ended
ISSUER_LEADER = "issuer_leader"  # a leader of the unit that issued the campaign
GUESSERS = [LIAISON, OTHER_LIAISON, UNIT_HEAD, OFFICE, OTHER_OFFICE, LEADER, SUPERUSER, FORMER_LIAISON, ISSUER_LEADER]


def guesser(world, role):
    if role == FORMER_LIAISON:
        return MembershipFactory(unit=world.unit, role=Role.LIAISON, is_active=False, user__username="former").user
    if role == ISSUER_LEADER:
        return MembershipFactory(unit=world.campaign.issuing_unit, role=Role.LEADER, user__username="issuer").user
    return world.user(role)


def readable_reports(world, role):
    """The product's rule, written out: whose reports each role reads."""
    reports = Report.objects.all()
    return {
        LIAISON: reports.filter(unit=world.unit),
        UNIT_HEAD: reports.filter(unit=world.unit),
        OTHER_LIAISON: reports.filter(unit=world.other_unit),
        OFFICE: reports.filter(period__rule__campaign=world.campaign),
        LEADER: reports.filter(period__rule__campaign=world.campaign),
        ISSUER_LEADER: reports.filter(period__rule__campaign=world.campaign),
        OTHER_OFFICE: reports.filter(period__rule__campaign=world.other_campaign),
        SUPERUSER: reports,
        FORMER_LIAISON: reports.none(),
    }[role]


def around(pks):
    """The ids in use and a few on either side, as someone counting would try."""
    return range(max(1, min(pks) - 2), max(pks) + 3)


@pytest.mark.parametrize("role", GUESSERS)
def test_counting_through_ids_opens_only_the_reports_and_attachments_the_role_may_read(client, world, role):
    # Everything sent first: whether the office may download an attachment
    # of a draft is another question than whose reports it reads.
    for report in Report.objects.filter(attachments__isnull=False):
        world.send(report)
    client.force_login(guesser(world, role))
    readable = set(readable_reports(world, role).values_list("pk", flat=True))
    assert readable or role == FORMER_LIAISON, "the world gives the role something to read"
    report_ids = around(Report.objects.values_list("pk", flat=True))
    sent = set(ReportVersion.objects.filter(number=1).values_list("report_id", flat=True))
    attachments = dict(Attachment.objects.values_list("pk", "report_id"))

    opened = {pk: client.get(reverse("reports:report_detail", args=[pk])).status_code for pk in report_ids}
    versions = {pk: client.get(reverse("reports:version_detail", args=[pk, 1])).status_code for pk in report_ids}
    downloaded = {
        pk: client.get(reverse("reports:attachment_download", args=[pk])).status_code for pk in around(attachments)
    }

    assert opened == {pk: 200 if pk in readable else 404 for pk in report_ids}
    assert versions == {pk: 200 if pk in readable & sent else 404 for pk in report_ids}
    assert downloaded == {pk: 200 if attachments.get(pk) in readable else 404 for pk in around(attachments)}


def test_another_office_asking_for_this_campaigns_queue_sees_its_own(client, world):
    world.submitted()
    client.force_login(world.user(OTHER_OFFICE))

    response = client.get(reverse("reports:review_queue"), {"campaign": world.campaign.pk, "status": "all"})

    assert response.status_code == 200
    assert response.context["campaign"] == world.other_campaign
    shown = {report.pk for report in response.context["page"]}
    this_campaigns = set(Report.objects.filter(period__rule__campaign=world.campaign).values_list("pk", flat=True))
    assert shown and not shown & this_campaigns


def test_another_office_sees_none_of_this_campaigns_deliveries(client, world):
    world.reopened()
    client.force_login(world.user(OFFICE))
    client.post(reverse("notifications:chase", args=[world.locked_report.pk]))
    chased = set(Delivery.objects.filter(campaign=world.campaign).values_list("pk", flat=True))
    client.force_login(world.user(OTHER_OFFICE))

    response = client.get(reverse("notifications:deliveries"), {"campaign": world.campaign.pk})

    assert chased, "the chase queued deliveries"
    assert response.status_code == 200
    assert not {delivery.pk for delivery in response.context["page"]} & chased


def edition(world):
    """The campaign's current assessment system: an item, a content and a standard."""
    from assessments.models import AssessmentContent, AssessmentItem, AssessmentSystem, Standard

    system = AssessmentSystem.objects.create(campaign=world.campaign, name="测评体系", created_by=world.user(OFFICE))
    world.item = AssessmentItem.objects.create(system=system, position=1, name="市容")
    world.content = AssessmentContent.objects.create(item=world.item, position=1)
    world.standard = Standard.objects.create(system=system, content=world.content, position=1, text="无乱扔垃圾", score=1)


def to_edit(world):
    return reverse("assessments:edit", args=[world.campaign.pk])


def edited(anchor):
    """Back on the edit page, at the renamed row."""
    return lambda w: f"{to_edit(w)}#{anchor(w)}"


def by_campaign(w):
    return {"campaign_id": w.campaign.pk}


# 分解责任 and editing the tree: leaders read the assignment, the office edits.
# Without their fields the office's posts change nothing and say why; a copy
# and a deletion need none.
ACCESS.update({
    "assessments:assignment": Rule({"GET": SUPERVISION_READ}, given=edition, kwargs=by_campaign),
    "assessments:unit_summary": Rule({"GET": SUPERVISION_READ}, given=edition, kwargs=by_campaign),
    "assessments:assign": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **OFFICE_ONLY,
                OFFICE: Redirect(to_assessment_page("assignment")),
                SUPERUSER: Redirect(to_assessment_page("assignment")),
            },
        },
        given=edition,
        kwargs=by_campaign,
    ),
    "assessments:edit": Rule({"GET": OFFICE_ONLY}, given=edition, kwargs=by_campaign),
    "assessments:copy": Rule(
        {"GET": POST_ONLY, "POST": {**OFFICE_ONLY, OFFICE: Done(to_edit), SUPERUSER: Done(to_edit)}},
        given=edition,
        kwargs=by_campaign,
    ),
    "assessments:standard_edit": Rule(
        {"GET": OFFICE_ONLY, "POST": OFFICE_ONLY}, given=edition, kwargs=lambda w: {"pk": w.standard.pk}
    ),
    "assessments:standard_delete": Rule(
        {"GET": POST_ONLY, "POST": {**OFFICE_ONLY, OFFICE: Done(to_edit), SUPERUSER: Done(to_edit)}},
        given=edition,
        kwargs=lambda w: {"pk": w.standard.pk},
    ),
    "assessments:standard_add": Rule(
        {"GET": OFFICE_ONLY, "POST": OFFICE_ONLY}, given=edition, kwargs=lambda w: {"pk": w.content.pk}
    ),
    "assessments:item_rename": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **OFFICE_ONLY,
                OFFICE: Redirect(edited(lambda w: f"item-{w.item.pk}")),
                SUPERUSER: Redirect(edited(lambda w: f"item-{w.item.pk}")),
            },
        },
        given=edition,
        kwargs=lambda w: {"pk": w.item.pk},
    ),
    "assessments:content_rename": Rule(
        {
            "GET": POST_ONLY,
            "POST": {
                **OFFICE_ONLY,
                OFFICE: Redirect(edited(lambda w: f"content-{w.content.pk}")),
                SUPERUSER: Redirect(edited(lambda w: f"content-{w.content.pk}")),
            },
        },
        given=edition,
        kwargs=lambda w: {"pk": w.content.pk},
    ),
})
