import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit import record
from audit.models import AppendOnly, AuditEvent
from audit.services import purge
from campaigns.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return record(action=AuditEvent.Action.CHANGED, object_type="campaigns.campaign", object_id="7", description="修改活动", changes={"标题": ["旧", "新"]})


def test_a_record_cannot_be_changed_or_deleted_through_the_model(event):
    event.description = "改过的说明"
    with pytest.raises(AppendOnly, match="只能追加"):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(description="改过的说明")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).description == "修改活动"


def test_the_admin_lets_nobody_add_change_or_delete_a_record_not_even_a_superuser(client, event):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change_list = client.get(reverse("admin:audit_auditevent_changelist"))
    assert change_list.status_code == 200
    assert "修改活动" in change_list.content.decode()
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    # The record's page opens read-only: posting to it changes nothing.
    client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"description": "改过的说明"})
    assert AuditEvent.objects.get(pk=event.pk).description == "修改活动"
    assert AuditEvent.objects.count() == 1


def test_the_retention_deletes_only_records_older_than_it_and_is_itself_recorded(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the least: 180 days still hold
    now = timezone.now()
    old = record(action="downloaded", object_type="reports.attachment", description="下载“旧.docx”", at=now - datetime.timedelta(days=181))
    kept = record(action="downloaded", object_type="reports.attachment", description="下载“新.docx”", at=now - datetime.timedelta(days=179))

    assert purge(at=now) == 1

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    purged = AuditEvent.objects.get(action=AuditEvent.Action.PURGED)
    assert purged.changes == {"保留天数": [None, 180], "删除条数": [None, 1]}
    with pytest.raises(AppendOnly, match="至少保留 180 天"):
        AuditEvent.objects.purge_older_than(now - datetime.timedelta(days=10))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_an_update_or_a_recent_delete_below_the_model(event):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET description = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).description == "修改活动"
