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
    path("institutions/<int:pk>/ledger.<ledger:fmt>", views.InstitutionLedgerView.as_view(), name="institution-ledger"),
    path("issues/", views.IssueListView.as_view(), name="issues"),
    path("issues/ledger.<ledger:fmt>", views.IssueLedgerView.as_view(), name="issues-ledger"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<int:pk>/verify/", views.IssueVerifyView.as_view(), name="issue-verify"),
    path("issues/<int:pk>/reopen/", views.IssueReopenView.as_view(), name="issue-reopen"),
]
