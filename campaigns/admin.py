from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from .resources import SheetImportAdminMixin, UnitResource


@admin.register(Unit)
class UnitAdmin(SheetImportAdminMixin, SimpleHistoryAdmin):
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
        ("主要任务", {"fields": ["task_tree"]}),
    ]
    readonly_fields = ["task_tree"]
    # The apps above add their parts of the campaign (indicators, reporting
    # rules, webhooks) from their own admin.py with `add_inline`.
    inlines = [PhaseInline, LeadingGroupInline]

    @classmethod
    def add_inline(cls, inline):
        cls.inlines = [*cls.inlines, inline]

    @admin.display(description="任务分工")
    def task_tree(self, campaign):
        # Read-only here: a campaign has hundreds of tasks, and an inline form
        # per task would cost queries per row. Tasks are edited on their own page.
        if campaign.pk is None:
            return "保存活动后，在“任务”中添加任务。"
        tasks = campaign.tasks.select_related("lead_unit", "phase").prefetch_related("co_units").order_by("tree_path")
        rows = format_html_join(
            "",
            '<tr><td style="padding-left:{}em">{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    0.5 + 1.5 * task.depth,
                    task.code,
                    reverse("admin:tasks_task_change", args=[task.pk]),
                    task.title,
                    task.lead_unit or "",
                    "、".join(unit.display_name for unit in task.co_units.all()),
                    task.phase or "贯穿活动全过程",
                )
                for task in tasks
            ),
        )
        add_url = reverse("admin:tasks_task_add") + f"?campaign={campaign.pk}"
        list_url = reverse("admin:tasks_task_changelist") + f"?campaign__id__exact={campaign.pk}"
        return format_html(
            '<table><thead><tr><th>编号</th><th>任务</th><th>牵头单位</th><th>配合单位</th><th>阶段</th></tr></thead>'
            '<tbody>{}</tbody></table><p><a href="{}">管理任务</a> · <a href="{}">添加任务</a></p>',
            rows,
            list_url,
            add_url,
        )


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
