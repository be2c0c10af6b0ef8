"""The transactional outbox: a job is written with the change that calls for
it, published by the relay, kept while the broker refuses, sent once."""

import datetime
import io

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core import jobs, outbox
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db

RAN = []


@shared_task(name="core.tests.record")
def record(**kwargs):
    RAN.append(kwargs)


@pytest.fixture(autouse=True)
def ran():
    RAN.clear()
    return RAN


def later(seconds=0):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_a_job_is_sent_once_the_change_commits_and_only_once(ran, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.record", kwargs={"n": 1})
        assert ran == []  # not before the commit
    assert ran == [{"n": 1}]
    message = OutboxMessage.objects.get()
    assert message.dispatched_at is not None and message.attempts == 0
    assert outbox.relay(at=later()) == 0
    assert ran == [{"n": 1}]


def test_a_change_rolled_back_leaves_no_job(ran):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("core.tests.record", kwargs={"n": 1})
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert outbox.relay(at=later()) == 0 and ran == []


def test_a_countdown_waits_and_a_dedupe_key_keeps_one_pending_message(ran):
    for n in range(3):
        outbox.enqueue("core.tests.record", kwargs={"n": n}, countdown=10, dedupe="warm:1")
    outbox.enqueue("core.tests.record", kwargs={"n": "other"}, countdown=10, dedupe="warm:2")
    assert outbox.pending().count() == 2
    assert outbox.relay(at=later(5)) == 0
    assert outbox.relay(at=later(11)) == 2
    assert ran == [{"n": 0}, {"n": "other"}]
    # Once sent, the key takes a new message.
    outbox.enqueue("core.tests.record", kwargs={"n": 3}, dedupe="warm:1")
    assert outbox.pending(dedupe="warm:1").count() == 1


def test_the_database_keeps_one_pending_message_per_key(refused_by):
    OutboxMessage.objects.create(task="core.tests.record", dedupe="warm:1")
    OutboxMessage.objects.create(task="core.tests.record", dedupe="warm:1", dispatched_at=timezone.now())
    OutboxMessage.objects.create(task="core.tests.record")
    OutboxMessage.objects.create(task="core.tests.record")  # no key: no limit
    with refused_by(OutboxMessage, "outbox_one_pending_per_dedupe"):
        OutboxMessage.objects.create(task="core.tests.record", dedupe="warm:1")


def test_a_broker_error_keeps_the_message_with_its_error_and_a_backoff(ran, monkeypatch):
    outbox.enqueue("core.tests.record", kwargs={"n": 1})
    outbox.enqueue("core.tests.record", kwargs={"n": 2})

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(record, "apply_async", refused)
    at = later()
    assert outbox.relay(at=at) == 0
    first, second = OutboxMessage.objects.order_by("pk")
    assert (first.attempts, first.available_at) == (1, at + outbox.FIRST_BACKOFF)
    assert "Connection refused" in first.last_error
    # The batch stopped at the first refusal: the second was not tried.
    assert second.attempts == 0 and second.dispatched_at is None
    assert outbox.backoff(2) == 2 * outbox.FIRST_BACKOFF
    assert outbox.backoff(20) == outbox.MAX_BACKOFF

    monkeypatch.undo()
    assert outbox.relay(at=at) == 1  # the second; the first waits out its backoff
    assert outbox.relay(at=at + outbox.FIRST_BACKOFF) == 1
    assert sorted(item["n"] for item in ran) == [1, 2]


def test_the_relay_after_a_commit_never_fails_the_users_action(monkeypatch, django_capture_on_commit_callbacks):
    def refused(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(record, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.record", kwargs={"n": 1})
    assert outbox.pending().get().attempts == 1


def test_the_command_sends_what_waited_for_the_broker_at_once(ran):
    OutboxMessage.objects.create(
        task="core.tests.record", kwargs={"n": 1}, attempts=3, available_at=later(600), last_error="refused"
    )
    OutboxMessage.objects.create(task="core.tests.record", kwargs={"n": 2}, available_at=later(600))
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    assert out.getvalue() == "已发送 1 条任务；仍待发送 1 条（含尚未到时间的延时任务）。\n"
    assert ran == [{"n": 1}]


def test_the_beat_job_relays_and_forgets_week_old_messages(ran):
    old = OutboxMessage.objects.create(task="core.tests.record", dispatched_at=later(-8 * 24 * 3600))
    recent = OutboxMessage.objects.create(task="core.tests.record", dispatched_at=later(-6 * 24 * 3600))
    OutboxMessage.objects.create(task="core.tests.record", kwargs={"n": 1})
    assert jobs.relay_outbox.apply().get() == 1
    assert ran == [{"n": 1}]
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=recent.pk).exists()


def test_the_relay_sends_in_batches_until_nothing_is_due(ran, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    OutboxMessage.objects.bulk_create(OutboxMessage(task="core.tests.record", kwargs={"n": n}) for n in range(5))
    assert outbox.relay_all(at=later()) == 5
    assert [item["n"] for item in ran] == [0, 1, 2, 3, 4]
