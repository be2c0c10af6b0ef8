import os

from celery import Celery
from celery.schedules import crontab

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The embedded broker's transport (config/broker.py), before any connection.
broker.register()

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Our Celery tasks live in `jobs.py`: `tasks` is the name of a domain app.
app.autodiscover_tasks(related_name="jobs")

app.conf.beat_schedule = {
    "purge-stale-import-sheets": {
        "task": "campaigns.jobs.purge_stale_import_sheets",
        "schedule": crontab(minute=20, hour=3),
    },
    "sweep-plan-import-jobs": {
        # Plan uploads stored while the broker was down, and reads whose worker died.
        "task": "imports.jobs.sweep_plan_jobs",
        "schedule": crontab(minute="*/2"),
    },
    "relay-outbox": {
        # The jobs the outbox holds: those a broker outage kept back, and
        # those queued with a countdown (the dashboard's warm-up).
        "task": "core.jobs.relay_outbox",
        "schedule": 30.0,
    },
    "prune-sign-in-log": {
        # Sign-ins older than SIGN_IN_LOG_RETENTION_DAYS (at least 180 days).
        "task": "accounts.jobs.prune_sign_in_log",
        "schedule": crontab(minute=40, hour=3),
    },
    "release-stale-workbooks": {
        # Builds whose worker stopped beating, jobs the broker lost, scratch files.
        "task": "reports.jobs.release_stale_workbooks",
        "schedule": crontab(minute="*"),
    },
    "sweep-reminders": {
        "task": "notifications.jobs.sweep_reminders",
        "schedule": crontab(minute="*/5"),
    },
    "send-deliveries": {
        # Retries with backoff, and anything a crashed sender left behind.
        "task": "notifications.jobs.send_deliveries",
        "schedule": crontab(minute="*"),
    },
    "send-email-digests": {
        # 每日汇总: the day's event e-mails, one per person, at the end of the working day.
        "task": "notifications.jobs.send_email_digests",
        "schedule": crontab(minute=30, hour=17),
    },
    "open-due-periods": {
        "task": "reports.jobs.open_due_periods",
        # Shortly after midnight, and again at noon in case the worker was down.
        "schedule": crontab(minute=5, hour="0,12"),
    },
    "monthly-workbooks": {
        # Last month's workbook for every active campaign, ready for the office
        # on the morning of the 1st.
        "task": "reports.jobs.queue_monthly_workbooks",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
}
