from django.contrib import admin

from zhengxie.core.admin import AuditedAdmin
from zhengxie.organisation.models import Committee


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "code", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")
