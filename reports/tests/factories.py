import datetime

import factory
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UnitFactory
from reports.models import Period, Report, ReportingRule


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
