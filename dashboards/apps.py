from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "数据看板"

    def ready(self):
        from campaigns.signals import figures_changed

        from .jobs import figures_changed_receiver

        figures_changed.connect(figures_changed_receiver, dispatch_uid="dashboards.warm")
