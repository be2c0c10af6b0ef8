"""Recording an inspection costs the same queries for 2 findings at 2 units as
for 20 findings at 5 units: its findings, items and their events are written
in bulk, and announced at once (core.transitions.announce_many) to the
notifications and the audit trail, which write in bulk too (issue 20)."""

import datetime

import pytest

from audit.models import AuditEvent
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory
from notifications.models import Delivery, EventKind, EventNotice, Notification
from supervision import services
from supervision.models import Finding, RectificationEvent, RectificationItem

from .conftest import NOW, record

# The queries of record_inspection whatever its findings: its savepoint and
# release, the inspection and its units (2 INSERTs), the work calendar (2), the
# findings, items and events (3 INSERTs), the items' audit rows (1), the notices
# (the campaign, the units' liaisons, the people's choices, the notices, those
# claimed, the notifications, the deliveries, the notices' link: 8) and the
# inspection's own audit row.
QUERIES = 19


def units_with_liaisons(setting, count):
    units = [setting.unit, setting.other_unit]
    for n in range(count - 2):
        unit = UnitFactory(name=f"街道{n}")
        MembershipFactory(unit=unit, role=Membership.Role.LIAISON, user__username=f"street{n}")
        units.append(unit)
    return units


def findings(units, per_unit):
    return [
        services.FindingInput(unit, f"问题{n}。", f"整改要求{n}。", datetime.date(2026, 1, 16 + n % 5))
        for unit, count in zip(units, per_unit, strict=True)
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("unit_count", "per_unit"),
    [(2, [1, 1]), (5, [1, 4, 5, 5, 5])],
    ids=["2 findings at 2 units", "20 findings at 5 units"],
)
def test_recording_an_inspection_costs_the_same_queries_whatever_its_findings(
    setting, django_assert_num_queries, unit_count, per_unit
):
    units = units_with_liaisons(setting, unit_count)
    with django_assert_num_queries(QUERIES):
        inspection = record(setting, findings=findings(units, per_unit), units=[(unit, None) for unit in units])

    total = sum(per_unit)
    assert Finding.objects.filter(inspection=inspection).count() == total
    items = RectificationItem.objects.filter(finding__inspection=inspection)
    assert items.count() == total
    assert RectificationEvent.objects.filter(item__in=items, action="create", to_status="open").count() == total
    # Each finding's item is its own: same unit, its requirement matched by number.
    for item in items.select_related("finding"):
        assert item.unit_id == item.finding.unit_id
        assert item.requirement == f"整改要求{item.finding.description[2:-1]}。"
    assert AuditEvent.objects.filter(object_type="supervision.rectificationitem").count() == total
    # One notice per unit's liaison, however many items the unit has.
    assert EventNotice.objects.filter(kind=EventKind.ITEM_ASSIGNED).count() == unit_count
    assert Notification.objects.count() == unit_count
    assert Delivery.objects.filter(channel=Delivery.Channel.IN_APP).count() == unit_count
