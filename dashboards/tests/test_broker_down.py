"""Nothing is lost when Redis or a worker fails (issue 18, the fault tests).

With the broker on a closed port and eager mode off, a liaison's submission,
the office's acceptance, its 催报 and its workbook request answer as usual,
the data is saved and their jobs wait in the outbox. Once "Redis is back",
the relay sends each job once. A worker killed mid-build leaves a build
whose heartbeat stopped: the sweep marks it failed, and 重新生成 works.
"""

import datetime
import os

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from config.celery import app
from core import jobs as core_jobs
from core import outbox
from core.models import OutboxMessage
from notifications.models import Delivery
from reports import exports, workbook
from reports import jobs as report_jobs
from reports.models import Report, WorkbookExport
from reports.tests.conftest import build_setting, local

pytestmark = pytest.mark.django_db

# Period 2 fell due on Tuesday 13 January at 17:30; Wednesday morning.
NOW = local(2026, 1, 14, 10, 5)
CLOSED_PORT = "redis://127.0.0.1:1/0"


def reset_connections():
    """Forget the pools made for the previous broker (see
    notifications/tests/test_celery_worker.py)."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The broker is a Redis that cannot be reached and nothing is eager;
    calling the fixture's value brings the test broker back (eager)."""
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.broker_url = CLOSED_PORT
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 1, "max_retries": 1}
    app.conf.task_always_eager = False
    reset_connections()

    def back():
        app.conf.update(saved)
        reset_connections()

    yield back
    back()


@pytest.fixture
def setting(db, clock):
    # Built at NOW, as the outbox's times are.
    setting = build_setting()
    # The late unit's head has an e-mail address: a 催报 sends an e-mail.
    head = UserFactory(username="other-head", email="head@example.com")
    MembershipFactory(unit=setting.other_unit, role=Membership.Role.UNIT_HEAD, user=head)
    return setting


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def builds(monkeypatch):
    """Every workbook build, counted."""
    calls = []
    real = workbook.build

    def counted(**kwargs):
        calls.append(kwargs["campaign"].pk)
        return real(**kwargs)

    monkeypatch.setattr(workbook, "build", counted)
    return calls


def report_form(setting, report, **extra):
    report.refresh_from_db()
    data = {
        "version": report.version,
        "work_done": "1月8日在辖区3个社区开展普法宣传活动2场，发放宣传资料120份。",
        "problems": "基层宣传阵地利用不充分。",
        "next_steps": "结合主题日开展进社区宣传。",
        f"indicator_{setting.indicator.pk}": "2",
    }
    for task in setting.tasks:
        data.update({f"task_{task.pk}_status": "in_progress", f"task_{task.pk}_percent": "30"})
    data.update(extra)
    return data


def test_with_redis_down_every_action_is_saved_and_each_job_runs_once_when_it_is_back(
    client, setting, clock, broker_down, builds, django_capture_on_commit_callbacks
):
    # The liaison submits (late, with the reason).
    client.force_login(setting.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_edit", args=[setting.report.pk]),
            report_form(setting, setting.report, submit="1", late_reason="集中执法检查，材料延误。"),
        )
    assert response.status_code == 302
    assert Report.objects.get(pk=setting.report.pk).status == Report.Status.SUBMITTED

    # The office accepts it, chases the other unit and asks for a workbook.
    client.force_login(setting.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:review", args=[setting.report.pk]), {"action": "accept"})
    assert response.status_code == 302
    assert Report.objects.get(pk=setting.report.pk).status == Report.Status.ACCEPTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:chase", args=[setting.other_report.pk]), follow=True)
    assert response.status_code == 200
    said = f"已向{setting.other_unit.display_name}催报"
    assert any(said in str(m) for m in response.context["messages"])
    page = reverse("reports:workbooks", args=[setting.campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert response.status_code == 302
    export = WorkbookExport.objects.get()
    assert export.status == WorkbookExport.Status.QUEUED

    # The dashboard answers too.
    assert client.get(reverse("dashboards:campaign", args=[setting.campaign.pk])).status_code == 200

    # Nothing was sent: the jobs wait in the outbox, each with the broker's error.
    email = Delivery.objects.get(channel=Delivery.Channel.EMAIL)
    assert email.status == Delivery.Status.PENDING and mail.outbox == []
    waiting = {m.task: m for m in outbox.pending()}
    assert set(waiting) == {
        "notifications.jobs.send_deliveries",
        "reports.jobs.build_workbook",
        "dashboards.jobs.warm_dashboard",
    }
    assert waiting["notifications.jobs.send_deliveries"].attempts == 1
    assert waiting["notifications.jobs.send_deliveries"].last_error
    assert waiting["reports.jobs.build_workbook"].kwargs == {"export_id": export.pk}
    # One warm-up for the submission and the acceptance together.
    assert outbox.pending(task="dashboards.jobs.warm_dashboard").count() == 1
    assert builds == []

    # Redis is back: the operator's command (or beat's relay) sends each job once.
    broker_down()
    clock.shift(datetime.timedelta(seconds=15))
    out = call_command_output("relay_outbox")
    assert "已发送 3 条任务；仍待发送 0 条" in out
    assert [m.to for m in mail.outbox] == [["head@example.com"]]
    assert Delivery.objects.get(pk=email.pk).status == Delivery.Status.SENT
    export.refresh_from_db()
    assert export.status == WorkbookExport.Status.DONE and export.file
    assert builds == [setting.campaign.pk]

    # Relayed again (beat, a second command): nothing runs twice.
    clock.shift(datetime.timedelta(minutes=5))
    core_jobs.relay_outbox.apply()
    assert len(mail.outbox) == 1 and builds == [setting.campaign.pk]
    assert not outbox.pending().exists()


def call_command_output(name):
    import io

    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


@pytest.fixture
def redis_cache_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}
    }


def test_the_dashboard_answers_with_the_broker_and_the_cache_down(
    client, setting, clock, broker_down, redis_cache_down, django_assert_max_num_queries
):
    client.force_login(setting.office)
    url = reverse("dashboards:campaign", args=[setting.campaign.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    # The figures were added up without the cache: every report of the setting is overdue.
    overdue = Report.objects.filter(period__rule__campaign=setting.campaign, due_at__lt=NOW).count()
    assert overdue and response.context["d"].overdue_count == overdue


def stalled_build(setting, *, beat_ago):
    started = timezone.now() - datetime.timedelta(minutes=20)
    return WorkbookExport.objects.create(
        campaign=setting.campaign,
        requested_by=setting.office,
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 1, 31),
        status=WorkbookExport.Status.RUNNING,
        created_at=started,
        started_at=started,
        heartbeat_at=timezone.now() - beat_ago,
        percent=40,
    )


def test_a_build_whose_worker_was_killed_is_failed_by_the_sweep_and_can_be_built_again(
    client, setting, clock, builds, django_capture_on_commit_callbacks
):
    killed = stalled_build(setting, beat_ago=exports.STALE_HEARTBEAT + datetime.timedelta(seconds=1))
    alive = stalled_build(setting, beat_ago=datetime.timedelta(seconds=40))
    assert report_jobs.release_stale_workbooks.apply().get() == {
        "failed": 1,
        "requeued": 0,
        "orphans": 0,
    }
    killed.refresh_from_db()
    alive.refresh_from_db()
    assert (killed.status, killed.error) == (WorkbookExport.Status.FAILED, exports.STALE_MESSAGE)
    assert alive.status == WorkbookExport.Status.RUNNING

    client.force_login(setting.office)
    page = client.get(reverse("reports:workbooks", args=[setting.campaign.pk])).content.decode()
    assert reverse("reports:workbook_retry", args=[killed.pk]) in page
    assert reverse("reports:workbook_retry", args=[alive.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:workbook_retry", args=[killed.pk]))
    assert response.status_code == 302
    killed.refresh_from_db()
    assert killed.status == WorkbookExport.Status.DONE and killed.file
    assert builds == [setting.campaign.pk]


def test_the_office_may_build_again_a_build_that_stopped_before_the_sweep(
    client, setting, clock, builds, django_capture_on_commit_callbacks
):
    """重新生成 is offered as soon as the heartbeat is stale, not only once failed."""
    stalled = stalled_build(setting, beat_ago=exports.STALE_HEARTBEAT + datetime.timedelta(minutes=1))
    alive = stalled_build(setting, beat_ago=datetime.timedelta(seconds=10))
    client.force_login(setting.office)
    page = client.get(reverse("reports:workbooks", args=[setting.campaign.pk])).content.decode()
    assert page.count("长时间没有进展") == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:workbook_retry", args=[alive.pk]))
        client.post(reverse("reports:workbook_retry", args=[stalled.pk]))
    alive.refresh_from_db()
    stalled.refresh_from_db()
    assert alive.status == WorkbookExport.Status.RUNNING
    assert stalled.status == WorkbookExport.Status.DONE
    assert builds == [setting.campaign.pk]


def test_a_job_the_broker_lost_is_queued_again_once(setting, clock, builds, django_capture_on_commit_callbacks):
    """Published, then lost by a Redis restarted without persistence: no
    worker ever started it. The sweep queues it again, once."""
    queued_at = timezone.now() - exports.STALE_QUEUE - datetime.timedelta(minutes=5)
    lost = WorkbookExport.objects.create(
        campaign=setting.campaign, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31),
        created_at=queued_at,
    )
    OutboxMessage.objects.create(
        task=exports.BUILD_TASK, kwargs={"export_id": lost.pk}, dedupe=f"reports.workbook:{lost.pk}",
        created_at=queued_at, available_at=queued_at, dispatched_at=queued_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = exports.sweep_exports(at=timezone.now())
    assert counts["requeued"] == 1
    lost.refresh_from_db()
    assert lost.status == WorkbookExport.Status.DONE
    assert builds == [setting.campaign.pk]
    # Built now: the next sweep has nothing to queue.
    assert exports.sweep_exports(at=timezone.now())["requeued"] == 0


def test_a_queued_job_still_waiting_for_the_broker_is_left_to_the_relay(setting, clock):
    queued_at = timezone.now() - exports.STALE_QUEUE - datetime.timedelta(minutes=5)
    export = WorkbookExport.objects.create(
        campaign=setting.campaign, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31),
        created_at=queued_at,
    )
    OutboxMessage.objects.create(
        task=exports.BUILD_TASK, kwargs={"export_id": export.pk}, dedupe=f"reports.workbook:{export.pk}",
        created_at=queued_at, available_at=queued_at, attempts=4,
    )
    assert exports.requeue_lost_exports(at=timezone.now()) == 0
    assert outbox.pending(task=exports.BUILD_TASK).count() == 1


def test_the_sweep_removes_scratch_files_a_killed_worker_left(settings, tmp_path, clock):
    settings.WORKBOOK_SCRATCH_DIR = tmp_path / "scratch"
    folder = exports.scratch_dir()
    old, fresh, other = folder / "workbook-old.xlsx", folder / "workbook-fresh.xlsx", folder / "notes.txt"
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    two_hours_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    assert exports.remove_orphan_scratch(at=timezone.now()) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "workbook-fresh.xlsx"]


def test_a_failed_build_leaves_no_scratch_file(settings, tmp_path, setting, monkeypatch):
    settings.WORKBOOK_SCRATCH_DIR = tmp_path / "scratch"
    export = WorkbookExport.objects.create(
        campaign=setting.campaign, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31)
    )

    def broken(*, out, **kwargs):
        out.write(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(workbook, "build", broken)
    assert exports.build_export(export_id=export.pk).status == WorkbookExport.Status.FAILED
    assert list((tmp_path / "scratch").iterdir()) == []


def test_a_long_build_beats_while_it_works(setting, monkeypatch):
    export = WorkbookExport.objects.create(
        campaign=setting.campaign, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31)
    )
    beats = []

    def slow(*, progress, **kwargs):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=False):
            progress(1)  # under five percent, but the last beat is old: written
            beats.append(WorkbookExport.objects.get(pk=export.pk).heartbeat_at)
        raise RuntimeError("stop here")

    monkeypatch.setattr(workbook, "build", slow)
    exports.build_export(export_id=export.pk)
    assert beats[0] > export.created_at + datetime.timedelta(minutes=9)
