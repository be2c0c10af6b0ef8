from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms

from . import services


class UsernameLengthMixin:
    """Django's sign-in form notes the username's length limit but does not
    check it: a longer name would reach the database of failed attempts.
    Refuse it here, with a sentence, before any password is tried."""

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise forms.ValidationError(
                f"用户名不能超过 {limit} 个字符（现有 {len(username)} 个），请检查后重新输入。", code="username_too_long"
            )
        return username


class SignInForm(UsernameLengthMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，请重新输入（密码区分大小写）。",
        "inactive": "该账号已停用，如需继续使用请联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(placeholder="请输入用户名", autocomplete="username")
        self.fields["password"].widget.attrs.update(placeholder="请输入密码")
        if self.data.get("username"):
            # After a wrong password the cursor waits where the retyping starts.
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True

    def get_invalid_login_error(self):
        error = super().get_invalid_login_error()
        # Axes counts the failure before the form reports it; a clerk who
        # knows how many tries remain stops guessing and asks for a reset.
        failures = getattr(self.request, "axes_failures_since_start", None)
        remaining = settings.AXES_FAILURE_LIMIT - (failures or 0)
        if failures and remaining > 0:
            minutes = lockout_minutes(self.request)
            lock = f"锁定 {minutes} 分钟" if minutes else "锁定，须由系统管理员解锁"
            error = forms.ValidationError(f"{error.message}再输错 {remaining} 次，账号将被{lock}。", code=error.code)
        return error


def lockout_minutes(request):
    """How long a lockout lasts, or None when only an administrator lifts it."""
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds() // 60) if cool_off else None


class OwnPasswordMixin:
    """A password the user chose themselves ends the must-change requirement.

    Any new password also ends a lockout earned by guessing the old one, so
    a clerk who reset it (or had the office reset it) can sign in at once.
    """

    def save(self, commit=True):
        self.user.must_change_password = False
        user = super().save(commit)
        services.end_lockout(username=user.get_username())
        return user


class AdminSignInForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass


class PasswordChangeForm(OwnPasswordMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(OwnPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="登记的电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "例如：name@example.gov.cn"}),
    )


class InitialPasswordForm(auth_forms.AdminPasswordChangeForm):
    """An administrator's password is an initial one: its owner replaces it at first sign-in."""

    def save(self, commit=True):
        if self.cleaned_data["set_usable_password"]:
            self.user.must_change_password = True
        user = super().save(commit)
        services.end_lockout(username=user.get_username())
        return user
