import datetime

import factory
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UnitFactory, UserFactory
from reports.models import Attachment, IndicatorValue, Period, Report, ReportingRule, ReviewEvent, TaskProgress
from tasks.tests.factories import IndicatorFactory, TaskFactory


class ReportingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingRule

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"周报{n}")
    cadence = ReportingRule.Cadence.WEEKLY
    weekday = 2
    due_time = datetime.time(17, 30)
    starts_on = factory.SelfAttribute("campaign.starts_on")
    ends_on = factory.SelfAttribute("campaign.ends_on")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    rule = factory.SubFactory(ReportingRuleFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda p: f"第{p.number}期")
    starts_on = factory.LazyAttribute(lambda p: datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * (p.number - 1)))
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + datetime.timedelta(days=6))
    due_at = factory.LazyAttribute(
        lambda p: timezone.make_aware(datetime.datetime.combine(p.ends_on, datetime.time(17, 30)))
    )


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    period = factory.SubFactory(PeriodFactory)
    unit = factory.SubFactory(UnitFactory)
    due_at = factory.SelfAttribute("period.due_at")


class TaskProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskProgress

    report = factory.SubFactory(ReportFactory)
    task = factory.SubFactory(
        TaskFactory,
        campaign=factory.SelfAttribute("..report.period.rule.campaign"),
        lead_unit=factory.SelfAttribute("..report.unit"),
    )
    percent = 50
    note = "已完成宣传发动。"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    report = factory.SubFactory(ReportFactory)
    indicator = factory.SubFactory(IndicatorFactory, campaign=factory.SelfAttribute("..report.period.rule.campaign"))
    value = 3


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    report = factory.SubFactory(ReportFactory)
    file = factory.django.FileField(data="宣传稿".encode(), filename="upload")
    original_name = "宣传稿.txt"
    size = factory.LazyAttribute(lambda a: a.file.size)
    content_type = "text/plain"
    sha256 = factory.LazyAttribute(lambda a: Attachment.digest(a.file))
    uploaded_by = factory.SubFactory(UserFactory)


class ReviewEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewEvent

    report = factory.SubFactory(
        ReportFactory, status=Report.Status.SUBMITTED, submitted_at=factory.SelfAttribute("due_at")
    )
    actor = factory.SubFactory(UserFactory)
    action = ReviewEvent.Action.SUBMIT
    from_status = Report.Status.DRAFT
    to_status = Report.Status.SUBMITTED
