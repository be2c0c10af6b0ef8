from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .models import AssessmentSystem, MockAssessment, Site, SiteType, Standard


class CreatedByMixin:
    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AssessmentSystem)
class AssessmentSystemAdmin(CreatedByMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "edition", "campaign", "weighted", "is_current", "created_at"]
    list_filter = ["is_current", "campaign"]
    readonly_fields = ["created_by", "created_at", "source_name"]


@admin.register(Standard)
class StandardAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["position", "text", "score", "lead_unit", "needs_photo"]
    list_filter = ["system"]
    search_fields = ["text"]
    autocomplete_fields = ["lead_unit", "co_units"]
    filter_horizontal = ["site_types"]
    list_select_related = ["lead_unit"]


@admin.register(SiteType)
class SiteTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["name"]


@admin.register(Site)
class SiteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "site_type", "unit", "address", "is_active"]
    list_filter = ["campaign", "site_type", "is_active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["unit"]
    list_select_related = ["site_type", "unit"]


@admin.register(MockAssessment)
class MockAssessmentAdmin(CreatedByMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "held_on", "status", "seed"]
    list_filter = ["campaign", "status"]
    readonly_fields = ["created_by", "created_at", "closed_at", "seed"]
