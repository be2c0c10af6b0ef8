"""The sweep job through a real broker and a real Celery worker.

With REDIS_URL set (as in CI) the broker is Redis; without it, the
filesystem broker that `make run` uses. Either way nothing is eager.
"""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import pools
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from config.celery import app
from notifications import jobs
from notifications.models import Delivery, Reminder
from reports.models import Period, Report
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory


@pytest.fixture
def real_broker(tmp_path):
    """Point the app at a real broker of its own, and turn eager mode off."""
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    if settings.REDIS_URL:
        app.conf.broker_url = settings.REDIS_URL
        app.conf.broker_transport_options = {}
    else:
        folder = tmp_path / "broker"
        folder.mkdir()
        app.conf.broker_url = "embeddedfs://"
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(tmp_path / "control"),
        }
    app.conf.task_always_eager = False
    reset_connections()
    yield app.conf.broker_url
    app.conf.update(saved)
    reset_connections()


def reset_connections():
    """Forget every connection and producer pool made for the old broker.

    kombu keeps producer pools in a process-wide registry keyed by connection
    URL, and Celery caches them on the app: all three must be cleared, or the
    next .delay() takes a closed pool (an eager .delay() earlier in the run,
    such as a 催报, makes one)."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def overdue_report():
    """A unit whose report fell due yesterday (a working day is not needed:
    `due` and overdue kinds are computed from now, so pick a recent past deadline)."""
    office = UnitFactory()
    unit = UnitFactory(name="区卫生监督所")
    campaign = CampaignFactory(office_unit=office, starts_on=timezone.localdate() - datetime.timedelta(days=30))
    TaskFactory(campaign=campaign, lead_unit=unit)
    liaison = UserFactory(username="liaison", email="liaison@example.com")
    MembershipFactory(user=liaison, unit=unit, role=Membership.Role.LIAISON)
    rule = ReportingRuleFactory(campaign=campaign)
    now = timezone.now()
    period = Period.objects.create(
        rule=rule,
        number=1,
        label="第1期",
        starts_on=timezone.localdate() - datetime.timedelta(days=7),
        ends_on=timezone.localdate(),
        due_at=now - datetime.timedelta(hours=1),
    )
    return Report.objects.create(period=period, unit=unit, due_at=period.due_at)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_and_sends_the_email(real_broker, monkeypatch):
    # The sweep sends nothing on a holiday or weekend; make today a working day.
    monkeypatch.setattr("calendars.models.WorkCalendar.is_working_day", lambda self, day: True)
    report = overdue_report()
    with start_worker(app, perform_ping_check=False, shutdown_timeout=20):
        jobs.sweep_reminders.delay()
        # Generous: a loaded two-core CI machine can take a while; the loop
        # ends as soon as the e-mail is out.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if Delivery.objects.filter(channel="email", status="sent").exists():
                break
            time.sleep(0.2)
    reminder = Reminder.objects.get()
    assert (reminder.report_id, reminder.kind, reminder.recipient.username) == (report.pk, "due", "liaison")
    email = Delivery.objects.get(channel="email")
    assert email.status == "sent", f"the worker did not send the e-mail through {real_broker}"
    assert [message.to for message in mail.outbox] == [["liaison@example.com"]]
