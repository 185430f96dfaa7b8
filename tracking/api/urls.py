from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter: the notices app's DefaultRouter already serves the API root at /api/.
router = SimpleRouter()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("issues", views.FeedbackIssueViewSet, basename="issue")
router.register("status-changes", views.StatusChangeViewSet, basename="status-change")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
