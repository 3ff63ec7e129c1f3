"""CODI Plans settings: one file, every value from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
import fontpkg_sarabun
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    # A weak key is reported by `check --deploy`; an empty one must stop the process at once.
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is empty: set a long random value (make run writes one to .env).")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Demo accounts exist only for a local first run, never under production settings.
DEMO_ACCOUNTS_ALLOWED = DEBUG

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "codi_plans",
    "areas",
    "accounts",
    "strategies",
    "workstreams",
    "indicators",
    "progress",
    "budgets",
    "coverage",
    "reports",
    "escalation",
    "mywork",
    "opengov",
    "public",
    "nationaldata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "codi_plans.middleware.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A save that waited too long for SQLite's write lock gets a "busy, try again" answer (409), not a 500.
    "codi_plans.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns repeated failed logins into a lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "codi_plans.urls"
WSGI_APPLICATION = "codi_plans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workstreams.context_processors.navigation",
            ],
            "builtins": ["codi_plans.templatetags.thai_calendar"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high: the national roll-ups' estimates are, and
    # compiling took 470 of a roll-up's 800 ms (bench/plan_tree.py) for queries that run in a few hundred ms. Off, as
    # is usual for a web application's short queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the dev server read while a loader writes.
            "init_command": "PRAGMA journal_mode=WAL;",
            # SQLite has no SELECT ... FOR UPDATE. A deferred transaction reads first and asks for the write lock at
            # its first write; when another save committed in between, that upgrade fails at once with "database is
            # locked", whatever the timeout. BEGIN IMMEDIATE takes the write lock first, so two saves of one record
            # queue: the second reads the first's revision and gets the usual conflict (409), never a 500.
            "transaction_mode": "IMMEDIATE",
            # Seconds a write waits for the lock before giving up (the user then gets a "busy, try again" answer).
            "timeout": env.float("DJANGO_SQLITE_TIMEOUT", default=10.0),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False


def client_address_settings(proxy_count: int, header: str = "") -> dict:
    """Return the settings that say where a request's real client address is (login lockout, API throttles).

    With no proxy the address is the connection's own (REMOTE_ADDR) and any X-Forwarded-For is ignored, since
    clients can send anything there. Behind `proxy_count` trusted reverse proxies, each of which appends the
    address it got the request from to `header` (X-Forwarded-For by default), the client is the proxy_count-th
    address from the right: the entries to its left came from the client and are never trusted.
    """
    if proxy_count < 0:
        raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")
    if not proxy_count:
        if header:
            raise ImproperlyConfigured(
                "DJANGO_CLIENT_IP_HEADER is only read behind DJANGO_TRUSTED_PROXY_COUNT proxies."
            )
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": True,
            "NUM_PROXIES": 0,
        }
    header = header or "X-Forwarded-For"
    meta_key = header.upper().replace("-", "_")
    meta_key = meta_key if meta_key.startswith("HTTP_") else f"HTTP_{meta_key}"
    return {
        # django-ipware (through axes) counts the proxies listed inside the header: the last proxy's own
        # address is REMOTE_ADDR, so N proxies list N - 1 of themselves after the client. Not strict: a client
        # may have put addresses (or junk) of its own in front, which the count from the right skips. Only the
        # header: with REMOTE_ADDR as a fallback ipware would prefer a public proxy address to a private client's.
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (meta_key,),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
        # DRF's throttles read only X-Forwarded-For; behind another header they count by the proxy's address.
        "NUM_PROXIES": proxy_count if meta_key == "HTTP_X_FORWARDED_FOR" else 0,
    }


# The real client address: behind reverse proxies (DJANGO_TRUSTED_PROXY_COUNT, how many; DJANGO_CLIENT_IP_HEADER,
# the header they append the client to, X-Forwarded-For by default), else the connection's own address.
_CLIENT_ADDRESS = client_address_settings(
    env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0), env.str("DJANGO_CLIENT_IP_HEADER", default="")
)
AXES_IPWARE_META_PRECEDENCE_ORDER = _CLIENT_ADDRESS["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _CLIENT_ADDRESS["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _CLIENT_ADDRESS["AXES_IPWARE_PROXY_ORDER"]
IPWARE_STRICT = _CLIENT_ADDRESS["IPWARE_STRICT"]

LOGIN_URL = "login"
# Each role lands on its own work after signing in; "/" stays the public page.
LOGIN_REDIRECT_URL = "mywork:home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun comes from a pinned PyPI package and is served by the app itself: no CDN.
    ("fonts/sarabun", Path(fontpkg_sarabun.__file__).parent / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (a first run, the tests) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="CODI Plans <noreply@codi.or.th>")

REST_FRAMEWORK = {
    # Token first: DRF answers a missing or bad credential with 401 and a WWW-Authenticate header only when the
    # first class names a scheme (SessionAuthentication has none and would make it a 403). The browser's session
    # still signs people in, with CSRF checked on every unsafe request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "codi_plans.api.ReadOnlyRolesMayNotWrite",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "codi_plans.api.exception_handler",
    # Scoped rates for the indicator API's throttles (indicators/api.py).
    "DEFAULT_THROTTLE_RATES": {"indicators_anon": "30/minute", "indicators_user": "600/minute"},
    # Anonymous throttles count by the client address above (without it DRF would key on a client-sent
    # X-Forwarded-For, which a client can change at every request).
    "NUM_PROXIES": _CLIENT_ADDRESS["NUM_PROXIES"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CODI Plans API",
    "DESCRIPTION": "Plans, areas, indicators and budgets of the Community Organizations Development Institute.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge image from the public validator: nothing is fetched from the internet (and CSP would refuse it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "codi_plans.api.document_error_responses",
    ],
    # One schema name per choice set that several fields share.
    # Several apps have a `status` or `kind` field with their own choices: name each enum explicitly.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "workstreams.models.PlanStatus",
        "PlanNodeKindEnum": "strategies.models.NodeKind",
        "BudgetRequestStatusEnum": "budgets.models.RequestStatus",
        "ResultStatusEnum": "indicators.models.ResultStatus",
        "ReportKindEnum": "reports.models.ReportKind",
        "ReportStatusEnum": "reports.models.ReportStatus",
    },
}

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the tasks run in-process, so a first run needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
from celery.schedules import crontab  # noqa: E402  (kept beside the schedule it serves)

# Periodic jobs, Asia/Bangkok time: the quarterly reports on the first day after each quarter, the due-date
# reminders and escalations every morning, and a sweep that re-queues report builds whose worker died.
CELERY_BEAT_SCHEDULE = {
    "reports-build-quarterly": {
        "task": "reports.tasks.build_quarterly_reports",
        "schedule": crontab(minute=30, hour=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # Reminders before due dates and escalations of late work (escalation app): each notice once per item and level.
    "escalation-send-notices": {"task": "escalation.tasks.send_notices", "schedule": crontab(minute=0, hour=8)},
    "reports-requeue-stale": {"task": "reports.tasks.requeue_stale_reports", "schedule": crontab(minute="*/5")},
}
# An unacknowledged task goes back to the queue this long after its worker vanished (must exceed any time limit);
# workers look for such tasks every interval × throttle seconds (kombu's defaults: 10 × 10).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# Reports: how long a build holds its report between progress updates before another run may take it over,
# how many budget requests a PDF lists one by one (above it the PDF sums them by province; Excel always lists
# all), and a pause between sections that only the worker-crash test sets.
REPORTS_LEASE_SECONDS = env.int("REPORTS_LEASE_SECONDS", default=600)
REPORTS_PDF_DETAIL_LIMIT = env.int("REPORTS_PDF_DETAIL_LIMIT", default=500)
REPORTS_SECTION_DELAY = env.float("REPORTS_SECTION_DELAY", default=0.0)
# Due dates and escalation (escalation app): reminders go out this many days before an item's due date; once late,
# the item climbs one level (representative → province → region → centre) per interval; reviewers (plans, results,
# budget requests) have this many days from the day the work reached them. Links in e-mails start with SITE_URL.
ESCALATION_REMINDER_DAYS = env.list("ESCALATION_REMINDER_DAYS", cast=int, default=[7, 1])
ESCALATION_INTERVAL_DAYS = env.int("ESCALATION_INTERVAL_DAYS", default=7)
ESCALATION_REVIEW_DAYS = env.int("ESCALATION_REVIEW_DAYS", default=14)
# Items listed one by one in an e-mail; the rest are counted, with a link to the person's "my work" page.
ESCALATION_MAIL_ITEMS = env.int("ESCALATION_MAIL_ITEMS", default=50)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Official figures are cached until anything they are made of changes (indicators/freshness.py). The test suite turns
# this off, because its transactions never commit and PostgreSQL changes the token at the commit; the freshness tests
# turn it back on and commit.
INDICATOR_FIGURES_CACHE = env.bool("DJANGO_INDICATOR_FIGURES_CACHE", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp). Everything a page needs comes from this site (no CDN): scripts only from
# our own files (a script that must stay inline takes nonce="{{ request.csp_nonce }}"; today none does, Swagger UI
# loads its start-up script from a URL, see urls.py), no plugins, no framing, forms post only here, images from
# here or data: URIs (Swagger UI's icons).
# Styles allow 'unsafe-inline' on purpose: our <style> blocks and a few style attributes could take nonces, but
# Swagger UI's page, DRF's browsable API and the admin's history page (third-party templates) carry inline styles
# too, and nonces there would mean copies of those templates to keep in step. Inline CSS runs no script, and with
# img-src, font-src and connect-src limited to this site it cannot send anything elsewhere either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Request size: non-file bodies (forms, JSON API writes) up to 2.5 MB; uploads above 2.5 MB spool to a temporary
# file instead of memory; every uploaded file is then checked by codi_plans/uploads.py against the limits below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # a workbook (.xlsx) or a CSV file
UPLOAD_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # a PDF or a photo attached to a result
# A workbook is a zip: refused when its parts unpack to more than this, when a part above a megabyte is compressed
# more than this ratio (real workbooks compress text 5-20 times) or when it has more parts than this.
UPLOAD_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_COMPRESSION_RATIO = 100
UPLOAD_MAX_ZIP_MEMBERS = 1000
