"""The Celery app.

With ``REDIS_URL`` set, Redis is the broker and tasks go to real workers.
Without it (the embedded default for ``make run`` and plain ``make test``)
tasks run in-process, eagerly, so the application works with no services.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify_site.settings")

app = Celery("rectify_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
