from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("notices/", include("notices.urls")),
    path("review/", include("review.urls")),
    path("progress/", include("tracking.urls")),
    path("public/", include("disclosure.urls")),
    path("api/", include("notices.api.urls")),
    path("api/", include("tracking.api.urls")),
    path("api/public/", include("disclosure.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: the init script is a separate request, as the CSP (script-src 'self') requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Error pages in Chinese: 403/404/500 use Django's handlers with templates/{403,404,500}.html;
# a 400 names its cause (e.g. too many files in one upload) and answers JSON under /api/.
handler400 = "rectify_site.views.bad_request"
