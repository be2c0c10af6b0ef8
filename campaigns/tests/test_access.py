"""The role helpers read a user's memberships once a request."""

import pytest

from accounts.models import User
from campaigns import access
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_every_check_of_a_request_shares_one_query(django_assert_num_queries):
    office = UnitFactory()
    campaign = CampaignFactory(office_unit=office)
    user = MembershipFactory(unit=office, role=Role.OFFICE_STAFF).user
    unit = UnitFactory()
    MembershipFactory(user=user, unit=unit, role=Role.LIAISON)
    MembershipFactory(user=user, unit=UnitFactory(), role=Role.LEADER, is_active=False)

    with django_assert_num_queries(1):
        assert access.has_role(user, Role.OFFICE_STAFF)
        assert access.has_role(user, Role.LIAISON, Role.UNIT_HEAD)
        assert not access.has_role(user, Role.LEADER)  # the inactive membership does not count
        assert access.roles_of(user) == {Role.OFFICE_STAFF, Role.LIAISON}
        assert access.oversees(user, campaign)
        assert set(access.memberships_of(user)) == {(Role.OFFICE_STAFF, office.pk), (Role.LIAISON, unit.pk)}


def test_a_fresh_user_object_sees_a_new_membership():
    """What is remembered lives on the object: the next request loads the user afresh."""
    user = MembershipFactory(role=Role.LIAISON).user
    assert not access.has_role(user, Role.OFFICE_STAFF)
    MembershipFactory(user=user, role=Role.OFFICE_STAFF)
    assert not access.has_role(user, Role.OFFICE_STAFF)  # the same request's object
    assert access.has_role(User.objects.get(pk=user.pk), Role.OFFICE_STAFF)


def test_leaders_oversee_the_campaigns_of_their_unit_and_those_it_issued():
    issuing, office, elsewhere = UnitFactory(), UnitFactory(), UnitFactory()
    campaign = CampaignFactory(office_unit=office, issuing_unit=issuing)
    for unit, expected in ((issuing, True), (office, True), (elsewhere, False)):
        leader = MembershipFactory(unit=unit, role=Role.LEADER).user
        assert access.oversees(leader, campaign) is expected
        assert access.overseen_campaigns(leader).filter(pk=campaign.pk).exists() is expected
    liaison = MembershipFactory(unit=office, role=Role.LIAISON).user
    assert not access.oversees(liaison, campaign) and not access.overseen_campaigns(liaison).filter(pk=campaign.pk).exists()
