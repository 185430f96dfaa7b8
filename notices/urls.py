from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/status.json", views.notice_status, name="status"),
    path("<int:pk>/download", views.notice_download, name="download"),
    path("<int:pk>/withdraw", views.notice_withdraw, name="withdraw"),
    path("<int:pk>/reparse", views.notice_reparse, name="reparse"),
]
