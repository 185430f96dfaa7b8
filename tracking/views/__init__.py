"""Review and workbench pages, one module per page family."""
from .accounts import AccountPasswordView, AccountsView
from .evidence import EvidenceDownloadView
from .exports import InstitutionLedgerView, IssueLedgerView
from .institution import InstitutionNoticesView, InstitutionView
from .issues import (
    IssueDetailView,
    IssueLedgerUpdateView,
    IssueListView,
    IssueReopenView,
    IssueVerifyView,
    ReportApproveView,
    ReportReturnView,
    ReportSubmitView,
    SignoffQueueView,
)
from .overview import OverviewView
from .themes import ThemesView
from .workbench import DashboardView, TodoView

__all__ = [
    "AccountPasswordView", "AccountsView", "DashboardView", "EvidenceDownloadView", "InstitutionLedgerView",
    "InstitutionNoticesView", "InstitutionView", "IssueDetailView", "IssueLedgerUpdateView", "IssueLedgerView",
    "IssueListView", "IssueReopenView", "IssueVerifyView", "OverviewView", "ReportApproveView", "ReportReturnView",
    "ReportSubmitView", "SignoffQueueView", "ThemesView", "TodoView",
]
