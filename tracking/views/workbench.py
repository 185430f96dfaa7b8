from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .. import dashboard, reminders
from ..models import Institution
from .access import ProgressAccessMixin
from .overview import chart_scope


class TodoView(ProgressAccessMixin, TemplateView):
    """我的待办: what waits for this user today (the same list the daily e-mail sends)."""

    template_name = "tracking/todo.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=reminders.todo_items(self.request.user), **kwargs)


class DashboardView(ProgressAccessMixin, TemplateView):
    """挂图作战: every chart with its numbers as a table beside it."""

    template_name = "tracking/dashboard.html"

    def get_context_data(self, **kwargs):
        visible = Institution.objects.visible_to(self.request.user)
        figures = dashboard.dashboard_figures(visible, scope=chart_scope(self.request.user))
        ranking = Paginator(figures["ranking"], 20).get_page(self.request.GET.get("page"))
        return super().get_context_data(figures=figures, ranking=ranking, page_obj=ranking, **kwargs)
