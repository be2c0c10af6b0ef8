import logging

from celery import shared_task
from django.utils import timezone

from campaigns.models import Campaign
from core import outbox

from . import selectors

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def warm_dashboard(*, campaign_id):
    """Add up the campaign dashboard's default view again after its figures
    changed, so that the office's next look reads them from the cache. Does
    nothing when they are cached already (several changes in a row)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return
    selectors.default_figures(campaign=campaign, at=timezone.now())


# Changes come in bursts (a page of reports accepted, a unit's submission):
# one job a few seconds after the first change covers the rest of the burst.
WARM_DELAY_SECONDS = 10


def warm_dashboard_soon(*, campaign_id):
    """Queue warm_dashboard once per burst of changes, in the change's
    transaction (the outbox): one pending warm-up per campaign, kept by the
    outbox's unique key, not by a cache that may be down."""
    outbox.enqueue(
        "dashboards.jobs.warm_dashboard",
        kwargs={"campaign_id": campaign_id},
        countdown=WARM_DELAY_SECONDS,
        dedupe=f"dashboards.warm:{campaign_id}",
    )


def figures_changed_receiver(sender, *, campaign_id, **kwargs):
    """When a campaign's figures change (``campaigns.signals.figures_changed``),
    a worker adds the default view up again soon after, so that the next look
    at the dashboard finds it cached."""
    warm_dashboard_soon(campaign_id=campaign_id)
