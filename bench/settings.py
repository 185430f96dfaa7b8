"""The application's settings plus the benchmark-only URLconf (the framework-floor view)."""
from rectify_site.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.floor_urls"
