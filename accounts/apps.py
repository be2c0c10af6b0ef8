from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户"

    def ready(self):
        from audit.selectors import provide_sign_ins

        from . import receivers  # noqa: F401  (connects the sign-in log)
        from .selectors import sign_in_events

        provide_sign_ins(sign_in_events)
