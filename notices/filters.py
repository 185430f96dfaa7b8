"""One FilterSet for the upload list page and ``/api/notices/``."""
import django_filters
from django import forms
from django.db.models import Q

from tracking.models import Institution

from .models import Notice, ParseState, ReviewState


class NoticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    state = django_filters.ChoiceFilter(label="解析状态", choices=ParseState.choices)
    review_state = django_filters.ChoiceFilter(label="审核状态", choices=[c for c in ReviewState.choices if c[0]])
    institution = django_filters.ModelChoiceFilter(label="单位", queryset=Institution.objects.none())
    parser_version = django_filters.CharFilter(label="解析器版本")
    uploaded_after = django_filters.DateFilter(label="上传起", field_name="uploaded_at", lookup_expr="date__gte",
                                               widget=forms.DateInput(attrs={"type": "date"}))
    uploaded_before = django_filters.DateFilter(label="上传止", field_name="uploaded_at", lookup_expr="date__lte",
                                                widget=forms.DateInput(attrs={"type": "date"}))
    withdrawn = django_filters.BooleanFilter(
        label="已撤回", field_name="withdrawn_at", lookup_expr="isnull", exclude=True,
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )

    class Meta:
        model = Notice
        fields = ["q", "state", "review_state", "institution", "parser_version", "uploaded_after", "uploaded_before", "withdrawn"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        # Offer only institutions the user may see, so the choice list leaks nothing.
        self.filters["institution"].queryset = Institution.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(original_name__icontains=value)
                               | Q(institution__name__icontains=value))
