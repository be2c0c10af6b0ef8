import datetime

import factory

from accounts.models import User
from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pass-word-123")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.Sequence(lambda n: f"单位{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.LIAISON


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"测试专项行动方案{n}")
    document_number = factory.Sequence(lambda n: f"测〔2026〕{n}号")
    issuing_unit = factory.SubFactory(UnitFactory)
    office_unit = factory.SubFactory(UnitFactory)
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)
    status = Campaign.Status.ACTIVE


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "教育治理年"
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class LeadingGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadingGroupMember

    campaign = factory.SubFactory(CampaignFactory)
    position = LeadingGroupMember.Position.MEMBER
    name = factory.Sequence(lambda n: f"组员{n}")
    title = "区卫计委副主任"
