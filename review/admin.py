from django.contrib import admin

from .models import Correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Read-only: corrections are made and revoked on the review page, where they are validated and applied."""

    list_display = ["created_at", "notice", "kind", "summary", "created_by", "outcome", "revoked_at"]
    list_filter = ["kind", "outcome"]
    search_fields = ["summary", "reason", "notice__title"]
    list_select_related = ["notice", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
