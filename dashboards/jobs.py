import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from campaigns.models import Campaign

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
    """Queue warm_dashboard once per burst of changes. A broker that cannot
    be reached costs the next viewer a slower page, never the writer an error."""
    if not cache.add(f"dashboard-warm-queued:{campaign_id}", 1, timeout=WARM_DELAY_SECONDS):
        return
    try:
        warm_dashboard.apply_async(kwargs={"campaign_id": campaign_id}, countdown=WARM_DELAY_SECONDS)
    except Exception:  # noqa: BLE001 - the change is committed; warming is a courtesy
        logger.warning("Could not queue the dashboard warm-up", exc_info=True)


def figures_changed_receiver(sender, *, campaign_id, **kwargs):
    """Once a campaign's figures changed (``campaigns.signals.figures_changed``),
    a worker adds the default view up again, so that the next look at the
    dashboard finds it cached."""
    warm_dashboard_soon(campaign_id=campaign_id)
