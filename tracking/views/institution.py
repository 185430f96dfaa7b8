from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from .. import selectors, themes
from ..models import Institution, RectificationStatus
from .access import ProgressAccessMixin


def _by_category(inspection, theme=None):
    """[(category or None, [issues])] in the notice's order; issues without a category come last.

    With ``theme``, only that theme's issues, by the same rule as the overview's counts.
    """
    groups = {category.pk: (category, []) for category in inspection.categories.all()}
    loose = []
    for issue in inspection.issues.all():
        if theme and theme not in themes.themes_of(issue.title, issue.text):
            continue
        groups.get(issue.category_id, (None, loose))[1].append(issue)
    result = [group for group in groups.values() if group[1]]
    return result + ([(None, loose)] if loose else [])


def _found_counts(inspection):
    issues = list(inspection.issues.all())
    return {
        "categories": len([c for c in inspection.categories.all()]),
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


class InstitutionView(ProgressAccessMixin, TemplateView):
    """One institution: each inspection, its notices, and every issue with evidence and history."""

    template_name = "tracking/institution.html"

    def get_context_data(self, **kwargs):
        institution = get_object_or_404(Institution.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        theme = themes.BY_KEY.get(self.request.GET.get("theme", ""))
        inspections = []
        for inspection in selectors.institution_inspections(institution):
            found = _found_counts(inspection)
            declared = _declared(inspection)
            inspections.append({
                "inspection": inspection,
                "groups": _by_category(inspection, theme),
                "notices": list(inspection.notices.all()),
                "found": found,
                "declared": declared,
                "mismatch": {key: declared.get(key) is not None and declared.get(key) != found.get(key)
                             for key in ("categories", "issues", "completed", "in_progress")},
            })
        return super().get_context_data(
            institution=institution,
            theme=theme,
            inspections=inspections,
            loose_notices=list(selectors.institution_notices_without_inspection(institution)),
            **kwargs,
        )
