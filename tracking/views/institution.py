"""One institution as a workbench: a compact, filterable table of its problems; notices one click away."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from .. import counters, selectors, themes
from ..filters import FeedbackIssueFilter
from ..models import FeedbackIssue, Institution, RectificationStatus
from .access import ProgressAccessMixin
from .overview import chart_scope

# Newest inspection first, then the notice's own order: the (inspection, order) index serves it.
DEFAULT_ORDER = ("-inspection__feedback_on", "-inspection_id", "order", "pk")


class InstitutionView(ProgressAccessMixin, TemplateView):
    """The 台账 of one hospital: number, title, category, status, 预警, owner, deadline, last update."""

    template_name = "tracking/institution.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        institution = get_object_or_404(Institution.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        issues = (FeedbackIssue.objects.filter(inspection__institution=institution)
                  .select_related("category", "inspection").order_by(*DEFAULT_ORDER))
        filterset = FeedbackIssueFilter(self.request.GET, queryset=issues, request=self.request)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        inspections = list(institution.inspections.order_by("-feedback_on", "-id"))
        return super().get_context_data(
            institution=institution,
            filter=filterset,
            page_obj=page,
            issues=list(page.object_list),
            inspections=inspections,
            theme=themes.BY_KEY.get(self.request.GET.get("theme", "")),
            counts=selectors.institution_warning_counts(institution),
            # Every write to this hospital's issues bumps the version; the rendered table is filed under it.
            fragment_key=f"{institution.pk}:{chart_scope(self.request.user)}:{timezone.localdate()}:"
                         f"{counters.version()}:{self.request.GET.urlencode()}",
            **kwargs,
        )


def _found_counts(inspection):
    issues = list(inspection.issues.all())
    return {
        "categories": len(inspection.categories.all()),
        "issues": len(issues),
        "completed": sum(1 for i in issues if i.status == RectificationStatus.COMPLETED),
        "in_progress": sum(1 for i in issues if i.status == RectificationStatus.IN_PROGRESS),
        "long_term": sum(1 for i in issues if i.status == RectificationStatus.LONG_TERM),
        "not_stated": sum(1 for i in issues if i.status == RectificationStatus.NOT_STATED),
    }


def _declared(inspection):
    """What the newest notice says about itself, to set beside what was found."""
    notices = list(inspection.notices.all())
    return (notices[-1].declared or {}) if notices else {}


class InstitutionNoticesView(ProgressAccessMixin, TemplateView):
    """Each inspection of the hospital with its notices: dates, 公开期限, contacts, parser hints, declared counts."""

    template_name = "tracking/institution_notices.html"

    def get_context_data(self, **kwargs):
        institution = get_object_or_404(Institution.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        inspections = []
        for inspection in selectors.institution_inspection_summaries(institution):
            found = _found_counts(inspection)
            declared = _declared(inspection)
            inspections.append({
                "inspection": inspection,
                "notices": list(inspection.notices.all()),
                "found": found,
                "declared": declared,
                "mismatch": {key: declared.get(key) is not None and declared.get(key) != found.get(key)
                             for key in ("categories", "issues", "completed", "in_progress")},
            })
        return super().get_context_data(
            institution=institution,
            inspections=inspections,
            loose_notices=list(selectors.institution_notices_without_inspection(institution)),
            **kwargs,
        )
