"""Read-only shapes of the tracking models; writes go through ``tracking.services``."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rectify_site.input_text import CleanSerializerCharField

from .. import presentation, services, themes
from ..models import (
    Evidence,
    FeedbackIssue,
    Inspection,
    Institution,
    IssueAction,
    ProgressReport,
    StatusChange,
    Verification,
)


class LatestInspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="latest_inspection_id", allow_null=True)
    inspecting_body = serializers.CharField(source="latest_inspecting_body", allow_null=True)
    round = serializers.CharField(source="latest_round", allow_null=True)
    group = serializers.CharField(source="latest_group", allow_null=True)
    feedback_on = serializers.DateField(source="latest_feedback_on", allow_null=True)


class ProgressCountsSerializer(serializers.Serializer):
    """Issue counts of the latest inspection (limited to ``theme`` when the request filters by one)."""

    issues = serializers.IntegerField(source="n_issues")
    completed = serializers.IntegerField(source="n_completed")
    in_progress = serializers.IntegerField(source="n_in_progress")
    long_term = serializers.IntegerField(source="n_long_term")
    not_stated = serializers.IntegerField(source="n_not_stated")
    verified = serializers.IntegerField(source="n_verified")
    reopened = serializers.IntegerField(source="n_reopened")
    open = serializers.IntegerField(source="n_open")
    overdue = serializers.IntegerField(source="n_overdue")
    due_soon = serializers.IntegerField(source="n_due_soon")


class InstitutionSerializer(serializers.ModelSerializer):
    latest_inspection = LatestInspectionSerializer(source="*", read_only=True)
    counts = ProgressCountsSerializer(source="*", read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "region", "aliases", "parent_body", "latest_inspection", "counts"]


class InspectionSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "institution", "institution_name", "inspecting_body", "round", "group", "started_on",
                  "ended_on", "feedback_on", "issue_count"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssueAction
        fields = ["kind", "date", "date_text", "text", "notice"]


class ThemeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class WarningSerializer(serializers.Serializer):
    """预警: red overdue, yellow soon (临期), green ok; none without a deadline; done once closed."""

    state = serializers.ChoiceField(choices=list(presentation.WARNING_STATES))
    colour = serializers.CharField()
    label = serializers.CharField()
    days_overdue = serializers.IntegerField()


class FeedbackIssueSerializer(serializers.ModelSerializer):
    institution = serializers.IntegerField(source="inspection.institution_id", read_only=True)
    institution_name = serializers.CharField(source="inspection.institution.name", read_only=True)
    category_number = serializers.CharField(source="category.number", read_only=True, allow_null=True, default=None)
    category_title = serializers.CharField(source="category.title", read_only=True, allow_null=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    verification_label = serializers.CharField(read_only=True)
    verified_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    due_state = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()
    signoff_label = serializers.CharField(source="get_signoff_display", read_only=True)
    measures = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True, read_only=True)
    themes = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackIssue
        fields = ["id", "institution", "institution_name", "inspection", "category", "category_number",
                  "category_title", "number", "title", "text", "order", "status", "status_label", "status_evidence",
                  "last_notice", "due_on", "notice_due_on", "due_on_override", "due_state", "warning",
                  "responsible_leader", "responsible_department", "responsible_person", "measures_override",
                  "signoff", "signoff_label", "verification", "verification_label", "verified_against_claim",
                  "verified_by", "verified_at", "verification_note", "measures", "actions", "themes", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=list(presentation.DUE_LABELS)))
    def get_due_state(self, issue) -> str:
        return presentation.due_state(issue)

    @extend_schema_field(WarningSerializer)
    def get_warning(self, issue):
        found = presentation.warning(issue)
        return {"state": found.state, "colour": found.colour, "label": found.label, "days_overdue": found.days_overdue}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_measures(self, issue):
        return presentation.measure_texts(issue)

    @extend_schema_field(ThemeSerializer(many=True))
    def get_themes(self, issue):
        return [{"key": t.key, "label": t.label} for t in themes.themes_of(issue.title, issue.text)]


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    old_label = serializers.CharField(read_only=True)
    new_label = serializers.CharField(read_only=True)

    class Meta:
        model = StatusChange
        fields = ["id", "issue", "kind", "old_value", "old_label", "new_value", "new_label", "notice", "changed_by",
                  "reason", "changed_at"]


class VerificationRequestSerializer(serializers.Serializer):
    note = CleanSerializerCharField(max_length=services.NOTE_MAX_LENGTH, help_text="核查说明（必填）")
    # A plain string in the schema: as a ChoiceField it would name the Verification enum a second time.
    expected = serializers.CharField(required=False, help_text="操作人看到的核查状态（unverified / verified / "
                                                               "reopened）；与当前状态不符时返回 409")

    confirm_unclaimed = serializers.BooleanField(
        required=False, default=False,
        help_text="通报未称完成的问题核查销号时必须为 true，记为「工作人员核实已完成（通报未称完成）」")

    def validate_expected(self, value):
        if value not in Verification.values:
            raise serializers.ValidationError("核查状态无效。")
        return value


class StatusChangePageSerializer(serializers.Serializer):
    """The paginated shape of ``/api/issues/{id}/history/``, same as every list endpoint (keyset pages)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StatusChangeSerializer(many=True)


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "extension", "size", "uploaded_at", "download_url"]

    def get_download_url(self, item) -> str:
        from django.urls import reverse

        return reverse("tracking:evidence", args=[item.pk])


class ProgressReportSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    institution = serializers.IntegerField(source="issue.inspection.institution_id", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "issue", "institution", "kind", "kind_label", "state", "state_label", "text", "author",
                  "created_at", "decided_by", "decided_at", "decision_note", "evidence"]


class DecisionRequestSerializer(serializers.Serializer):
    note = CleanSerializerCharField(max_length=services.NOTE_MAX_LENGTH, help_text="核查意见或退回原因（必填）")
    confirm_unclaimed = serializers.BooleanField(required=False, default=False,
                                                 help_text="批准通报未称完成的问题时必须为 true")
