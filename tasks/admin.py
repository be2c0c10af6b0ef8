from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin import CampaignAdmin

from .models import Indicator, Task


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["tree_title", "lead_unit", "co_unit_names", "phase", "due_on", "weight"]
    list_filter = [
        ("campaign", admin.RelatedOnlyFieldListFilter),
        ("phase", admin.RelatedOnlyFieldListFilter),
        ("lead_unit", admin.RelatedOnlyFieldListFilter),
        "depth",
    ]
    search_fields = ["code", "title", "description", "lead_unit__name", "co_units__name"]
    autocomplete_fields = ["campaign", "parent", "phase", "lead_unit", "co_units"]
    list_select_related = ["lead_unit", "phase", "campaign"]
    fields = [
        "campaign",
        "parent",
        ("position", "code"),
        "title",
        "description",
        "phase",
        "lead_unit",
        "co_units",
        ("due_on", "weight"),
    ]
    ordering = ["campaign", "tree_path"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("co_units")

    @admin.display(description="任务", ordering="tree_path")
    def tree_title(self, task):
        return task.indented_title

    @admin.display(description="配合单位")
    def co_unit_names(self, task):
        return "、".join(unit.display_name for unit in task.co_units.all())


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "measure_unit", "aggregation", "target_display", "campaign", "task", "position"]
    list_editable = ["position"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter), "aggregation"]
    search_fields = ["name", "campaign__title"]
    autocomplete_fields = ["campaign", "task", "denominator"]
    list_select_related = ["campaign", "task"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "campaign",
                    "task",
                    "name",
                    ("measure_unit", "aggregation"),
                    ("target_value", "comparison"),
                    "allow_negative",
                    "max_value",
                    "position",
                ]
            },
        ),
        ("年度情况报告", {"fields": ["sentence_pattern", "denominator", "rate_pattern"]}),
    ]

    @admin.display(description="目标值")
    def target_display(self, indicator):
        return indicator.target_display


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "name", "measure_unit", "aggregation", "comparison", "target_value", "allow_negative", "max_value", "task"]
    autocomplete_fields = ["task"]
    # Narrow inputs, so that the row fits the campaign's page at 1280 px.
    widths = {"position": "4em", "name": "12em", "measure_unit": "4em", "target_value": "6em", "max_value": "6em"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.widths:
            field.widget.attrs["style"] = f"width: {self.widths[db_field.name]}"
        return field


CampaignAdmin.add_inline(IndicatorInline)


def campaign_task_tree(campaign):
    """The campaign's admin page shows its task tree read-only, with links to edit each task."""
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


CampaignAdmin.add_task_tree(campaign_task_tree)
