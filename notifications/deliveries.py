"""Sending queued deliveries: e-mail and group robots, with retries.

Work is claimed by a conditional UPDATE (pending → sending, with this run's
token), so two workers never send the same message. A message whose sender
died while sending is released after SENDING_LEASE and tried again.
"""

import datetime
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from .models import Delivery, new_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SENDING_LEASE = datetime.timedelta(minutes=10)
BATCH = 200


def backoff(attempts):
    """1, 4, 16, 64 minutes between tries."""
    return datetime.timedelta(minutes=4 ** (attempts - 1))


class DeliveryFailed(Exception):
    pass


def send_due(*, at=None, ids=None):
    """Send pending deliveries that are due; return (sent, failed for good, to retry)."""
    at = at or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=at - SENDING_LEASE).update(
        status=Delivery.Status.PENDING
    )
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=at)
    if ids is not None:
        due = due.filter(pk__in=ids)
    token = new_token()
    batch = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH])
    Delivery.objects.filter(pk__in=batch, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claim=token, claimed_at=at, attempts=F("attempts") + 1
    )
    counts = {"sent": 0, "failed": 0, "retry": 0}
    for delivery in Delivery.objects.filter(claim=token).select_related("webhook", "recipient"):
        try:
            send_one(delivery)
        except Exception as error:  # noqa: BLE001 - any failure is recorded, none may stop the others
            logger.warning("Delivery %s failed: %s", delivery.pk, error)
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                counts["failed"] += 1
            else:
                delivery.status = Delivery.Status.PENDING
                delivery.next_attempt_at = at + backoff(delivery.attempts)
                counts["retry"] += 1
        else:
            delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, at, ""
            counts["sent"] += 1
        delivery.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return counts


def send_one(delivery):
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(
            subject=f"【{settings.SITE_NAME}】{delivery.subject}",
            message=delivery.body,
            from_email=None,
            recipient_list=[delivery.address],
        )
    elif delivery.channel in (Delivery.Channel.WECOM, Delivery.Channel.DINGTALK):
        if delivery.webhook is None:
            raise DeliveryFailed("群机器人已被删除，消息无法发送。")
        post_to_robot(delivery.webhook.url, f"{delivery.subject}\n{delivery.body}")
    # In-app notifications are written with the sweep and need no sending.


def post_to_robot(url, text):
    """WeCom and DingTalk group robots take the same text message and answer
    {"errcode": 0} on success."""
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=payload, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}") from error
    try:
        result = json.loads(answer or b"{}")
    except ValueError as error:
        raise DeliveryFailed(f"无法解析的应答：{answer[:200]!r}") from error
    if result.get("errcode", 0) != 0:
        raise DeliveryFailed(f"errcode {result.get('errcode')}: {result.get('errmsg', '')}")
