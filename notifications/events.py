"""Telling people of events (a report returned, an item assigned, a bulletin
published): each person once (`EventNotice`), in the bell always, by e-mail
as they chose (`EmailChoice`), alone or in their daily digest
(`NotificationSettings.daily_digest`, sent by `send_digests`).

The lower apps announce their moves (core.signals.transitioned, and
transitioned_many for many rows at once, heard in `receivers`); the apps above
call `tell` themselves. `tell_all` tells many events in the queries of one.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign

from .models import (
    EMAIL_BY_DEFAULT,
    Delivery,
    EmailChoice,
    EmailDigest,
    EventKind,
    EventNotice,
    NotificationSettings,
    new_token,
)
from .services import Message, notify_each


@dataclass(frozen=True)
class Event:
    """What happened, as the people told of it read it. `key` names the event
    (see `event_key`): told twice, it tells nobody twice."""

    key: str
    kind: EventKind
    campaign: Campaign | None
    title: str
    body: str
    url: str


def event_key(row, action=""):
    """The identity of an event: its event row, or, for a row decided once
    (an extension request, an objection), the row and the move."""
    key = f"{row._meta.label_lower}:{row.pk}"
    return f"{key}:{action}" if action else key


def _people(user_ids, kind):
    """(id, e-mail address or "", wants e-mail, daily digest) of the active users, in one query."""
    choice = EmailChoice.objects.filter(user=OuterRef("pk"), kind=kind).values("email")[:1]
    digest = NotificationSettings.objects.filter(user=OuterRef("pk")).values("daily_digest")[:1]
    rows = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .annotate(email_choice=Subquery(choice), digest=Coalesce(Subquery(digest), Value(False)))
        .order_by("pk")
        .values_list("pk", "email", "email_choice", "digest")
    )
    default = kind in EMAIL_BY_DEFAULT
    return [(pk, address, bool(address) and (default if chosen is None else chosen), digest) for pk, address, chosen, digest in rows]


# savepoint=False: callers run in the transaction of the move they tell of.
@transaction.atomic(savepoint=False)
def tell(*, event, recipients, at):
    """Tell `recipients` (user ids, or (user id, unit id) pairs) of `event`,
    each once whatever the number of calls; the notifications written now."""
    return tell_all(told=[(event, recipients)], at=at)


@transaction.atomic(savepoint=False)
def tell_all(*, told, at):
    """Tell each event of `told` ((Event, recipients) pairs) to its recipients
    as `tell` does, in queries that do not grow with the events or the people
    (one more per kind of event); the notifications written now."""
    wanted = {}  # event key: (Event, {user id: unit id}); an event listed twice is told once
    for event, recipients in told:
        _, units = wanted.setdefault(event.key, (event, {}))
        for recipient in recipients:
            user_id, unit_id = recipient if isinstance(recipient, tuple) else (recipient, None)
            units.setdefault(user_id, unit_id)
    wanted = {key: pair for key, pair in wanted.items() if pair[1]}
    if not wanted:
        return []
    people = {}  # kind: {user id: (address, wants e-mail, daily digest)}
    for event, units in wanted.values():
        people.setdefault(event.kind, set()).update(units)
    people = {
        kind: {pk: (address, wants, digest) for pk, address, wants, digest in _people(list(user_ids), kind)}
        for kind, user_ids in people.items()
    }
    token = new_token()
    addresses = {}
    rows = []
    for key, (event, units) in wanted.items():
        for user_id in sorted(units):
            if user_id not in people[event.kind]:
                continue
            address, wants_email, digest = people[event.kind][user_id]
            addresses[key, user_id] = address if wants_email and not digest else ""
            rows.append(
                EventNotice(
                    event=key,
                    kind=event.kind,
                    recipient_id=user_id,
                    campaign=event.campaign,
                    claim=token,
                    email_held=wants_email and digest,
                    created_at=at,
                )
            )
    # Whoever was told of this event before keeps their row and is skipped.
    EventNotice.objects.bulk_create(rows, ignore_conflicts=True)
    claimed = list(EventNotice.objects.filter(claim=token).order_by("pk"))
    if not claimed:
        return []
    messages = []
    for notice in claimed:
        event, units = wanted[notice.event]
        messages.append(
            Message(
                recipient_id=notice.recipient_id,
                title=event.title,
                body=f"{event.body}\n\n请登录{settings.SITE_NAME}查看：{settings.SITE_URL}{event.url}",
                url=event.url,
                campaign=event.campaign,
                unit_id=units[notice.recipient_id],
                email=addresses[notice.event, notice.recipient_id],
            )
        )
    notified = notify_each(messages=messages, at=at)
    for notice, notification in zip(claimed, notified.notifications, strict=True):
        notice.notification = notification
    EventNotice.objects.bulk_update(claimed, ["notification"])
    return notified.notifications


# Preferences (通知设置)


@dataclass(frozen=True)
class Preferences:
    email: dict  # {EventKind: bool}
    daily_digest: bool


def preferences_of(user):
    chosen = dict(EmailChoice.objects.filter(user=user).values_list("kind", "email"))
    digest = NotificationSettings.objects.filter(user=user).values_list("daily_digest", flat=True).first()
    return Preferences(
        email={kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in EventKind},
        daily_digest=bool(digest),
    )


@transaction.atomic
def save_preferences(*, user, email_kinds, daily_digest):
    """Keep the person's e-mail choice for every kind (those in `email_kinds`
    on, the others off) and their digest setting."""
    EmailChoice.objects.bulk_create(
        [EmailChoice(user=user, kind=kind, email=kind in email_kinds) for kind in EventKind],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email"],
    )
    NotificationSettings.objects.update_or_create(user=user, defaults={"daily_digest": daily_digest})


# The daily digest (每日汇总)


@transaction.atomic
def send_digests(*, at):
    """Queue one e-mail per person with the event e-mails they hold back for
    their digest, at most one a person a day (`EmailDigest`); the deliveries
    queued. What arrives after today's digest waits for tomorrow's."""
    day = timezone.localdate(at)
    held = EventNotice.objects.filter(email_held=True, digest__isnull=True, created_at__lte=at)
    token = new_token()
    EmailDigest.objects.bulk_create(
        [
            EmailDigest(recipient_id=user_id, day=day, claim=token, created_at=at)
            for user_id in held.order_by().values_list("recipient", flat=True).distinct()
        ],
        ignore_conflicts=True,
    )
    digests = {digest.recipient_id: digest for digest in EmailDigest.objects.filter(claim=token).select_related("recipient")}
    if not digests:
        return []
    notices = list(
        held.filter(recipient__in=list(digests)).select_related("notification").order_by("recipient", "created_at", "pk")
    )
    by_person = {}
    for notice in notices:
        notice.digest = digests[notice.recipient_id]
        by_person.setdefault(notice.recipient_id, []).append(notice)
    EventNotice.objects.bulk_update(notices, ["digest"])
    sent = []
    for user_id, digest in digests.items():
        told = [notice for notice in by_person.get(user_id, []) if notice.notification is not None]
        address = digest.recipient.email
        if not told or not address:
            continue
        campaigns = {notice.campaign_id for notice in told}
        delivery = Delivery(
            channel=Delivery.Channel.EMAIL,
            campaign_id=campaigns.pop() if len(campaigns) == 1 else None,
            recipient_id=user_id,
            address=address,
            subject=f"{settings.SITE_NAME}每日通知汇总：{day.month}月{day.day}日，共{len(told)}条",
            body=_digest_body(told),
            created_at=at,
            next_attempt_at=at,
        )
        sent.append((digest, delivery))
    deliveries = Delivery.objects.bulk_create([delivery for _, delivery in sent])
    for digest, delivery in sent:
        digest.delivery_id = delivery.pk
    EmailDigest.objects.bulk_update([digest for digest, _ in sent], ["delivery"])
    return deliveries


def _digest_body(notices):
    parts = []
    for number, notice in enumerate(notices, start=1):
        notification = notice.notification
        parts.append(f"{number}. {notification.title}（{timezone.localtime(notice.created_at):%H:%M}）\n{notification.body}")
    return "\n\n".join(parts)
