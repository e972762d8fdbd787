"""Django admin — for platform administrators only (Django's is_staff flag). Committee staff
work in the product's own pages. Every change made here is audited like any other."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.models import AuditAction, AuditEntry, RoleAssignment, User


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        action = AuditAction.UPDATE if change else AuditAction.CREATE
        after = snapshot(obj)
        if change:
            changed = {k for k in after if before.get(k) != after.get(k)}
            before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
        audit_record(
            actor=request.user,
            action=action,
            obj=obj,
            before=before,
            after=after,
            note="django-admin",
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(
            actor=request.user,
            action=AuditAction.DELETE,
            obj=obj,
            before=before,
            note="django-admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class PlatformUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email")
    fieldsets = (*UserAdmin.fieldsets, ("智慧政协", {"fields": ("display_name",)}))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "committee", "role", "office", "handling_unit", "starts_on", "ends_on")
    list_filter = ("role", "committee")
    raw_id_fields = ("user", "handling_unit", "special_committee")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never edited or deleted (archiving is a command)."""

    list_display = ("created", "actor_label", "action", "object_type", "object_label", "ip")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_label")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
