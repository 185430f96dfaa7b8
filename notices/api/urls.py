from rest_framework.routers import DefaultRouter

from .views import NoticeViewSet

router = DefaultRouter()
router.include_root_view = False  # tracking.api.root lists every app's endpoints at /api/
router.register("notices", NoticeViewSet, basename="notice")
urlpatterns = router.urls
