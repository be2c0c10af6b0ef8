from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.access import is_auditor
from campaigns import access

from . import forms, selectors

PRODUCT_NAME = "创建活动工作平台"


@login_required
def home(request):
    """Each role lands where its work is."""
    roles = access.roles_of(request.user)
    if roles & {access.Role.LIAISON, access.Role.UNIT_HEAD}:
        return redirect("reports:unit_home")
    if request.user.is_superuser or access.Role.OFFICE_STAFF in roles:
        return redirect("dashboards:today")
    if access.Role.LEADER in roles:
        # Leaders read: straight to their (first) campaign's dashboard.
        first = access.overseen_campaigns(request.user).order_by("-starts_on", "title").first()
        return redirect("dashboards:campaign", first.pk) if first else redirect("dashboards:index")
    if is_auditor(request.user):
        return redirect("audit:search")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html", {"contacts": selectors.office_contacts()})


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT, lockout_minutes=forms.lockout_minutes(self.request), **kwargs
        )


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出。")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.PasswordChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            password_expired=self.request.user.password_expired(at=timezone.now()),
            max_age_days=settings.PASSWORD_MAX_AGE_DAYS,
            **kwargs,
        )


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.PasswordResetForm
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_hours=valid_hours(), **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"product_name": PRODUCT_NAME, "valid_hours": valid_hours()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_hours=valid_hours(), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def valid_hours():
    return settings.PASSWORD_RESET_TIMEOUT // 3600


def locked_out(request, original_response, credentials):
    """The page axes shows instead of signing in a locked account (AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials) or ""
    minutes = forms.lockout_minutes(request)
    by_address = getattr(request, "axes_address_locked", False)
    context = {
        "username": username,
        "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT if by_address else settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "by_address": by_address,
    }
    if minutes:
        # The lock lifts a cool-off after the failure that completed it.
        attempts = (
            AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
            if by_address
            else AccessAttempt.objects.filter(username=username)
        )
        last_failure = attempts.aggregate(at=Max("attempt_time"))["at"]
        context["unlocks_at"] = last_failure and last_failure + get_cool_off(request)
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def csrf_failure(request, reason=""):
    """A form sent from a stale page: say so in Chinese, and what to do."""
    return render(request, "csrf_failure.html", status=403)
