from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "institution", "state", "parser_version", "uploaded_by", "uploaded_at", "withdrawn_at"]
    list_filter = ["state", "format", "parser_version", "unpublished"]
    search_fields = ["title", "original_name", "sha256", "institution__name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["institution", "uploaded_by"]
    raw_id_fields = ["institution", "inspection"]
    readonly_fields = [
        "file", "original_name", "sha256", "format", "size", "uploaded_by", "uploaded_at", "state",
        "state_changed_at", "error", "error_code", "attempts", "parser_version", "parsed_at", "parse_duration_ms",
        "text_encoding", "raw_text", "parse_result", "withdrawn_by",
    ]

    # Originals are records: withdraw instead of deleting.
    def has_delete_permission(self, request, obj=None):
        return False
