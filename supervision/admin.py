"""The system admin's view of inspections and the ledger: records made by
the office's pages, which the admin reads and may correct in wording only.
Items change state only through the pages (verify, reject), so that every
step is on record."""

from django.contrib import admin

from .models import (
    Finding,
    InspectedUnit,
    Inspection,
    InspectionAttachment,
    RectificationEvent,
    RectificationItem,
    RectificationResponse,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InspectedUnitInline(ReadOnlyInline):
    model = InspectedUnit
    fields = readonly_fields = ["unit", "score"]


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = readonly_fields = ["unit", "description", "created_at"]


class InspectionAttachmentInline(ReadOnlyInline):
    model = InspectionAttachment
    fields = readonly_fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["inspected_on", "kind", "campaign", "inspectors", "created_by"]
    list_filter = ["kind", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["inspectors", "summary"]
    list_select_related = ["campaign", "created_by"]
    date_hierarchy = "inspected_on"
    fields = ["campaign", "kind", "inspected_on", "inspectors", "summary", "created_by", "created_at"]
    readonly_fields = ["campaign", "kind", "inspected_on", "created_by", "created_at"]
    inlines = [InspectedUnitInline, FindingInline, InspectionAttachmentInline]

    # Inspections are recorded on the office's page, which opens their
    # rectification items; one added here would have none.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResponseInline(ReadOnlyInline):
    model = RectificationResponse
    fields = readonly_fields = ["submitted_at", "submitted_by", "text", "decision", "decided_by", "decided_at", "decision_comment"]


class EventInline(ReadOnlyInline):
    model = RectificationEvent
    fields = readonly_fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]


@admin.register(RectificationItem)
class RectificationItemAdmin(admin.ModelAdmin):
    list_display = ["unit", "requirement_short", "deadline", "status", "campaign", "closed_at"]
    list_filter = ["status", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["unit__name", "requirement", "finding__description"]
    list_select_related = ["unit", "campaign"]
    date_hierarchy = "deadline"
    fields = ["campaign", "unit", "finding", "requirement", "deadline", "due_at", "status", "submitted_at", "closed_at", "created_at"]
    readonly_fields = ["campaign", "unit", "finding", "deadline", "due_at", "status", "submitted_at", "closed_at", "created_at"]
    inlines = [ResponseInline, EventInline]

    @admin.display(description="整改要求")
    def requirement_short(self, item):
        return item.requirement if len(item.requirement) <= 40 else item.requirement[:40] + "…"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
