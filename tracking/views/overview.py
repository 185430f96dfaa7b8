from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from .. import selectors, themes
from ..filters import InstitutionFilter
from ..models import Inspection, Institution
from ..roles import clerk_institution_id, is_reviewer
from .access import ProgressAccessMixin


def chart_scope(user) -> str:
    """Whose figures the overview charts show: all hospitals for staff, one for a clerk."""
    return "all" if is_reviewer(user) else f"institution-{clerk_institution_id(user)}"


class OverviewView(ProgressAccessMixin, TemplateView):
    """Every visible institution with its latest inspection's progress, filtered and paginated."""

    template_name = "tracking/overview.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        visible = Institution.objects.visible_to(self.request.user)
        filterset = InstitutionFilter(self.request.GET, queryset=visible, request=self.request)
        theme_key = filterset.form.cleaned_data.get("theme") if filterset.is_valid() else None

        def page_and_rows():
            page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
            rows = list(page.object_list)
            selectors.attach_notice_warnings(rows)
            selectors.attach_warning_counts(rows, theme=theme_key)
            return page, rows

        # The template's body is cached under the counters' version (two small queries to read it) and the
        # query string; everything below is read only inside it, so it is lazy: a hit builds none of it.
        built = SimpleLazyObject(page_and_rows)
        page, rows = SimpleLazyObject(lambda: built[0]), SimpleLazyObject(lambda: built[1])
        version = selectors.overview_version(visible, scope=chart_scope(self.request.user))
        inspections = Inspection.objects.visible_to(self.request.user)
        choices = SimpleLazyObject(lambda: selectors.filter_choices(visible, inspections, version=version))
        charts = SimpleLazyObject(lambda: selectors.overview_charts(visible, version=version))
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            rows=rows,
            theme=themes.BY_KEY.get(theme_key),
            regions=SimpleLazyObject(lambda: choices["regions"]),
            bodies=SimpleLazyObject(lambda: choices["bodies"]),
            rounds=SimpleLazyObject(lambda: choices["rounds"]),
            breakdown=SimpleLazyObject(lambda: charts[0]),
            theme_rows=SimpleLazyObject(lambda: charts[1]),
            fragment_key=f"{version}:{self.request.GET.urlencode()}",
            **kwargs,
        )
