from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计"
    # Migration 0003 creates the groups 安全管理员 and 审计员: a restore replaces them.
    seeded_by_migrations = ("auth.Group",)

    def ready(self):
        from core.signals import transitioned, transitioned_many

        from .receivers import transition_recorded, transitions_recorded

        transitioned.connect(transition_recorded, dispatch_uid="audit.transition_recorded")
        transitioned_many.connect(transitions_recorded, dispatch_uid="audit.transitions_recorded")
        post_migrate.connect(grant_history_to_auditors, dispatch_uid="audit.grant_history_to_auditors")


def grant_history_to_auditors(sender, using="default", **kwargs):
    """The auditor reads every history table and the sign-in log, including
    those a later migration adds (migration 0003 could only grant the ones
    it saw)."""
    from django.contrib.auth.models import Group, Permission

    auditor = Group.objects.using(using).filter(name="审计员").first()
    if auditor is not None:
        readable = Permission.objects.using(using).filter(codename__startswith="view_historical")
        readable |= Permission.objects.using(using).filter(codename="view_signinevent")
        auditor.permissions.add(*readable)
