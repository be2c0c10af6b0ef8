from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from campaigns.models import Membership

from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "phone", "email"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
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
