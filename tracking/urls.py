from django.urls import path
from django.views.generic import TemplateView

app_name = "tracking"
# Placeholder until the page lands; keeps the site navigable.
urlpatterns = [path("", TemplateView.as_view(template_name="placeholder.html"), name="overview")]
