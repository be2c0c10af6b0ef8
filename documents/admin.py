"""Drafts and their versions, read only: versions are written by the draft
pages and never changed, so the admin shows them and nothing more."""

from django.contrib import admin

from .models import Draft, DraftVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DraftVersionInline(admin.TabularInline):
    model = DraftVersion
    fields = ["number", "note", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "kind", "year", "phase", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["campaign", "phase", "created_by"]
    inlines = [DraftVersionInline]


@admin.register(DraftVersion)
class DraftVersionAdmin(ReadOnlyAdmin):
    list_display = ["draft", "number", "note", "created_by", "created_at"]
    list_select_related = ["draft__campaign", "draft__phase", "created_by"]
    readonly_fields = ["draft", "number", "note", "data", "created_by", "created_at"]
