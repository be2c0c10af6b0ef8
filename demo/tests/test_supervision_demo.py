"""The demo campaign's inspections show the ledger in every state."""

import datetime

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory
from demo.supervision import seed_supervision
from supervision.models import RectificationItem
from supervision.tests.conftest import NOW
from tasks.tests.factories import TaskFactory


def test_the_demo_ledger_has_items_in_every_state_and_is_seeded_once(setting):
    for short in ["监督所", "法规科", "医政科", "宣传科", "办公室", "人事科"]:
        unit = UnitFactory(short_name=short)
        TaskFactory(campaign=setting.campaign, lead_unit=unit)
        MembershipFactory(unit=unit, role=Membership.Role.LIAISON)

    inspections = seed_supervision(campaign=setting.campaign, office_user=setting.office, now=NOW)
    assert seed_supervision(campaign=setting.campaign, office_user=setting.office, now=NOW) == []

    assert len(inspections) == 3
    items = list(RectificationItem.objects.all())
    statuses = {item.status for item in items}
    assert statuses == {"open", "in_progress", "submitted", "closed", "rejected"}
    closed = [item for item in items if item.status == "closed"]
    assert {item.closed_on_time for item in closed} == {True, False}
    overdue = [item for item in items if item.is_overdue(NOW)]
    assert {item.status for item in overdue} >= {"open", "in_progress"}
    assert all(item.created_at <= NOW for item in items)
    assert all(event.created_at <= NOW for item in items for event in item.events.all())
    assert not any(item.deadline < item.finding.inspection.inspected_on + datetime.timedelta(days=1) for item in items)
