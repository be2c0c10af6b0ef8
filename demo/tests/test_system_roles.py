"""The demo's three system roles (三员分立): the security admin and the
auditor sign in to what their role allows and nothing else."""

import datetime
import zoneinfo

from django.urls import reverse

from demo.campaign import Demo

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_the_demo_auditor_reads_the_trail_and_the_security_admin_manages_people(client, db):
    demo = Demo(now=NOW, password="Demo@2026!")
    demo.build_units()
    demo.build_users()
    auditor, security = demo.users["shenji"], demo.users["anquan"]
    assert auditor.is_staff and not auditor.is_superuser and security.is_staff and not security.is_superuser

    client.force_login(auditor)
    assert client.get(reverse("audit:search")).status_code == 200
    assert client.get(reverse("audit:sign_ins")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403

    client.force_login(security)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("audit:search")).status_code == 404
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403
