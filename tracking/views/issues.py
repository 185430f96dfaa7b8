from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from rectify_site.input_text import CleanCharField

from .. import presentation, progress, selectors, services
from ..evidence import max_bytes as evidence_max_bytes
from ..filters import FeedbackIssueFilter
from ..models import FeedbackIssue, IssueEvent, ProgressReport, RectificationStatus, Verification
from ..timeline import issue_timeline
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
    note = CleanCharField(label="核查说明", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=services.NOTE_MAX_LENGTH)
    expected = forms.ChoiceField(choices=Verification.choices, widget=forms.HiddenInput)
    confirm_unclaimed = forms.BooleanField(required=False, label="工作人员核实已完成（通报未称完成）")
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class LedgerForm(forms.Form):
    responsible_leader = CleanCharField(label="责任领导", max_length=100, required=False)
    responsible_department = CleanCharField(label="责任部门", max_length=100, required=False)
    responsible_person = CleanCharField(label="责任人", max_length=100, required=False)
    due_on_override = forms.DateField(label="整改时限（医院调整）", required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                      error_messages={"invalid": "请输入有效日期，如 2026-06-30。"})
    measures_override = CleanCharField(label="整改措施（医院填写，每行一条）", required=False,
                                        max_length=services.MEASURES_MAX_LENGTH,
                                        widget=forms.Textarea(attrs={"rows": 4}))


def _issue_for_page(user, pk):
    reports = ProgressReport.objects.select_related("author", "decided_by").prefetch_related("evidence")
    queryset = visible_issues(user).select_related(
        "inspection__institution", "category", "last_notice", "verified_by"
    ).prefetch_related(
        *selectors.issue_detail_prefetches(),
        Prefetch("reports", queryset=reports.order_by("-created_at", "-id")),
        Prefetch("events", queryset=IssueEvent.objects.select_related("actor", "report")
                 .prefetch_related("report__evidence").order_by("at", "id")),
    )
    return get_object_or_404(queryset, pk=pk)


class IssueDetailView(ProgressAccessMixin, TemplateView):
    """One problem: its ledger, the hospital's progress and evidence, sign-off and verification, one timeline."""

    template_name = "tracking/issue_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        issue = _issue_for_page(user, self.kwargs["pk"])
        # ``expected`` carries the state shown on this page, so acting on a stale page fails (see services).
        form = VerificationForm(initial={"expected": issue.verification, "next": self.request.GET.get("next", "")})
        ledger_form = kwargs.pop("ledger_form", None) or LedgerForm(initial={
            field: getattr(issue, field) for field in services.LEDGER_FIELDS})
        reports = list(issue.reports.all())
        return super().get_context_data(
            issue=issue,
            form=form,
            ledger_form=ledger_form,
            warning=presentation.warning(issue),
            measures=presentation.measure_texts(issue),
            actions=presentation.unique_actions(issue.actions.all()),
            reports=reports,
            pending=next((r for r in reports if r.state == ProgressReport.State.PENDING), None),
            latest_signoff=next((r for r in reports if r.kind == ProgressReport.Kind.SIGNOFF), None),
            timeline=issue_timeline(issue),
            can_edit_ledger=services.can_edit_ledger(user, issue),
            can_report=progress.can_report(user, issue),
            claimed_completed=issue.status == RectificationStatus.COMPLETED,
            evidence_limit_mb=f"{evidence_max_bytes() / 1048576:g}",
            **kwargs,
        )


class IssueLedgerUpdateView(ProgressAccessMixin, View):
    """POST: the hospital (or staff) sets owners, its own deadline and measures."""

    def post(self, request, pk):
        issue = get_object_or_404(visible_issues(request.user).select_related("inspection"), pk=pk)
        form = LedgerForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("tracking:issue", pk=issue.pk)
        try:
            changed = services.issue_update_ledger(issue=issue, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "台账已保存。" if changed else "台账没有变化。")
        return redirect("tracking:issue", pk=issue.pk)


class ReportSubmitView(ProgressAccessMixin, View):
    """POST: the clerk saves progress with evidence, or submits 申请销号."""

    def post(self, request, pk):
        issue = get_object_or_404(visible_issues(request.user).select_related("inspection"), pk=pk)
        refused = getattr(request, "oversized_uploads", [])
        if refused:
            messages.error(request, f"「{'」「'.join(refused)}」过大，未上传；请压缩后重新提交。")
            return redirect("tracking:issue", pk=issue.pk)
        try:
            progress.report_submit(issue=issue, user=request.user, text=request.POST.get("text", ""),
                                   files=request.FILES.getlist("files"),
                                   request_signoff=request.POST.get("action") == "signoff")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已提交销号申请，等待巡察办核查。" if request.POST.get("action") == "signoff"
                             else "整改进展已保存。")
        return redirect("tracking:issue", pk=issue.pk)


def _back(request, issue_pk):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tracking:issue", pk=issue_pk)


def _act(request, action, *, done_message: str) -> bool:
    """Run a staff decision and say how it went; False when it was refused (the page should be shown again)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    except services.IssueChanged as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, done_message)
    return True


class _DecideView(ReviewerRequiredMixin, View):
    def post(self, request, pk):
        report = get_object_or_404(ProgressReport.objects.visible_to(request.user).select_related("issue"), pk=pk)
        if not _act(request, lambda: self.decide(request, report), done_message=self.done_message):
            return redirect("tracking:issue", pk=report.issue_id)
        return _back(request, report.issue_id)


class ReportApproveView(_DecideView):
    done_message = "已批准销号。"

    def decide(self, request, report):
        progress.report_approve(report=report, user=request.user, note=request.POST.get("note", ""),
                                confirm_unclaimed=request.POST.get("confirm_unclaimed") == "on")


class ReportReturnView(_DecideView):
    done_message = "已退回销号申请，填报员会看到退回原因。"

    def decide(self, request, report):
        progress.report_return(report=report, user=request.user, note=request.POST.get("note", ""))


class SignoffQueueView(ReviewerRequiredMixin, TemplateView):
    """待核查: every pending sign-off request, oldest first, with its evidence."""

    template_name = "tracking/signoffs.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        pending = (ProgressReport.objects.visible_to(self.request.user).pending()
                   .select_related("issue__inspection__institution", "issue__category", "author")
                   .prefetch_related("evidence"))
        page = Paginator(pending, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        return super().get_context_data(page_obj=page, reports=rows, **kwargs)


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
        extra = {"confirm_unclaimed": form.cleaned_data["confirm_unclaimed"]} if self.confirms else {}
        if not _act(request, lambda: self.service(issue=issue, user=request.user, note=form.cleaned_data["note"],
                                                  expected=form.cleaned_data["expected"], **extra),
                    done_message=self.done_message):
            return redirect("tracking:issue", pk=issue.pk)
        target = form.cleaned_data["next"]
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(f"{target}#issue-{issue.pk}")
        return redirect("tracking:issue", pk=issue.pk)


class IssueVerifyView(_ChangeVerificationView):
    service = staticmethod(services.issue_verify)
    confirms = True
    done_message = "已核查销号。"


class IssueReopenView(_ChangeVerificationView):
    service = staticmethod(services.issue_reopen)
    confirms = False
    done_message = "已退回重新整改。"
