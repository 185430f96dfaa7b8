"""Settings for 整改通, read from the environment.

Defaults run the whole application on one machine with nothing installed
(SQLite under ``var/``, Celery tasks in-process).  ``RECTIFY_PRODUCTION=1``
switches on the production mode that ``manage.py check --deploy`` accepts:
it refuses to start without a real ``SECRET_KEY``.
"""
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RECTIFY_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("RECTIFY_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when RECTIFY_PRODUCTION=1")

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY (50+ random characters) must be set in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Field-level audit of who changed what (issues, corrections, review decisions).
    "auditlog",
    "tracking",
    "notices",
    "review",
    "disclosure",
    "rectify_site.apps.RectifySiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rectify_site.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tells the user how many invisible control characters the services removed from what they typed.
    "rectify_site.input_text.InputCleaningMiddleware",
    # Records the signed-in user as the actor of every audit entry made in a request.
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A full disk in a view: 507 with a Chinese message, not a 500.
    "rectify_site.errors.StorageFullMiddleware",
    # Last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rectify_site.urls"
WSGI_APPLICATION = "rectify_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracking.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rectify.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database host that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several threads of runserver and the in-process tasks share one file.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the few strings Django's admin and django-auditlog ship only in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    # Whole files or nothing: a write that fails (a full disk) leaves no partial file (rectify_site/storage.py).
    "default": {"BACKEND": "rectify_site.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if not PRODUCTION:
    # Serve static files from the apps without collectstatic in development and tests.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads live outside any served directory; they are only ever sent
# through permission-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"

# Uploads: 20 MB per notice file; larger request bodies are refused before
# they are read into memory.
NOTICE_MAX_UPLOAD_BYTES = env_int("NOTICE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# OCR of scans and photos: pages recognised per file, and pixels per page image.
NOTICE_OCR_MAX_PAGES = env_int("NOTICE_OCR_MAX_PAGES", 30)
NOTICE_OCR_MAX_PIXELS = env_int("NOTICE_OCR_MAX_PIXELS", 40_000_000)
# 「高置信度自动通过」: a high-confidence parse whose institution matches the uploader's counts without a
# reviewer. Off by default: every parse waits for staff.
NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE = env_bool("NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_HANDLERS = [
    "rectify_site.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A batch of at most ten full-size files; anything declaring more is refused unread.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 10 * NOTICE_MAX_UPLOAD_BYTES + 1024 * 1024)
# Evidence files (佐证材料) attached to progress reports: 10 MB each.
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# 预警: a deadline within this many days is yellow (临期).
RECTIFY_DUE_SOON_DAYS = env_int("RECTIFY_DUE_SOON_DAYS", 20)
# Reverse proxies in front of the app (1 behind nginx). Behind them every request comes from
# 127.0.0.1, so the client is read from X-Forwarded-For as written by this many proxies
# (rectify_site/clientip.py): the login throttle and the comment rate limit count per client.
# DISCLOSURE_TRUSTED_PROXIES is its earlier name, still read.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", env_int("DISCLOSURE_TRUSTED_PROXIES", 0))

# --- Celery -------------------------------------------------------------
# Hard limits on every parse (issue 13), so no upload can take the worker machine down.
# Characters of extracted text, pages of a text PDF/OFD, and issues per notice (real notices have
# at most a few dozen; past the cap the notice fails once with a Chinese message).
NOTICE_MAX_CHARS = env_int("NOTICE_MAX_CHARS", 2_000_000)
NOTICE_MAX_PAGES = env_int("NOTICE_MAX_PAGES", 500)
NOTICE_MAX_ISSUES = env_int("NOTICE_MAX_ISSUES", 1000)
# Address space of each pool process (setrlimit RLIMIT_AS, set in worker_process_init). OCR of a scanned
# page maps about 1.7 GB (onnxruntime), 2.1 GB by the third page; 4 GB leaves room and still stops a bomb.
# 0 turns the cap off.
RECTIFY_WORKER_MEMORY_MB = env_int("RECTIFY_WORKER_MEMORY_MB", 4096)
# LibreOffice (.doc/.wps) gets its own cap (it needs about 0.5 GB of address space for a notice).
NOTICE_CONVERT_MEMORY_MB = env_int("NOTICE_CONVERT_MEMORY_MB", 2048)
# A pool process whose resident memory passed this after a task is replaced (an OCR model stays ~0.8 GB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("RECTIFY_WORKER_MAX_RSS_MB", 1536) * 1024  # Celery counts KiB
# The longest legitimate parse: 30 OCR pages at ~11 CPU-s each (twice that on a busy machine) and a
# LibreOffice conversion. Past the soft limit the parse fails with a Chinese message; the hard limit
# kills a process that does not answer the soft one.
NOTICE_PARSE_SOFT_TIME_LIMIT = env_int("NOTICE_PARSE_SOFT_TIME_LIMIT", 900)
NOTICE_PARSE_TIME_LIMIT = env_int("NOTICE_PARSE_TIME_LIMIT", NOTICE_PARSE_SOFT_TIME_LIMIT + 60)
# A running parse bumps Notice.heartbeat_at this often; the sweep retakes a parse silent for longer
# than NOTICE_PARSE_STALE_SECONDS (its worker died), so a dead worker's job is retaken in minutes.
NOTICE_PARSE_HEARTBEAT_SECONDS = env_int("NOTICE_PARSE_HEARTBEAT_SECONDS", 15)
NOTICE_PARSE_STALE_SECONDS = env_int("NOTICE_PARSE_STALE_SECONDS", 120)
NOTICE_SWEEP_SECONDS = env_int("NOTICE_SWEEP_SECONDS", 120)
# Parses of one notice that ended with their process dead (OOM, memory cap, kill, hard time limit)
# before the notice fails as a file that crashes the parser, rather than loop through redeliveries.
NOTICE_MAX_LOST_PARSES = env_int("NOTICE_MAX_LOST_PARSES", 3)

REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Tests set CELERY_EAGER=1 to keep unit tests in-process while REDIS_URL points at CI's Redis.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker of its own (tests that kill whole workers) can take every job it causes on its own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "rectify")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish to a broker that is down must fail fast: the upload is already
# stored and the sweep enqueues it later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the hard time limit, so Redis never hands a running parse to a second worker; a dead
    # worker's job is retaken earlier by the sweep (heartbeat), and the late redelivery is then skipped.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", NOTICE_PARSE_TIME_LIMIT + 240),
    # kombu otherwise keeps retrying the connection for seconds while the uploader waits.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "connect_retries_timeout": 1,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
# The worker logs through LOGGING below (JSON lines), not Celery's own format: see rectify_site/celery.py.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-notices": {"task": "notices.tasks.sweep_stale_notices", "schedule": float(NOTICE_SWEEP_SECONDS)},
    # Each user's to-do digest, once a day at 08:00 Beijing time (the task sends at most one per user and day).
    "daily-reminder-digests": {"task": "tracking.tasks.send_reminder_digests",
                               "schedule": crontab(hour=env_int("REMINDER_HOUR", 8), minute=0)},
}

# --- E-mail (reminder digests): printed to the console unless an SMTP host is set. ---
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                        else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "整改通 <noreply@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Cache: Redis when configured, and never a reason for a request to fail. ---
# A Redis that is down or frozen costs at most REDIS_SOCKET_TIMEOUT seconds, then this process
# serves without the cache for REDIS_RETRY_AFTER seconds (rectify_site/cache.py).
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
REDIS_RETRY_AFTER = env_float("REDIS_RETRY_AFTER", 10.0)
# The web process's publish of a parse job gets its own short timeouts (notices.services.notice_enqueue_parse):
# an upload is stored before it is queued, so a broker that hangs must not hold the answer.
BROKER_PUBLISH_TIMEOUT = env_float("BROKER_PUBLISH_TIMEOUT", 1.0)
CACHES = {
    "default": (
        {"BACKEND": "rectify_site.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
         "OPTIONS": {"SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT, "RETRY_AFTER": REDIS_RETRY_AFTER}}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Health (/healthz): each dependency, 503 when one is down. ---
# The worker writes a heartbeat every WORKER_HEARTBEAT_SECONDS; older than three beats is down.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
# Less free space than this under MEDIA_ROOT is reported as down (uploads would start failing).
HEALTHZ_MIN_FREE_MB = env_int("HEALTHZ_MIN_FREE_MB", 500)

# --- REST framework -----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Tokens expire after API_TOKEN_TTL_DAYS and are revoked at logout (rectify_site/tokens.py).
        "rectify_site.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "整改通 API",
    "DESCRIPTION": "巡察整改进展通报的结构化数据接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Login throttling (django-axes) --------------------------------------
# Two limits within the cool-off (rectify_site/throttle.py): AXES_FAILURE_LIMIT wrong passwords for one
# username from one client address lock that pair — the account stays usable from every other address,
# so a stranger cannot lock it for everyone; LOGIN_ADDRESS_FAILURE_LIMIT failures from one address over
# any usernames lock that address (high enough for a hospital whose staff share one outgoing address).
# The address is the client's as TRUSTED_PROXIES reports it, never a header the client wrote itself.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "rectify_site.throttle.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "rectify_site.clientip.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# --- Security -----------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: one JSON line per event, so parse outcomes can be queried. ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "rectify_site.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
