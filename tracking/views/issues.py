from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from .. import selectors, services
from ..filters import FeedbackIssueFilter
from ..models import FeedbackIssue, Verification
from .access import ProgressAccessMixin, ReviewerRequiredMixin


def visible_issues(user):
    return FeedbackIssue.objects.visible_to(user)


class IssueListView(ProgressAccessMixin, TemplateView):
    """The filtered issue list; the same filters feed the ledger export."""

    template_name = "tracking/issue_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        issues = visible_issues(self.request.user).select_related("inspection__institution", "category")
        filterset = FeedbackIssueFilter(self.request.GET, queryset=issues, request=self.request)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(filter=filterset, page_obj=page, issues=list(page.object_list), **kwargs)


class VerificationForm(forms.Form):
    note = forms.CharField(label="核查说明", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=services.NOTE_MAX_LENGTH)
    expected = forms.ChoiceField(choices=Verification.choices, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class IssueDetailView(ProgressAccessMixin, TemplateView):
    template_name = "tracking/issue_detail.html"

    def get_context_data(self, **kwargs):
        queryset = visible_issues(self.request.user).select_related(
            "inspection__institution", "category", "last_notice", "verified_by"
        ).prefetch_related(*selectors.issue_detail_prefetches())
        issue = get_object_or_404(queryset, pk=self.kwargs["pk"])
        # ``expected`` carries the state shown on this page, so acting on a stale page fails (see services).
        form = VerificationForm(initial={"expected": issue.verification, "next": self.request.GET.get("next", "")})
        return super().get_context_data(issue=issue, form=form, **kwargs)


class _ChangeVerificationView(ReviewerRequiredMixin, View):
    """POST only: the service decides; the view reports the outcome and goes back."""

    service = None  # a services function, wrapped in staticmethod by subclasses
    done_message = ""

    def post(self, request, pk):
        issue = get_object_or_404(visible_issues(request.user), pk=pk)
        form = VerificationForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写核查说明。")
            return redirect("tracking:issue", pk=issue.pk)
        try:
            self.service(issue=issue, user=request.user, note=form.cleaned_data["note"],
                               expected=form.cleaned_data["expected"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("tracking:issue", pk=issue.pk)
        except services.IssueChanged as error:
            messages.warning(request, error.message)
        else:
            messages.success(request, self.done_message)
        target = form.cleaned_data["next"]
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(f"{target}#issue-{issue.pk}")
        return redirect("tracking:issue", pk=issue.pk)


class IssueVerifyView(_ChangeVerificationView):
    service = staticmethod(services.issue_verify)
    done_message = "已核查销号。"


class IssueReopenView(_ChangeVerificationView):
    service = staticmethod(services.issue_reopen)
    done_message = "已退回重新整改。"
