from django.contrib import admin

from .models import DisclosureChange, PublicComment


@admin.register(PublicComment)
class PublicCommentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "notice", "handled", "handled_by"]
    list_filter = ["handled"]
    search_fields = ["text", "notice__title", "notice__institution__name"]
    date_hierarchy = "created_at"
    list_select_related = ["notice", "handled_by"]
    raw_id_fields = ["notice", "issue"]
    readonly_fields = ["notice", "issue", "text", "name", "contact", "client_hash", "created_at",
                       "handled", "handled_by", "handled_at", "reply_note"]

    # What the public sent is a record: handled through the pages, never written or deleted here.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisclosureChange)
class DisclosureChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "notice", "kind", "new_start", "new_end", "changed_by"]
    list_filter = ["kind"]
    list_select_related = ["notice", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
