from auditlog.admin import LogEntryAdmin as AuditLogEntryAdmin
from auditlog.models import LogEntry
from auditlog.render import get_field_verbose_name
from django.contrib import admin

from . import models

admin.site.site_header = "整改通 管理后台"
admin.site.site_title = "整改通"
admin.site.index_title = "后台管理"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "parent_body", "created_at"]
    search_fields = ["name", "normalized_name", "region"]
    list_filter = ["region"]


@admin.register(models.InstitutionMember)
class InstitutionMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "institution"]
    search_fields = ["user__username", "institution__name"]
    autocomplete_fields = ["institution"]


class CategoryInline(ReadOnlyInline):
    model = models.IssueCategory
    fields = ["number", "title", "order"]


class ImmediateItemInline(ReadOnlyInline):
    model = models.ImmediateItem
    fields = ["text", "status", "notice"]
    readonly_fields = fields


@admin.register(models.Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["institution", "inspecting_body", "round", "group", "started_on", "ended_on", "feedback_on"]
    list_filter = ["inspecting_body"]
    search_fields = ["institution__name", "group", "round"]
    date_hierarchy = "feedback_on"
    autocomplete_fields = ["institution"]
    inlines = [CategoryInline, ImmediateItemInline]


@admin.register(models.IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = ["inspection", "number", "title"]
    search_fields = ["title", "inspection__institution__name"]
    list_select_related = ["inspection__institution"]


class StatementInline(ReadOnlyInline):
    model = models.IssueStatement
    fields = ["notice", "number", "status", "status_evidence"]
    readonly_fields = fields


class MeasureInline(ReadOnlyInline):
    model = models.Measure
    fields = ["notice", "order", "text"]
    readonly_fields = fields


class ActionInline(ReadOnlyInline):
    model = models.IssueAction
    fields = ["notice", "kind", "date", "date_text", "text"]
    readonly_fields = fields


class SectionInline(ReadOnlyInline):
    model = models.IssueSection
    fields = ["notice", "label", "text"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = models.StatusChange
    fields = ["changed_at", "kind", "old_value", "new_value", "notice", "changed_by", "reason"]
    readonly_fields = fields


@admin.register(models.FeedbackIssue)
class FeedbackIssueAdmin(admin.ModelAdmin):
    list_display = ["inspection", "number", "title", "status", "verification", "due_on", "responsible_department",
                    "signoff"]
    list_filter = ["status", "verification", "inspection__inspecting_body"]
    search_fields = ["title", "text", "inspection__institution__name"]
    list_select_related = ["inspection__institution"]
    readonly_fields = ["match_key", "last_notice", "verified_by", "verified_at", "notice_due_on", "signoff"]
    raw_id_fields = ["inspection", "category"]
    inlines = [StatementInline, MeasureInline, SectionInline, ActionInline, StatusChangeInline]


class _HistoryAdmin(admin.ModelAdmin):
    """History is evidence: written by the services, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.StatusChange)
class StatusChangeAdmin(_HistoryAdmin):
    list_display = ["issue", "kind", "old_value", "new_value", "changed_by", "changed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["issue", "notice"]


@admin.register(models.IssueStatement)
class IssueStatementAdmin(admin.ModelAdmin):
    list_display = ["notice", "issue", "number", "status"]
    list_filter = ["status"]
    raw_id_fields = ["notice", "issue"]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["issue", "order", "text"]
    raw_id_fields = ["notice", "issue"]


@admin.register(models.IssueSection)
class IssueSectionAdmin(admin.ModelAdmin):
    list_display = ["issue", "label"]
    raw_id_fields = ["notice", "issue"]


@admin.register(models.IssueAction)
class IssueActionAdmin(admin.ModelAdmin):
    list_display = ["issue", "kind", "date", "date_text"]
    list_filter = ["kind"]
    raw_id_fields = ["notice", "issue"]


@admin.register(models.ImmediateItem)
class ImmediateItemAdmin(admin.ModelAdmin):
    list_display = ["inspection", "text", "status"]
    raw_id_fields = ["notice", "inspection"]




class EvidenceInline(ReadOnlyInline):
    model = models.Evidence
    fields = ["original_name", "extension", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(models.ProgressReport)
class ProgressReportAdmin(_HistoryAdmin):
    list_display = ["issue", "kind", "state", "author", "created_at", "decided_by", "decided_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["issue", "author", "decided_by"]
    raw_id_fields = ["issue"]
    inlines = [EvidenceInline]


@admin.register(models.Evidence)
class EvidenceAdmin(_HistoryAdmin):
    list_display = ["original_name", "issue", "extension", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]  # downloaded through the permission-checked view only
    raw_id_fields = ["issue", "report"]


@admin.register(models.IssueEvent)
class IssueEventAdmin(_HistoryAdmin):
    list_display = ["issue", "kind", "actor", "at"]
    list_filter = ["kind"]
    raw_id_fields = ["issue", "report"]


@admin.register(models.ReminderDigest)
class ReminderDigestAdmin(_HistoryAdmin):
    list_display = ["user", "day", "items", "sent_at"]
    date_hierarchy = "day"


# django-auditlog's own list says "2 changes: field_a, field_b" in English with raw field names.
admin.site.unregister(LogEntry)


class ResourceTypeFilter(admin.SimpleListFilter):
    """By model, named by its Chinese verbose name (auditlog's own filter prints raw model names)."""

    title = "对象类型"
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        from django.contrib.contenttypes.models import ContentType

        ids = LogEntry.objects.values_list("content_type", flat=True).distinct().order_by()
        types = ContentType.objects.filter(pk__in=ids)
        return sorted(((t.pk, str(t.model_class()._meta.verbose_name) if t.model_class() else t.model)
                       for t in types), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


@admin.register(LogEntry)
class LogEntryAdmin(AuditLogEntryAdmin):
    list_display = ["created", "resource_url", "action", "msg_short", "user_url"]
    list_filter = ["action", ResourceTypeFilter]

    @admin.display(description="操作人")
    def user_url(self, obj):
        return super().user_url(obj) if obj.actor_id else "系统"

    @admin.display(description="变更")
    def msg_short(self, obj):
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        fields = [str(get_field_verbose_name(obj, name)) for name in obj.changes_dict]
        return f"{len(fields)}项变更：{'、'.join(fields)}"[:140]
