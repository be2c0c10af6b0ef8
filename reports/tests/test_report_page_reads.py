"""The report page skips the reads of what a report does not have
(selectors.with_history_flags), and still shows every row of what it has."""

import datetime

import pytest
from django.utils import timezone

from campaigns.tests.factories import UserFactory
from reports import selectors
from reports.models import ExtensionRequest, JointSubmission, Report, ReportVersion
from reports.tests.factories import AttachmentFactory, ReportFactory, ReviewEventFactory

KINDS = ("versions", "events", "extensions", "attachments", "joint")


def flagged(report):
    return selectors.with_history_flags(Report.objects.select_related("period__rule", "unit")).get(pk=report.pk)


def give(kind, report):
    """One row of `kind` for `report`; returns what report_page shows of it."""
    user = UserFactory()
    now = timezone.now()
    if kind == "versions":
        version = ReportVersion.objects.create(report=report, number=1, submitted_by=user, submitted_at=now)
        return "versions", [version]
    if kind == "events":
        return "events", [ReviewEventFactory(report=report, actor=user)]
    if kind == "extensions":
        extension = ExtensionRequest.objects.create(
            report=report, requested_by=user, requested_due_at=report.due_at + datetime.timedelta(days=2), reason="汛期值守。"
        )
        return "extensions", [extension]
    if kind == "attachments":
        return "attachments", [AttachmentFactory(report=report, uploaded_by=user)]
    other = ReportFactory(unit=report.unit, period__rule=report.period.rule)
    JointSubmission.objects.create(report=other, answered=report, created_by=user, created_at=now)
    return "answered_by", other


def test_an_untouched_report_says_it_has_nothing_and_its_page_reads_nothing(db, django_assert_num_queries):
    report = flagged(ReportFactory())
    assert [getattr(report, f"has_{kind}") for kind in KINDS] == [False] * len(KINDS)
    with django_assert_num_queries(0):
        page = selectors.report_page(report=report)
    assert page["versions"] == page["events"] == page["extensions"] == page["attachments"] == []
    assert page["also_answered"] == [] and page["answered_by"] is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_report_with_one_kind_of_row_reads_that_kind_and_shows_it(db, kind):
    report = ReportFactory()
    key, expected = give(kind, report)
    report = flagged(report)
    assert [k for k in KINDS if getattr(report, f"has_{k}")] == [kind]
    page = selectors.report_page(report=report)
    assert page[key] == expected
    # Read without the flags (as after a save), the page is the same.
    assert selectors.report_page(report=Report.objects.get(pk=report.pk))[key] == expected


def test_a_removed_file_is_not_a_file_to_read(db):
    report = ReportFactory()
    AttachmentFactory(report=report, removed_at=timezone.now())
    assert flagged(report).has_attachments is False


def test_the_unit_sees_its_fresh_report_and_then_what_it_sent(client, db):
    """Through the page: nothing to show on a fresh report, then its version and file."""
    from campaigns.models import Membership
    from campaigns.tests.factories import MembershipFactory

    report = ReportFactory()
    liaison = MembershipFactory(unit=report.unit, role=Membership.Role.LIAISON).user
    client.force_login(liaison)
    assert "没有附件" in client.get(report.get_absolute_url()).content.decode()
    AttachmentFactory(report=report, uploaded_by=liaison, original_name="现场照片.pdf")
    assert "现场照片.pdf" in client.get(report.get_absolute_url()).content.decode()
