from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "测评体系"

    def ready(self):
        from reports.workbook import add_sheet

        from .workbook import MOCK_SHEET, write_mock_assessments

        add_sheet(MOCK_SHEET, write_mock_assessments)
