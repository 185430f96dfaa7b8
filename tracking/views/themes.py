from django.views.generic import TemplateView

from .. import themes
from .access import ProgressAccessMixin


class ThemesView(ProgressAccessMixin, TemplateView):
    """The keyword taxonomy, printed, so staff can check why an issue counts as 医保."""

    template_name = "tracking/themes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(themes=themes.THEMES, **kwargs)
