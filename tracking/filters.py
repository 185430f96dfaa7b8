"""One FilterSet per resource, used by the API viewsets and the HTML lists alike.

So ``/progress/?theme=medical_insurance&status=open`` and
``/api/institutions/?theme=medical_insurance&status=open`` answer the same
question with the same rows.  Querysets come in already limited to what
the user may see (``visible_to``); filters only narrow them.
"""
import django_filters as filters
from django import forms
from django.db.models import Q

from . import themes
from .models import (
    FeedbackIssue,
    Inspection,
    Institution,
    ProgressReport,
    RectificationStatus,
    SignOff,
    StatusChange,
    Verification,
)
from .presentation import WARNING_CHOICES
from .selectors import with_progress


class StableOrderingFilter(filters.OrderingFilter):
    """Ties broken by primary key, so a row never shows on two pages; labels in Chinese (「名称（降序）」)."""

    descending_fmt = "%s（降序）"

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def _yes_no(label, method):
    # 「全部／是／否」 rather than NullBooleanSelect's 「未知」, which reads as a data state.
    return filters.BooleanFilter(method=method, label=label, widget=forms.Select(
        choices=[("", "全部"), ("true", "是"), ("false", "否")]))


def _visible_institutions(request):
    return Institution.objects.visible_to(getattr(request, "user", None)).order_by("name_pinyin", "pk")


class InstitutionFilter(filters.FilterSet):
    """The overview: institutions with their latest inspection's counts (see ``selectors.with_progress``)."""

    STATUS_CHOICES = [
        ("open", "有未完成问题"),
        ("overdue", "有逾期问题"),
        ("due_soon", "有临期问题"),
        ("completed", "问题已全部完成"),
        ("no_inspection", "尚无巡察记录"),
    ]

    q = filters.CharFilter(method="filter_q", label="单位名称")
    region = filters.CharFilter(field_name="region", label="地区")
    inspecting_body = filters.CharFilter(field_name="latest_inspecting_body", label="巡察主体")
    round = filters.CharFilter(field_name="latest_round", label="巡察轮次")
    status = filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label="整改情况")
    theme = filters.ChoiceFilter(choices=themes.CHOICES, method="filter_theme", label="问题主题")
    ordering = StableOrderingFilter(
        fields=(
            ("name_pinyin", "name"),
            ("region", "region"),
            ("latest_feedback_on", "feedback_on"),
            ("n_open", "open"),
            ("n_overdue", "overdue"),
            ("n_issues", "issues"),
        ),
        # Keyed by the field, not the URL parameter: django-filter looks labels up by field.
        field_labels={"name_pinyin": "名称（拼音）", "region": "地区", "latest_feedback_on": "反馈日期",
                      "n_open": "未完成数", "n_overdue": "逾期数", "n_issues": "问题数"},
        label="排序",
    )

    class Meta:
        model = Institution
        fields = []

    def filter_queryset(self, queryset):
        # The counts depend on the theme, so annotate before any filter reads them.
        theme = self.form.cleaned_data.get("theme") or None
        return super().filter_queryset(with_progress(queryset.order_by("name_pinyin", "pk"), theme=theme))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(normalized_name__contains=value))

    def filter_status(self, queryset, name, value):
        return {
            "open": lambda: queryset.filter(n_open__gt=0),
            "overdue": lambda: queryset.filter(n_overdue__gt=0),
            "due_soon": lambda: queryset.filter(n_due_soon__gt=0),
            "completed": lambda: queryset.filter(n_issues__gt=0, n_open=0),
            "no_inspection": lambda: queryset.filter(latest_inspection_id__isnull=True),
        }[value]()

    def filter_theme(self, queryset, name, value):
        # Counts are already limited to the theme; drop hospitals with no issue of it.
        return queryset.filter(n_issues__gt=0)


class InspectionFilter(filters.FilterSet):
    institution = filters.ModelChoiceFilter(queryset=_visible_institutions, label="单位")
    inspecting_body = filters.CharFilter(label="巡察主体")
    round = filters.CharFilter(label="巡察轮次")
    feedback_on = filters.DateFromToRangeFilter(label="反馈日期")

    class Meta:
        model = Inspection
        fields = ["institution", "inspecting_body", "round", "feedback_on"]


class FeedbackIssueFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="关键词")
    institution = filters.ModelChoiceFilter(field_name="inspection__institution", queryset=_visible_institutions,
                                            label="单位", empty_label="全部单位")
    inspection = filters.NumberFilter(field_name="inspection_id", label="巡察")
    category = filters.NumberFilter(field_name="category_id", label="问题类别")
    status = filters.ChoiceFilter(choices=RectificationStatus.choices, label="通报所称状态", empty_label="全部")
    verification = filters.ChoiceFilter(choices=Verification.choices, label="核查状态", empty_label="全部")
    verified = _yes_no("已核查销号", "filter_verified")
    open = _yes_no("未完成", "filter_open")
    overdue = _yes_no("已逾期", "filter_overdue")
    due_soon = _yes_no("临期", "filter_due_soon")
    warning = filters.ChoiceFilter(choices=WARNING_CHOICES, method="filter_warning", label="预警", empty_label="全部")
    signoff = filters.ChoiceFilter(choices=[c for c in SignOff.choices if c[0]], label="销号申请", empty_label="全部")
    owner = filters.CharFilter(method="filter_owner", label="责任人或责任部门")
    theme = filters.ChoiceFilter(choices=themes.CHOICES, method="filter_theme", label="问题主题", empty_label="全部主题")
    due_on = filters.DateFromToRangeFilter(label="整改时限")
    feedback_on = filters.DateFromToRangeFilter(field_name="inspection__feedback_on", label="反馈日期")
    updated = filters.DateFromToRangeFilter(field_name="updated_at__date", label="更新日期")
    ordering = StableOrderingFilter(
        fields=(
            ("inspection__institution__name", "institution"),
            ("due_on", "due_on"),
            ("order", "order"),
            ("updated_at", "updated"),
            ("status", "status"),
            ("responsible_department", "department"),
        ),
        field_labels={"inspection__institution__name": "单位", "due_on": "整改时限", "order": "序号",
                      "updated_at": "更新时间", "status": "通报所称状态", "responsible_department": "责任部门"},
        label="排序", empty_label="默认顺序",
    )

    class Meta:
        model = FeedbackIssue
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__contains=value) | Q(text__contains=value) | Q(status_evidence__contains=value))

    def filter_warning(self, queryset, name, value):
        return queryset.with_warning(value)

    def filter_owner(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(responsible_person__contains=value) | Q(responsible_department__contains=value)
                               | Q(responsible_leader__contains=value))

    def filter_verified(self, queryset, name, value):
        condition = Q(verification=Verification.VERIFIED)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_open(self, queryset, name, value):
        opened = queryset.open()
        return opened if value else queryset.exclude(pk__in=opened.values("pk"))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_due_soon(self, queryset, name, value):
        soon = queryset.due_soon()
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(themes.theme_q(value))


class StatusChangeFilter(filters.FilterSet):
    issue = filters.NumberFilter(field_name="issue_id", label="问题")
    institution = filters.ModelChoiceFilter(field_name="issue__inspection__institution",
                                            queryset=_visible_institutions, label="单位")
    kind = filters.ChoiceFilter(choices=StatusChange.Kind.choices, label="类型")
    changed_at = filters.DateFromToRangeFilter(field_name="changed_at__date", label="变更日期")

    class Meta:
        model = StatusChange
        fields = ["issue", "institution", "kind", "changed_at"]


class ProgressReportFilter(filters.FilterSet):
    issue = filters.NumberFilter(field_name="issue_id", label="问题")
    institution = filters.ModelChoiceFilter(field_name="issue__inspection__institution",
                                            queryset=_visible_institutions, label="单位")
    state = filters.ChoiceFilter(choices=ProgressReport.State.choices, label="状态")
    kind = filters.ChoiceFilter(choices=ProgressReport.Kind.choices, label="类型")

    class Meta:
        model = ProgressReport
        fields = ["issue", "institution", "state", "kind"]
