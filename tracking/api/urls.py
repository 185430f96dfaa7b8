from django.urls import path
from rest_framework.routers import SimpleRouter

from rectify_site.token_view import token_view

from . import views
from .root import ApiRootView

# SimpleRouter: ``ApiRootView`` lists every endpoint of every app at /api/.
router = SimpleRouter()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("issues", views.FeedbackIssueViewSet, basename="issue")
router.register("status-changes", views.StatusChangeViewSet, basename="status-change")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")

urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    # POST: a token for a username and password (expires, see rectify_site/tokens.py); DELETE: revoke it.
    path("auth/token/", token_view, name="api-token"),
    *router.urls,
]
