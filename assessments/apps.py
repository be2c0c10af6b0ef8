from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "测评体系"

    def ready(self):
        from notifications.receivers import describe_moves
        from reports.workbook import add_sheet

        from . import material
        from .models import StandardMaterial
        from .workbook import MOCK_SHEET, write_mock_assessments

        describe_moves(StandardMaterial, material.material_event)
        add_sheet(MOCK_SHEET, write_mock_assessments)
