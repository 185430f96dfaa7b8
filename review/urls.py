from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.notice_review, name="notice"),
    path("<int:pk>/accept", views.accept, name="accept"),
    path("<int:pk>/reject", views.reject, name="reject"),
    path("<int:pk>/corrections", views.correct, name="correct"),
    path("corrections/<int:pk>/revoke", views.revoke, name="revoke"),
]
