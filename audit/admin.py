"""The trail in the admin: read-only for everyone, superusers included, and
the mixin other apps' admins use to put their changes on it."""

from django.contrib import admin

from .models import AuditEvent
from .services import deleted_rows, form_saved, formset_saved, label_of, record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "address", "action", "object_type", "object_id", "description", "campaign_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["description", "object_id", "actor__username", "actor__full_name"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    actions = None
    # The actor by name, not as a link to the user's admin page, which an
    # auditor may not open.
    fields = readonly_fields = [
        "at", "actor_name", "address", "action", "object_type", "object_id", "description", "campaign_id", "changes",
    ]

    @admin.display(description="操作人")
    def actor_name(self, event):
        return str(event.actor) if event.actor_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Records each add, change and deletion made in this admin (and in its
    inlines) as one AuditEvent with the fields that changed."""

    audit_exclude = ()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form_saved(form, request=request, created=not change, exclude=self.audit_exclude)

    def save_formset(self, request, form, formset, change):
        deleted = deleted_rows(formset)
        super().save_formset(request, form, formset, change)
        formset_saved(formset, request=request, deleted=deleted)

    def delete_model(self, request, obj):
        record(action=AuditEvent.Action.DELETED, obj=obj, request=request, description=f"删除{label_of(obj)}")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(action=AuditEvent.Action.DELETED, obj=obj, request=request, description=f"删除{label_of(obj)}")
        super().delete_queryset(request, queryset)
