from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views import View

from .. import exports
from ..filters import FeedbackIssueFilter
from ..models import FeedbackIssue, Institution
from .access import ProgressAccessMixin

_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(issues, *, fmt: str, name: str) -> HttpResponse:
    content = exports.ledger_xlsx(issues) if fmt == "xlsx" else exports.ledger_csv(issues)
    response = HttpResponse(content, content_type=_TYPES[fmt])
    filename = f"{name}_{timezone.localdate():%Y%m%d}.{fmt}"
    # RFC 6266: an ASCII fallback plus the UTF-8 name browsers actually use.
    response["Content-Disposition"] = (
        f"attachment; filename=\"ledger.{fmt}\"; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    return response


class IssueLedgerView(ProgressAccessMixin, View):
    """The issue list as filtered on the page, as a ledger."""

    def get(self, request, fmt):
        issues = FeedbackIssue.objects.visible_to(request.user)
        filterset = FeedbackIssueFilter(request.GET, queryset=issues, request=request)
        return _download(filterset.qs, fmt=fmt, name="整改台账")


class InstitutionLedgerView(ProgressAccessMixin, View):
    """Every issue of one institution, newest inspection first."""

    def get(self, request, pk, fmt):
        institution = get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)
        issues = FeedbackIssue.objects.filter(inspection__institution=institution).order_by(
            "-inspection__feedback_on", "inspection_id", "order", "pk"
        )
        return _download(issues, fmt=fmt, name=f"{institution.name}_整改台账")
