from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    """An e-mail backend whose server always refuses."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")
