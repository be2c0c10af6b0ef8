"""Reads for the draft pages (documents.selectors is the report builders').
Each page costs the same few queries however many versions, blocks,
campaigns or phases there are."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from campaigns.models import Phase

from . import access
from .drafting import scopes
from .kinds import Kind
from .models import DraftVersion


def scope_key(scope):
    return (scope.kind, scope.year, scope.phase.pk if scope.phase else None)


def scope_value(scope):
    """How the index's 生成初稿 button names a scope."""
    if scope.kind == Kind.ANNUAL:
        return f"annual:{scope.year}"
    if scope.kind == Kind.PHASE:
        return f"phase:{scope.phase.pk}"
    return "final"


@dataclass
class Row:
    scope: object
    value: str
    draft: object = None
    latest: object = None  # the draft's latest DraftVersion, without its data


@dataclass
class CampaignDrafts:
    campaign: object
    editable: bool
    rows: list = field(default_factory=list)

    @property
    def span(self):
        first, last = self.campaign.starts_on.year, self.campaign.ends_on.year
        return f"{first}年" if first == last else f"{first}—{last}年"


def latest_versions():
    """Every draft's latest version, without the (large) document data."""
    last = DraftVersion.objects.filter(draft=OuterRef("draft")).order_by("-number").values("number")[:1]
    return DraftVersion.objects.filter(number=Subquery(last)).defer("data")


def index(user):
    """The campaigns the user may read, each with the documents it can be
    drafted into and the latest version of those already drafted."""
    campaigns = list(
        access.readable_campaigns(user)
        .select_related("issuing_unit")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("order")))
        .annotate(editable=Exists(access.editable_campaigns(user).filter(pk=OuterRef("pk"))))
        .order_by("-starts_on", "title", "pk")
    )
    latest = latest_versions().filter(draft__campaign__in=[c.pk for c in campaigns]).select_related(
        "draft", "created_by"
    )
    by_key = {(v.draft.campaign_id, *v.draft.scope_key): v for v in latest}
    found = []
    for campaign in campaigns:
        entry = CampaignDrafts(campaign, campaign.editable)
        for scope in scopes(campaign, phases=list(campaign.phases.all())):
            version = by_key.get((campaign.pk, *scope_key(scope)))
            entry.rows.append(Row(scope, scope_value(scope), version.draft if version else None, version))
        found.append(entry)
    return found


def readable_draft(user, pk):
    """The draft, if the user may read it, with `editable` set; else
    Draft.DoesNotExist."""
    return (
        access.readable_drafts(user)
        .select_related("campaign__issuing_unit", "phase")
        .annotate(editable=Exists(access.editable_campaigns(user).filter(pk=OuterRef("campaign_id"))))
        .get(pk=pk)
    )


def versions(draft):
    """The draft's versions, newest first, without their data."""
    return list(draft.versions.defer("data").select_related("created_by").order_by("-number"))
