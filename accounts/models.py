import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

# How many of a person's passwords are remembered (the current one included):
# none of them may be chosen again (accounts.passwords.HistoryValidator).
REMEMBERED_PASSWORDS = 5


class User(AbstractUser):
    """A person who signs in: office staff, a leader, a unit head or a liaison.

    What a person may do comes from their memberships in units
    (`campaigns.Membership`), not from fields on the user.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=30, blank=True)
    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=False,
        help_text="管理员设置初始密码后勾选，用户首次登录时须先修改密码。",
    )
    password_changed_at = models.DateTimeField("密码设置时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    def get_short_name(self):
        return self.full_name or super().get_short_name() or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        # Django's save clears _password once the validators heard of the change.
        password_set = self._password is not None
        super().save(*args, **kwargs)
        if password_set and self.has_usable_password():
            PasswordHistory.remember(self)

    def password_expired(self, *, at):
        """Whether PASSWORD_MAX_AGE_DAYS have passed since the password was set."""
        days = settings.PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return self.password_changed_at <= at - datetime.timedelta(days=days)


class PasswordHistory(models.Model):
    """The hashes of a person's last passwords, so that none is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码（哈希）", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_latest")]

    @classmethod
    def remember(cls, user):
        cls.objects.create(user=user, password=user.password, created_at=user.password_changed_at or timezone.now())
        older = cls.objects.filter(user=user).order_by("-created_at", "-pk").values("pk")[REMEMBERED_PASSWORDS:]
        cls.objects.filter(pk__in=older).delete()


class SignInEvent(models.Model):
    """One sign-in, failed sign-in or sign-out: who, when, from where (登录日志).

    Kept SIGN_IN_LOG_RETENTION_DAYS (at least 180) and then deleted by
    `prune_sign_in_log`. `username` is what was typed, so a failure against an
    unknown or mistyped name is kept too; `user` is set when it names a person.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "登录成功"
        FAILED = "failed", "登录失败"
        LOCKED_OUT = "locked_out", "锁定期间尝试登录"
        SIGNED_OUT = "signed_out", "退出登录"
        TIMED_OUT = "timed_out", "会话超时退出"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    username = models.CharField("用户名", max_length=150, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="sign_in_events", verbose_name="用户"
    )
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    path = models.CharField("登录入口", max_length=255, blank=True)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["username", "-at"], name="sign_in_event_username"),
            models.Index(fields=["ip_address", "-at"], name="sign_in_event_address"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["signed_in", "failed", "locked_out", "signed_out", "timed_out"]),
                name="sign_in_event_kind_known",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self):
        return self.get_kind_display()
