"""Public disclosure pages at /public/, and their management at /public/manage/."""
from django.urls import path, re_path

from .views import manage, public

app_name = "disclosure"
urlpatterns = [
    path("", public.notice_list, name="list"),
    path("<int:pk>/", public.notice_detail, name="notice"),
    path("<int:pk>/comment", public.comment_submit, name="comment"),
    path("<int:pk>/original", public.original_file, name="original"),
    path("manage/", manage.manage_list, name="manage_list"),
    path("manage/<int:pk>/", manage.manage_notice, name="manage_notice"),
    path("manage/<int:pk>/window", manage.set_window, name="set_window"),
    path("manage/<int:pk>/publish", manage.publish, name="publish"),
    path("manage/<int:pk>/unpublish", manage.unpublish, name="unpublish"),
    path("manage/<int:pk>/republish", manage.republish, name="republish"),
    re_path(r"^manage/(?P<pk>\d+)/comments\.(?P<fmt>csv|xlsx)$", manage.export_comments, name="export"),
    path("manage/comments/<int:pk>/handle", manage.comment_handle, name="comment_handle"),
]
