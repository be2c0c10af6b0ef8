"""A draft campaign says so on every page that shows it (the 草稿 mark)."""

from django.urls import reverse

from campaigns.models import Campaign

from .test_setup import clock, draft, url  # noqa: F401

MARK = "data-campaign-draft"


def test_a_draft_campaigns_pages_carry_the_draft_mark(client, draft, clock):
    client.force_login(draft.clerk)
    for address in [
        url("overview", draft),
        url("tasks", draft),
        url("rules", draft),
        reverse("dashboards:campaign", args=[draft.campaign.pk]),
    ]:
        page = client.get(address)
        assert page.status_code == 200, address
        text = page.content.decode()
        assert text.count(MARK) == 1 and ">草稿</span>" in text, address


def test_an_active_campaigns_pages_carry_no_draft_mark(client, draft, clock):
    Campaign.objects.filter(pk=draft.campaign.pk).update(status=Campaign.Status.ACTIVE)
    client.force_login(draft.clerk)
    page = client.get(reverse("dashboards:campaign", args=[draft.campaign.pk]))
    assert page.status_code == 200
    assert MARK not in page.content.decode()
