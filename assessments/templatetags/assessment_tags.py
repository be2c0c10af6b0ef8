"""The assessment system's parts of other apps' pages: a rectification item
opened by a mock assessment's 不达标 shows that observation, its re-checks and,
to the office verifying it, the 复查 buttons, without supervision knowing
about assessments (docs/architecture.md)."""

from django import template

from supervision.models import Inspection

from ..forms import RecheckForm
from ..models import Observation

register = template.Library()


@register.inclusion_tag("assessments/_recheck.html")
def recheck_panel(item, offered=None):
    """`{% recheck_panel item decision_form %}`: nothing for an item no mock
    assessment opened; its observation and re-checks for one that one did,
    with the 复查 buttons when the page offers the verification (`offered`,
    the page's decision form); no query for an item of another inspection
    (the page has read its inspection), 2 for one a mock assessment opened."""
    if item.finding.inspection.kind != Inspection.Kind.MOCK_ASSESSMENT:
        return {"item": item, "observation": None, "form": None}
    observation = (
        Observation.objects.filter(finding_id=item.finding_id)
        .select_related("sampled_site__site", "sampled_site__assessment", "standard", "observed_by")
        .prefetch_related("rechecks__checked_by")
        .first()
    )
    return {
        "item": item,
        "observation": observation,
        "form": RecheckForm() if observation is not None and offered else None,
    }
