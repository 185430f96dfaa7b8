from django.urls import path, register_converter

from . import views


class LedgerFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LedgerFormat, "ledger")

app_name = "tracking"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("themes/", views.ThemesView.as_view(), name="themes"),
    path("institutions/<int:pk>/", views.InstitutionView.as_view(), name="institution"),
    path("institutions/<int:pk>/notices/", views.InstitutionNoticesView.as_view(), name="institution-notices"),
    path("institutions/<int:pk>/ledger.<ledger:fmt>", views.InstitutionLedgerView.as_view(), name="institution-ledger"),
    path("issues/", views.IssueListView.as_view(), name="issues"),
    path("issues/ledger.<ledger:fmt>", views.IssueLedgerView.as_view(), name="issues-ledger"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<int:pk>/verify/", views.IssueVerifyView.as_view(), name="issue-verify"),
    path("issues/<int:pk>/reopen/", views.IssueReopenView.as_view(), name="issue-reopen"),
    path("issues/<int:pk>/ledger/", views.IssueLedgerUpdateView.as_view(), name="issue-ledger"),
    path("issues/<int:pk>/reports/", views.ReportSubmitView.as_view(), name="issue-report"),
    path("reports/<int:pk>/approve/", views.ReportApproveView.as_view(), name="report-approve"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report-return"),
    path("signoffs/", views.SignoffQueueView.as_view(), name="signoffs"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("todo/", views.TodoView.as_view(), name="todo"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("accounts/", views.AccountsView.as_view(), name="accounts"),
    path("accounts/<int:pk>/password/", views.AccountPasswordView.as_view(), name="account-password"),
]
