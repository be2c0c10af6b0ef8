"""The database refuses impossible campaigns and phases, whatever code writes them."""

import datetime

import pytest

from campaigns.models import Campaign, Phase, Unit
from campaigns.tests.factories import CampaignFactory, UnitFactory

D = datetime.date

pytestmark = pytest.mark.django_db


def test_a_campaign_cannot_end_before_it_starts(refused_by):
    issuer = UnitFactory()
    with refused_by(Campaign, "campaign_ends_after_start"):
        Campaign.objects.create(
            title="创建文明城市三年行动方案",
            issuing_unit=issuer,
            office_unit=issuer,
            starts_on=D(2026, 1, 1),
            ends_on=D(2025, 12, 31),
        )
    assert not Campaign.objects.exists()


def test_a_campaign_that_starts_and_ends_on_one_day_is_accepted():
    issuer = UnitFactory()
    Campaign.objects.create(
        title="集中整治日", issuing_unit=issuer, office_unit=issuer, starts_on=D(2026, 3, 6), ends_on=D(2026, 3, 6)
    )
    assert Campaign.objects.count() == 1


def test_moving_a_campaigns_end_before_its_start_with_an_update_is_refused(refused_by):
    campaign = CampaignFactory(starts_on=D(2026, 1, 1), ends_on=D(2028, 12, 31))
    with refused_by(Campaign, "campaign_ends_after_start"):
        Campaign.objects.filter(pk=campaign.pk).update(ends_on=D(2025, 6, 30))
    campaign.refresh_from_db()
    assert campaign.ends_on == D(2028, 12, 31)


def test_a_phase_cannot_end_before_it_starts(refused_by):
    campaign = CampaignFactory()
    with refused_by(Phase, "phase_dates_valid"):
        Phase.objects.create(campaign=campaign, order=1, name="教育治理年", starts_on=D(2026, 12, 31), ends_on=D(2026, 1, 1))


@pytest.mark.parametrize(
    "starts_on, ends_on", [(None, None), (D(2026, 1, 1), None), (None, D(2026, 12, 31))], ids=["no dates", "no end", "no start"]
)
def test_a_phase_without_both_dates_is_refused_unless_it_spans_the_whole_campaign(refused_by, starts_on, ends_on):
    campaign = CampaignFactory()
    with refused_by(Phase, "phase_dates_valid"):
        Phase.objects.create(campaign=campaign, order=1, name="规范管理年", starts_on=starts_on, ends_on=ends_on)

    Phase.objects.create(
        campaign=campaign, order=1, name="宣传发动", spans_whole_campaign=True, starts_on=starts_on, ends_on=ends_on
    )
    assert Phase.objects.filter(campaign=campaign, spans_whole_campaign=True).count() == 1


def test_two_phases_of_a_campaign_cannot_share_an_order(refused_by):
    campaign = CampaignFactory()
    Phase.objects.create(campaign=campaign, order=1, name="教育治理年", spans_whole_campaign=True)
    with refused_by(Phase, "phase_unique_order"):
        Phase.objects.create(campaign=campaign, order=1, name="规范管理年", spans_whole_campaign=True)


def test_a_unit_cannot_be_its_own_parent(refused_by):
    unit = UnitFactory()
    with refused_by(Unit, "unit_not_own_parent"):
        Unit.objects.filter(pk=unit.pk).update(parent=unit)
