from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "整改跟踪"

    def ready(self):
        from . import audit
        from .roles import ensure_role_groups

        audit.register()

        # After every app's permissions exist (auth's own post_migrate runs first).
        post_migrate.connect(ensure_role_groups, dispatch_uid="tracking.ensure_role_groups")
