from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

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
    path("auth/token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
