from django.contrib import admin
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


CampaignAdmin.add_inline(IndicatorInline)
