from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import AuditedAdminMixin

from .models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from .resources import SheetImportAdminMixin, UnitResource


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, SheetImportAdminMixin, SimpleHistoryAdmin):
    resource_classes = [UnitResource]
    sheet_export = True
    sheet_help = "上级单位按单位名称填写，可以是系统中已有的单位，也可以是本表中的单位（写在下级单位之后也可以）。空白单元格不会清除单位已有的简称、上级单位和排序。"
    list_display = ["name", "short_name", "parent", "contact_person", "phone", "sort_order", "is_active"]
    list_editable = ["sort_order"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "contact_person"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
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


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "document_number", "issuing_unit", "office_unit", "starts_on", "ends_on", "status"]
    list_filter = ["status", ("issuing_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "short_title", "document_number"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["issuing_unit", "office_unit"]
    list_select_related = ["issuing_unit", "office_unit"]

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (None, {"fields": ["title", "short_title", "document_number", "status"]}),
        ("发文", {"fields": ["issuing_unit", "addressees", "issued_on", ("starts_on", "ends_on")]}),
        ("方案内容", {"fields": ["guiding_principle", "goals", "requirements"]}),
        ("领导小组办公室", {"fields": ["office_unit", ("contact_person", "contact_phone", "contact_email")]}),
        ("主要任务", {"fields": ["task_tree"]}),
    ]
    readonly_fields = ["task_tree"]
    # The apps above add their parts of the campaign (indicators, reporting
    # rules, webhooks) from their own admin.py with `add_inline`.
    inlines = [PhaseInline, LeadingGroupInline]

    @classmethod
    def add_inline(cls, inline):
        cls.inlines = [*cls.inlines, inline]

    # Read-only: a campaign has hundreds of tasks, and an inline form per task
    # would cost queries per row. The tasks app draws the tree (`add_task_tree`).
    task_tree_renderer = None

    @classmethod
    def add_task_tree(cls, render):
        cls.task_tree_renderer = staticmethod(render)

    @admin.display(description="任务分工")
    def task_tree(self, campaign):
        return self.task_tree_renderer(campaign) if self.task_tree_renderer else ""


@admin.register(Phase)
class PhaseAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "goal", "starts_on", "ends_on", "spans_whole_campaign"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter), "spans_whole_campaign"]
    search_fields = ["name", "goal", "campaign__title"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]


@admin.register(LeadingGroupMember)
class LeadingGroupMemberAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "title", "campaign"]
    list_filter = ["position", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "title", "campaign__title"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign", "unit", "user"]
