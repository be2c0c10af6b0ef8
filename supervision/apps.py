from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督导检查与整改"

    def ready(self):
        from reports.workbook import add_sheet

        from .workbook import LEDGER_SHEET, write_ledger

        add_sheet(LEDGER_SHEET, write_ledger)
