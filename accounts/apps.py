from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the sign-in log)
