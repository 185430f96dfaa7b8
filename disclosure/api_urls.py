from django.urls import path

from .api import OpenDisclosureFeed

urlpatterns = [path("disclosures/", OpenDisclosureFeed.as_view(), name="public-disclosures")]
