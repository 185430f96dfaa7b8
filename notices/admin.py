from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "institution", "state", "review_state", "confidence", "parser_version", "uploaded_by",
                    "uploaded_at", "withdrawn_at"]
    list_filter = ["state", "review_state", "confidence", "format", "parser_version", "unpublished"]
    search_fields = ["title", "original_name", "sha256", "institution__name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["institution", "uploaded_by"]
    readonly_fields = [
        "file", "original_name", "sha256", "format", "size", "uploaded_by", "uploaded_at", "state",
        "state_changed_at", "error", "error_code", "attempts", "parser_version", "parsed_at", "parse_duration_ms",
        "text_encoding", "raw_text", "parse_result", "withdrawn_by",
        # Decided on the review pages, where every change leaves a history row: never edited here.
        "institution", "inspection", "review_state", "reviewed_by", "reviewed_at", "review_note",
        "accepted_fingerprint", "needs_recheck", "recheck_reasons", "duplicate_of", "created_institution",
        "added_aliases", "content_key", "published_at", "published_by",
    ]
    actions = ["reparse_selected", "withdraw_selected"]

    # Originals are records: withdraw instead of deleting.
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="重新解析所选通报", permissions=["reparse"])
    def reparse_selected(self, request, queryset):
        count = services.notices_reparse(queryset=queryset)
        self.message_user(request, f"已将 {count} 份通报重新排队解析（已撤回的不解析）", messages.SUCCESS)

    def has_reparse_permission(self, request):
        return request.user.has_perm("notices.reparse_notice")

    @admin.action(description="撤回所选通报（保留原件）", permissions=["change"])
    def withdraw_selected(self, request, queryset):
        done, refused = 0, []
        for notice in queryset.active():
            try:
                services.notice_withdraw(notice=notice, withdrawn_by=request.user, reason="后台撤回")
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"{notice}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        self.message_user(request, f"已撤回 {done} 份通报", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
