from django.contrib.auth.models import AbstractUser
from django.db import models


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

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    def get_short_name(self):
        return self.full_name or super().get_short_name() or self.username
