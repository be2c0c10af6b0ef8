"""Telling people: a notice in each person's notification centre (the bell),
with one delivery record per channel, so that every message and its fate
is on record (`Delivery`).

The in-app delivery is written as sent: writing the notice delivers it. An
e-mail copy is queued as pending for `deliveries.send_due()`, as are group
robot posts. Whatever the number of people, a call writes the notices in
one INSERT and the deliveries in another.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction

from campaigns.models import Campaign

from .models import Delivery, Notification


@dataclass(frozen=True)
class Message:
    """What one person is told. `unit_id` names the unit the message is
    about, when there is one; `email`, when given, gets a copy."""

    recipient_id: int
    title: str
    body: str
    url: str = ""
    campaign: Campaign | None = None
    unit_id: int | None = None
    email: str = ""


class Notified(NamedTuple):
    notifications: list[Notification]
    deliveries: list[Delivery]


def notify(*, recipients, campaign, title, body, url, at):
    """Tell each recipient the same thing, in the notification centre.

    `recipients` are user ids, or (user id, unit id) pairs when the message
    is about the recipient's unit. A person listed twice is told once, about
    the first unit given.
    """
    messages, seen = [], set()
    for recipient in recipients:
        user_id, unit_id = recipient if isinstance(recipient, tuple) else (recipient, None)
        if user_id not in seen:
            seen.add(user_id)
            messages.append(
                Message(recipient_id=user_id, title=title, body=body, url=url, campaign=campaign, unit_id=unit_id)
            )
    return notify_each(messages=messages, at=at)


# savepoint=False: callers already run in a transaction, and a savepoint
# would cost two more queries on every call.
@transaction.atomic(savepoint=False)
def notify_each(*, messages, at, posts=()):
    """Tell each person their own `Message`; `posts` are group-robot
    deliveries (to no person) written in the same INSERT."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=message.recipient_id,
                campaign=message.campaign,
                title=message.title,
                body=message.body,
                url=message.url,
                created_at=at,
            )
            for message in messages
        ]
    )
    deliveries = []
    for message, notification in zip(messages, notifications, strict=True):
        common = {
            "notification": notification,
            "campaign": message.campaign,
            "unit_id": message.unit_id,
            "recipient_id": message.recipient_id,
            "subject": message.title,
            "body": message.body,
            "created_at": at,
        }
        deliveries.append(
            Delivery(channel=Delivery.Channel.IN_APP, status=Delivery.Status.SENT, sent_at=at, attempts=1, **common)
        )
        if message.email:
            deliveries.append(
                Delivery(channel=Delivery.Channel.EMAIL, address=message.email, next_attempt_at=at, **common)
            )
    deliveries = Delivery.objects.bulk_create([*deliveries, *posts])
    return Notified(notifications, deliveries)
