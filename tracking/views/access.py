"""Who may open the review pages: staff see everything, a clerk their own hospital, nobody else anything."""
from django.contrib.auth.mixins import AccessMixin

from ..roles import clerk_institution_id, is_reviewer


class ProgressAccessMixin(AccessMixin):
    """Logged in and either staff or a hospital clerk; querysets then narrow with ``visible_to``."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (is_reviewer(user) or clerk_institution_id(user) is not None):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class ReviewerRequiredMixin(AccessMixin):
    """Only staff (巡察办工作人员) may change verification."""

    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_reviewer(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
