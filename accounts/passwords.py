"""The password rules (等保), each a Django password validator with a Chinese
message (settings.AUTH_PASSWORD_VALIDATORS)."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from .models import REMEMBERED_PASSWORDS

CLASSES = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: c in string.punctuation or (not c.isalnum() and not c.isspace())),
)


class MinimumLengthValidator:
    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符（现有 {len(password)} 个）。", code="password_too_short"
            )

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """At least `min_classes` of capital letters, small letters, digits and symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            missing = "、".join(name for name, _ in CLASSES if name not in present)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 种，"
                f"现在只有 {len(present)} 种；可以加上{missing}。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 种。"


class UsernameValidator:
    """No password that contains the username, or is contained in it, whatever the case."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        folded, name = password.casefold(), username.casefold()
        if len(name) >= 3 and (name in folded or folded in name or name[::-1] in folded):
            raise ValidationError("密码不能包含用户名，请换一个与用户名无关的密码。", code="password_has_username")

    def get_help_text(self):
        return "不能包含用户名。"


class HistoryValidator:
    """None of the person's last passwords, the current one (an administrator's
    initial password at the forced first change) included."""

    def __init__(self, remembered=REMEMBERED_PASSWORDS):
        self.remembered = remembered

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = [user.password] if user.has_usable_password() else []
        hashes += user.password_history.order_by("-created_at", "-pk").values_list("password", flat=True)[
            : self.remembered
        ]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                f"新密码不能与当前密码或最近 {self.remembered} 次用过的密码相同，请设置一个新的密码。",
                code="password_reused",
            )

    def get_help_text(self):
        return f"不能与当前密码或最近 {self.remembered} 次用过的密码相同。"
