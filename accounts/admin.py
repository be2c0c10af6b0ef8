from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Membership

from . import selectors, services
from .forms import InitialPasswordForm
from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]


class LockedOutFilter(admin.SimpleListFilter):
    title = "登录锁定"
    parameter_name = "locked_out"

    def lookups(self, request, model_admin):
        return [("yes", "已锁定")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(failed_sign_ins__gte=settings.AXES_FAILURE_LIMIT)
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "email", "is_active", "is_staff", "last_login", "locked_out"]
    search_fields = ["username", "full_name", "phone", "email"]
    list_filter = [LockedOutFilter, "is_active", "is_staff", "is_superuser", "memberships__role"]
    actions = ["unlock"]
    fieldsets = (
        (None, {"fields": ("username", "password", "must_change_password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),
    )
    inlines = [MembershipInline]
    # A password an administrator types is known to two people: its owner
    # replaces it at first sign-in (accounts.middleware).
    change_password_form = InitialPasswordForm

    def get_queryset(self, request):
        # Axes keeps its own pages out of the admin (English only); the office
        # sees and lifts lockouts here, where it looks for the person.
        failed = selectors.recent_failed_sign_ins(at=timezone.now())
        return super().get_queryset(request).annotate(failed_sign_ins=Coalesce(failed, Value(0)))

    @admin.display(description="登录锁定", boolean=True)
    def locked_out(self, obj):
        return obj.failed_sign_ins >= settings.AXES_FAILURE_LIMIT

    @admin.action(description="解除所选用户的登录锁定", permissions=["change"])
    def unlock(self, request, queryset):
        locked = list(
            queryset.filter(failed_sign_ins__gte=settings.AXES_FAILURE_LIMIT).values_list("username", flat=True)
        )
        for username in locked:
            services.end_lockout(username=username)
        if locked:
            self.message_user(request, f"已解除 {len(locked)} 个账号的登录锁定，这些用户可以立即重新登录。")
        else:
            self.message_user(request, "所选用户都没有被锁定，无需解除。", messages.WARNING)

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
