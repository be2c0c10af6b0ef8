from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ReportingRule
from tasks.models import Indicator, Task

from .models import Campaign, LeadingGroupMember, Membership, Phase, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "parent", "contact_person", "phone", "sort_order", "is_active"]
    list_editable = ["sort_order"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "contact_person"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0
    fields = [("order", "name", "goal"), ("spans_whole_campaign", "starts_on", "ends_on"), "description"]


class LeadingGroupInline(admin.TabularInline):
    model = LeadingGroupMember
    extra = 0
    fields = ["order", "position", "name", "title", "unit", "user"]
    autocomplete_fields = ["unit", "user"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    show_change_link = True
    fields = ["parent", "position", "code", "title", "lead_unit", "co_units", "phase", "due_on"]
    autocomplete_fields = ["parent", "lead_unit", "co_units", "phase"]
    ordering = ["tree_path"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "name", "measure_unit", "aggregation", "comparison", "target_value", "allow_negative", "max_value", "task"]
    autocomplete_fields = ["task"]


class ReportingRuleInline(admin.StackedInline):
    model = ReportingRule
    extra = 0
    show_change_link = True
    fields = [
        ("name", "cadence", "weekday", "day_of_month", "due_time"),
        ("starts_on", "ends_on", "shift_holidays", "lock_after_days"),
        "owners",
        "units",
        "indicators",
        "source_text",
    ]
    autocomplete_fields = ["units", "indicators"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "document_number", "issuing_unit", "office_unit", "starts_on", "ends_on", "status"]
    list_filter = ["status", ("issuing_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "short_title", "document_number"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["issuing_unit", "office_unit"]
    list_select_related = ["issuing_unit", "office_unit"]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "document_number", "status"]}),
        ("发文", {"fields": ["issuing_unit", "addressees", "issued_on", ("starts_on", "ends_on")]}),
        ("方案内容", {"fields": ["guiding_principle", "goals", "requirements"]}),
        ("领导小组办公室", {"fields": ["office_unit", ("contact_person", "contact_phone", "contact_email")]}),
    ]
    inlines = [PhaseInline, LeadingGroupInline, TaskInline, IndicatorInline, ReportingRuleInline]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "goal", "starts_on", "ends_on", "spans_whole_campaign"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter), "spans_whole_campaign"]
    search_fields = ["name", "goal", "campaign__title"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]


@admin.register(LeadingGroupMember)
class LeadingGroupMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "title", "campaign"]
    list_filter = ["position", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "title", "campaign__title"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign", "unit", "user"]
