import json
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

import audit
from audit.access import AUDITOR_GROUP, SECURITY_ADMIN_GROUP
from audit.admin import AuditedAdminMixin
from campaigns.models import Membership
from campaigns.resources import MAX_SHEET_ROWS, XLSX_CONTENT_TYPE, SheetImportAdminMixin, workbook_bytes

from . import selectors, services
from .forms import InitialPasswordForm
from .models import SignInEvent, User
from .resources import PersonResource

# 三员分立: the groups only the system admin fills or changes.
SYSTEM_GROUPS = (SECURITY_ADMIN_GROUP, AUDITOR_GROUP)


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
class UserAdmin(AuditedAdminMixin, SheetImportAdminMixin, BaseUserAdmin):
    resource_classes = [PersonResource]
    sheet_help = (
        "每行是一个人在一个单位的一个角色；同一人有多个角色时写多行，用户名相同。"
        "角色填写：联络员、单位负责人、办公室工作人员、领导。用户名留空时以手机号作为用户名。"
        "新用户的初始密码由系统随机生成，导入完成后只显示这一次，请当场下载或打印后分发；用户首次登录须修改密码。"
        "已有用户的密码不变，空白单元格不会清除已有的手机和邮箱。"
    )
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
        users = super().get_queryset(request).annotate(failed_sign_ins=Coalesce(failed, Value(0)))
        if request.user.is_superuser:
            return users
        # 三员分立: the security admin manages people, never the system admin,
        # another security admin or an auditor (whose password they could
        # otherwise set and whose account they could take over): those rows
        # are not theirs to see, so their pages are 404.
        system = Group.objects.filter(name__in=SYSTEM_GROUPS, user=OuterRef("pk"))
        return users.exclude(is_superuser=True).exclude(Exists(system))

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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only a system admin makes someone a security admin or an auditor.
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=SYSTEM_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(action="changed", obj=user, request=request, description=f"重设用户“{user}”的密码")
        return response

    def get_readonly_fields(self, request, obj=None):
        # 三员分立: only a system admin makes a system admin or hands out single
        # permissions; the security admin manages people through groups and roles.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    # Importing people: the first passwords, shown once.

    def get_urls(self):
        return [
            path(
                "import/initial-passwords/",
                self.admin_site.admin_view(self.initial_passwords_view),
                name="accounts_user_initial_passwords",
            ),
            *super().get_urls(),
        ]

    def process_result(self, result, request):
        passwords = getattr(result, "initial_passwords", None)
        response = super().process_result(result, request)
        if not passwords or result.has_errors() or result.has_validation_errors():
            return response
        # Only hashes are stored: this page is the one place the clerk sees the
        # passwords, and it must not be cached by the browser or a proxy.
        context = {
            **self.admin_site.each_context(request),
            "title": "新用户的初始密码",
            "opts": self.opts,
            "passwords": passwords,
            "passwords_json": json.dumps(passwords, ensure_ascii=False),
        }
        page = TemplateResponse(request, "admin/sheet_import/initial_passwords.html", context)
        add_never_cache_headers(page)
        return page

    @method_decorator(require_POST)
    def initial_passwords_view(self, request):
        """The list the clerk posts back from the page above, as a workbook;
        the server keeps nothing of it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            rows = json.loads(request.POST.get("rows", ""))
            rows = [[str(row[key]) for key in ("full_name", "username", "unit", "password")] for row in rows[:MAX_SHEET_ROWS]]
        except (ValueError, TypeError, KeyError):
            return HttpResponseBadRequest("初始密码清单无法读取，请在“用户”中为需要的用户重设密码。".encode())
        response = HttpResponse(
            workbook_bytes("初始密码", ["姓名", "用户名", "单位", "初始密码"], rows), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("初始密码.xlsx")
        audit.record(
            action="downloaded",
            object_type=User._meta.label_lower,
            request=request,
            description=f"下载导入用户的初始密码清单“初始密码.xlsx”（{len(rows)} 人）",
        )
        add_never_cache_headers(response)
        return response


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    """Groups (the security admin's and the auditor's among them) with their
    changes on the audit trail. What a group may do is the system admin's to
    set: the security admin names groups and fills them, and never touches
    the two system groups."""

    def get_queryset(self, request):
        groups = super().get_queryset(request)
        return groups if request.user.is_superuser else groups.exclude(name__in=SYSTEM_GROUPS)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("permissions")
        return readonly


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in log, read only: what happened stays as it happened."""

    list_display = ["at", "kind", "username", "user", "ip_address", "path", "user_agent"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "user__full_name", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    # The person by name, not as a link to the user's admin page, which an
    # auditor may not open.
    fields = readonly_fields = ["kind", "at", "username", "user_name", "ip_address", "user_agent", "path"]

    @admin.display(description="用户")
    def user_name(self, event):
        return str(event.user) if event.user_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
