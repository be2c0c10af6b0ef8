"""Who may read the trail: the auditors (审计员) only. Not the office, not the
system admin who is not also an auditor (三员分立); everyone else gets 404."""

from django.http import Http404

SECURITY_ADMIN_GROUP = "安全管理员"
AUDITOR_GROUP = "审计员"


def is_auditor(user):
    return user.is_authenticated and user.is_active and user.groups.filter(name=AUDITOR_GROUP).exists()


def require_auditor(user):
    if not is_auditor(user):
        raise Http404("审计查询仅对审计员开放。")
