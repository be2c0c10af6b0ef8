from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .models import Evaluation, ManualAdjustment, Score, ScoringComponent, ScoringScheme


class ScoringComponentInline(admin.TabularInline):
    model = ScoringComponent
    extra = 0
    fields = ["kind", "weight", "deduction", "position"]


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "objection_days", "lead_count", "lag_count"]
    search_fields = ["campaign__title"]
    autocomplete_fields = ["campaign"]
    list_select_related = ["campaign"]
    inlines = [ScoringComponentInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ["rank", "unit", "computed_total", "manual_total", "total"]
    readonly_fields = fields
    can_delete = False
    ordering = ["rank", "unit__sort_order", "unit__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")

    def has_add_permission(self, request, obj=None):
        return False


# Evaluations and scores are computed and published on the office's pages,
# which record who did what: the admin reads them.
class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["campaign", "month", "status", "computed_at", "published_at"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["campaign"]
    inlines = [ScoreInline]


class ManualAdjustmentInline(admin.TabularInline):
    model = ManualAdjustment
    extra = 0
    fields = ["points", "reason", "by", "at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "evaluation", "rank", "computed_total", "manual_total", "total"]
    list_filter = [("evaluation__campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "evaluation", "evaluation__campaign"]
    inlines = [ManualAdjustmentInline]
