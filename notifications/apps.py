from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "提醒与通知"

    def ready(self):
        from core.signals import transitioned, transitioned_many
        from reports.signals import workbook_ready

        from . import receivers

        workbook_ready.connect(receivers.workbook_ready, dispatch_uid="notifications.workbook_ready")
        transitioned.connect(receivers.transitioned, dispatch_uid="notifications.transitioned")
        transitioned_many.connect(receivers.transitioned_many, dispatch_uid="notifications.transitioned_many")
