from django.apps import AppConfig


class RectifySiteConfig(AppConfig):
    """The site package as an app, so its signal receivers (logout revokes API tokens) are connected."""

    name = "rectify_site"
    verbose_name = "整改通"

    def ready(self):
        from . import tokens  # noqa: F401
