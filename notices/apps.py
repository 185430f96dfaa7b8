from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "整改通报"

    def ready(self):
        # Connects the worker's heartbeat to Celery's worker signals (only a `celery worker` sends them).
        from . import heartbeat  # noqa: F401
