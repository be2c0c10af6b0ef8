from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计"

    def ready(self):
        from core.signals import transitioned

        from .receivers import transition_recorded

        transitioned.connect(transition_recorded, dispatch_uid="audit.transition_recorded")
