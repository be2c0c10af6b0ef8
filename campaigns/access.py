"""The role helpers every app's permission rules are built on.

Each app keeps its own rules in its `access.py` (`reports.access`,
`supervision.access`, …) and gets its objects through querysets built from
these helpers, so a user who may not see an object gets a 404, whatever URL
they type.

- Office staff see every campaign their unit runs (``Campaign.office_unit``),
  every report of those campaigns, and review them.
- Leaders read the campaigns their unit runs or issued; they change nothing.
- Liaisons and unit heads see their own unit's reports only.
- Superusers (system admins) see everything.
"""

from django.db.models import Q

from .models import Campaign, Membership

Role = Membership.Role


def unit_ids(user, *roles):
    """Ids of the units in which the user holds one of `roles`: a list, from
    `memberships_of` (one query a request), rather than a subquery. On
    PostgreSQL the subquery in every filter that used it cost about a
    millisecond of planning each time, more than the query itself."""
    return sorted({unit for role, unit in memberships_of(user) if role in roles})


def memberships_of(user):
    """(role, unit id) of the user's active memberships. One query, then
    remembered on the user object: `request.user` is loaded afresh for each
    request, so a page asking several times (the view, the menu) pays once
    and nothing outlives the request."""
    if not user.is_authenticated:
        return ()
    pairs = getattr(user, "_active_memberships", None)
    if pairs is None:
        pairs = tuple(Membership.objects.filter(user=user, is_active=True).order_by().values_list("role", "unit_id"))
        user._active_memberships = pairs
    return pairs


def has_role(user, *roles):
    return any(role in roles for role, _ in memberships_of(user))


def roles_of(user):
    return {role for role, _ in memberships_of(user)}


def office_campaigns(user):
    """Campaigns whose office work (review, exemptions, extensions) the user does."""
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(office_unit__in=unit_ids(user, Role.OFFICE_STAFF))


def oversees(user, campaign):
    """Whether `campaign` is among `overseen_campaigns(user)`, from the
    user's memberships (no query once they are read)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    held = memberships_of(user)
    office = {unit for role, unit in held if role == Role.OFFICE_STAFF}
    leader = {unit for role, unit in held if role == Role.LEADER}
    return campaign.office_unit_id in office | leader or campaign.issuing_unit_id in leader


def overseen_campaigns(user):
    """Campaigns whose every report the user may read: the office's and the leaders'."""
    if user.is_superuser:
        return Campaign.objects.all()
    leader_units = unit_ids(user, Role.LEADER)
    return Campaign.objects.filter(
        Q(office_unit__in=unit_ids(user, Role.OFFICE_STAFF))
        | Q(office_unit__in=leader_units)
        | Q(issuing_unit__in=leader_units)
    )
