"""Review pages for discipline-inspection staff, one module per page family."""
from .exports import InstitutionLedgerView, IssueLedgerView
from .institution import InstitutionView
from .issues import IssueDetailView, IssueListView, IssueReopenView, IssueVerifyView
from .overview import OverviewView
from .themes import ThemesView

__all__ = [
    "InstitutionLedgerView", "InstitutionView", "IssueDetailView", "IssueLedgerView", "IssueListView",
    "IssueReopenView", "IssueVerifyView", "OverviewView", "ThemesView",
]
