from django.contrib import admin
from django.db import models

from audit.admin import AuditedAdminMixin
from campaigns.admin import CampaignAdmin

from .models import CampaignWebhook, Delivery, Notification, Reminder
from .reminders import kind_label


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the system writes as it sends: read here, never typed in or edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Robot addresses are https; a pasted address without a scheme is one too.
WEBHOOK_URL_FIELD = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CampaignWebhook)
class CampaignWebhookAdmin(AuditedAdminMixin, admin.ModelAdmin):
    formfield_overrides = WEBHOOK_URL_FIELD
    list_display = ["name", "campaign", "kind", "is_active"]
    list_filter = ["kind", "is_active", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "campaign__title", "campaign__short_title"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "status", "to", "subject", "campaign", "unit", "attempts", "sent_at"]
    list_filter = ["channel", "status", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["address", "subject"]
    list_select_related = ["campaign", "unit", "recipient"]
    fields = [
        ("channel", "status"),
        ("campaign", "unit"),
        ("recipient", "address", "webhook"),
        "subject",
        "body",
        ("created_at", "sent_at"),
        ("attempts", "next_attempt_at"),
        "last_error",
        "notification",
    ]

    @admin.display(description="接收人或地址")
    def to(self, delivery):
        return delivery.address or delivery.recipient or "—"


class ReminderKindFilter(admin.SimpleListFilter):
    title = "提醒类型"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("chase", "催报"), ("routine", "系统自动提醒")]

    def queryset(self, request, queryset):
        if self.value() == "chase":
            return queryset.filter(kind__startswith="chase_")
        if self.value() == "routine":
            return queryset.exclude(kind__startswith="chase_")
        return queryset


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind_display", "report", "rectification", "recipient", "sent_by"]
    list_filter = [ReminderKindFilter]
    search_fields = ["report__unit__name", "rectification__unit__name", "recipient__username", "recipient__full_name"]
    list_select_related = ["report__unit", "report__period__rule", "rectification__unit", "recipient", "sent_by"]
    fields = ["report", "rectification", "kind", "recipient", "sent_by", "created_at", "sweep", "notification"]

    @admin.display(description="提醒类型", ordering="kind")
    def kind_display(self, reminder):
        return kind_label(reminder.kind)


class ReadFilter(admin.SimpleListFilter):
    title = "阅读状态"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", "未读"), ("yes", "已读")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "campaign", "read_at"]
    list_filter = [ReadFilter, ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient", "campaign"]
    fields = ["recipient", "campaign", "title", "body", "url", "created_at", "read_at"]


class CampaignWebhookInline(admin.TabularInline):
    model = CampaignWebhook
    extra = 0
    formfield_overrides = WEBHOOK_URL_FIELD
    fields = ["name", "kind", "url", "is_active"]


CampaignAdmin.add_inline(CampaignWebhookInline)
