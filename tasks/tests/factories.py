import factory

from campaigns.tests.factories import CampaignFactory, UnitFactory
from tasks.models import Indicator, Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    campaign = factory.SubFactory(CampaignFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda task: f"{task.position}、")
    title = factory.Sequence(lambda n: f"测试任务{n}")
    lead_unit = factory.SubFactory(UnitFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"开展宣传活动{n}")
    measure_unit = "场"
