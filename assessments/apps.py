from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "测评体系"

    def ready(self):
        from notifications.receivers import describe_moves

        from . import material
        from .models import StandardMaterial

        describe_moves(StandardMaterial, material.material_event)
