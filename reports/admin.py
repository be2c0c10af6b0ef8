from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin import CampaignAdmin

from .models import Attachment, IndicatorValue, Period, Report, ReportingRule, ReviewEvent, TaskProgress
from .services import generate_periods


@admin.register(ReportingRule)
class ReportingRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "campaign", "schedule_display", "owners", "starts_on", "ends_on", "shift_holidays"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter), "cadence", "owners"]
    search_fields = ["name", "campaign__title", "source_text"]
    autocomplete_fields = ["campaign", "units", "indicators"]
    list_select_related = ["campaign"]
    actions = ["generate_selected_periods"]

    @admin.display(description="报送时间")
    def schedule_display(self, rule):
        return rule.schedule_display

    @admin.action(description="生成所选报送要求截至今日的报送周期")
    def generate_selected_periods(self, request, queryset):
        total_periods = total_reports = 0
        for rule in queryset.select_related("campaign"):
            periods, reports = generate_periods(rule=rule)
            total_periods += periods
            total_reports += reports
        if total_periods:
            self.message_user(request, f"已生成 {total_periods} 个报送周期、{total_reports} 份待报送任务。", messages.SUCCESS)
        else:
            self.message_user(request, "截至今日的报送周期均已生成，没有新增。", messages.INFO)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "rule", "starts_on", "ends_on", "due_at"]
    list_filter = [("rule__campaign", admin.RelatedOnlyFieldListFilter), "rule__cadence"]
    search_fields = ["label", "rule__name"]
    date_hierarchy = "due_at"
    list_select_related = ["rule", "rule__campaign"]
    readonly_fields = ["rule", "number", "starts_on", "ends_on"]

    def has_add_permission(self, request):
        # Periods come from their rule ("generate periods"), never by hand.
        return False


class ReadOnlyInline(admin.TabularInline):
    """A part of a report shown, never changed: the unit edits it through
    the report pages, and the office sends a report back (退回) or reopens a
    locked period (重新开放), each a recorded step of the workflow."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TaskProgressInline(ReadOnlyInline):
    model = TaskProgress
    fields = ["task", "status", "percent", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task")


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ["indicator", "value"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "status", "due_at", "submitted_at", "late_display"]
    list_filter = [
        ("period__rule__campaign", admin.RelatedOnlyFieldListFilter),
        "period__rule__cadence",
        "status",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["unit__name", "period__label", "work_done"]
    date_hierarchy = "due_at"
    list_select_related = ["unit", "period", "period__rule", "period__rule__campaign"]
    inlines = [TaskProgressInline, IndicatorValueInline, AttachmentInline, ReviewEventInline]
    # A report's text, progress and figures feed the workbook and the
    # year-end report: here they are shown, never changed, in every state,
    # drafts included (the unit edits its draft in its own pages). A change
    # after submission goes through 退回 or 重新开放 on the office's pages,
    # which record who and why (the page's 办理记录 and 修改记录), so a POST
    # to the change page is refused (403) and changes nothing.
    fields = [
        ("period", "unit"),
        ("status", "due_at", "submitted_at"),
        "work_done",
        "problems",
        "next_steps",
        "late_reason",
        ("reopened", "version", "updated_at"),
    ]
    readonly_fields = [name for line in fields for name in (line if isinstance(line, tuple) else [line])]

    @admin.display(description="逾期", boolean=True)
    def late_display(self, report):
        return report.is_late

    def has_add_permission(self, request):
        # A report is an obligation created with its period.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["report", "action", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["report__unit__name", "comment"]
    list_select_related = ["report", "report__unit", "report__period", "report__period__rule", "report__period__rule__campaign", "actor"]
    readonly_fields = ["report", "actor", "action", "from_status", "to_status", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportingRuleInline(admin.StackedInline):
    model = ReportingRule
    extra = 0
    show_change_link = True
    fields = [
        ("name", "cadence", "weekday", "day_of_month", "month_offset", "due_time"),
        ("starts_on", "ends_on", "shift_holidays", "lock_after_days"),
        "owners",
        "units",
        "indicators",
        "source_text",
    ]
    autocomplete_fields = ["units", "indicators"]


CampaignAdmin.add_inline(ReportingRuleInline)
