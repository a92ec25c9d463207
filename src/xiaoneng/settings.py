"""Django settings for xiaoneng.

Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: defaults to the SQLite file ``var/xiaoneng.sqlite3``; PostgreSQL in production.
- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica for reads that may be stale.
- ``XIAONENG_VAR``: folder for the SQLite file, the secret key and uploads (default ``./var``).
- ``XIAONENG_SECRET_KEY``, ``XIAONENG_DEBUG``, ``XIAONENG_ALLOWED_HOSTS`` (comma separated).
- Behind an HTTPS proxy: ``XIAONENG_BEHIND_HTTPS_PROXY``, ``XIAONENG_CSRF_TRUSTED_ORIGINS``,
  ``XIAONENG_HSTS_SECONDS``, ``XIAONENG_TRUSTED_PROXIES`` and the rest in docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("XIAONENG_VAR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("XIAONENG_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _listed(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("XIAONENG_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("XIAONENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "xiaoneng.core.login_app.LoginThrottleConfig",  # django-axes (ADR 0014)
    "ninja",  # django-ninja's own Swagger UI files, so /api/v1/docs needs no CDN
    "xiaoneng.core",
    "xiaoneng.org",
    "xiaoneng.org.training",
    "xiaoneng.registry",
    "xiaoneng.planning",
    "xiaoneng.inspections",
    "xiaoneng.cases",
    "xiaoneng.oversight",
    "xiaoneng.timeliness",
    "xiaoneng.keywords",
    "xiaoneng.ads",
    "xiaoneng.ads.governance",
    "xiaoneng.online",
    "xiaoneng.risk",
    "xiaoneng.documents",
    "xiaoneng.reports",
    "xiaoneng.reports.ledger",
    "xiaoneng.reports.assessment",
    "xiaoneng.web",
    "xiaoneng.demo",
    "huey.contrib.djhuey",  # the scheduled jobs (ADR 0017): xiaoneng worker
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xiaoneng.core.audit_context.AuditContextMiddleware",
    "xiaoneng.web.middleware.DomainErrorMiddleware",
    "xiaoneng.core.boundary.ControlCharacterMiddleware",
    # Last, so that it sees the answer of the log-in view and turns a lock-out into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Templates that replace another app's: the admin's header and favicon.
        "DIRS": [PACKAGE_DIR / "web" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xiaoneng.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xiaoneng.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while an import writes; IMMEDIATE avoids lock upgrades.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
# A PostgreSQL streaming replica of the primary (docs/operations.md, "Read replica"): reads that
# may be a little stale — reports, exports, dashboards, the map — go to it (core/routing.py).
# In a test run it mirrors the test database, and the router then reads everything on default.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICA_NAME = DATABASES["replica"]["NAME"]  # a test run's mirror renames it
    DATABASE_ROUTERS = ["xiaoneng.core.routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Officer"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes refuses a locked-out user name or address before the password is checked.
    "xiaoneng.core.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed log-ins per user name within the window before log-in is refused (ADR 0014); an
# address (a whole office behind one NAT) is refused only after LIMIT × ADDRESS_FACTOR.
LOGIN_FAILURE_LIMIT = int(os.environ.get("XIAONENG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FACTOR = int(os.environ.get("XIAONENG_LOGIN_ADDRESS_FACTOR", "10"))
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma separated);
# none by default: the client is REMOTE_ADDR.
TRUSTED_PROXIES = _listed("XIAONENG_TRUSTED_PROXIES")
AXES_ENABLED = True
AXES_HANDLER = "xiaoneng.core.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_RESET_ON_SUCCESS = True
# A refused attempt is not counted: the lock ends a window after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "xiaoneng.core.throttle.username_key"
AXES_CLIENT_IP_CALLABLE = "xiaoneng.core.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "xiaoneng.web.views.locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# The scheduled backup job's folder and how many of its backups it keeps (docs/operations.md).
XIAONENG_BACKUP_DIR = Path(os.environ.get("XIAONENG_BACKUP_DIR", VAR_DIR / "backups"))
XIAONENG_BACKUP_KEEP = int(os.environ.get("XIAONENG_BACKUP_KEEP", "7"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Behind an HTTPS reverse proxy (docs/operations.md). The proxy must set X-Forwarded-Proto
# itself (overwriting what a client sent); only then may Django believe it.
BEHIND_HTTPS_PROXY = os.environ.get("XIAONENG_BEHIND_HTTPS_PROXY", "") == "1"
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins a form may be posted from when they differ from the Host (https://xn.example.gov.cn).
CSRF_TRUSTED_ORIGINS = _listed("XIAONENG_CSRF_TRUSTED_ORIGINS")
_HTTPS_DEFAULT = "1" if BEHIND_HTTPS_PROXY else ""
SESSION_COOKIE_SECURE = os.environ.get("XIAONENG_SECURE_COOKIES", _HTTPS_DEFAULT) == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = os.environ.get("XIAONENG_SSL_REDIRECT", _HTTPS_DEFAULT) == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("XIAONENG_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("XIAONENG_HSTS_INCLUDE_SUBDOMAINS", "") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("XIAONENG_HSTS_PRELOAD", "") == "1"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, ADR 0014): scripts only from the site's own static files
# or an inline block carrying the request's nonce; nothing loaded from another origin.
# Inline styles stay allowed: ECharts and Leaflet write style attributes, and with img-src,
# font-src and connect-src limited to the site a style cannot send anything elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Entities per page on lists and in the API (the API accepts page_size up to the maximum).
PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 500
# New entities must be claimed by their grid officer within this many working days (篇2, 篇7).
CLAIM_DEADLINE_WORKING_DAYS = 3
# Patrol visits an officer can make in a working day when a plan is generated (六定: 定任务).
PATROL_DAILY_CAPACITY = int(os.environ.get("XIAONENG_PATROL_DAILY_CAPACITY", "6"))

# Inspections (issue 4). Photos and documents: the largest file accepted, in bytes.
ATTACHMENT_MAX_BYTES = int(os.environ.get("XIAONENG_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Trace checks (痕迹监控, 篇7 虚假检查): when a signed inspection is flagged for a doubt.
TRACE_CHECKS = {
    # The check-in lies farther than this from the entity's registered position (metres).
    "max_distance_m": float(os.environ.get("XIAONENG_TRACE_MAX_DISTANCE_M", "500")),
    # An on-site visit shorter than this (minutes) is implausible.
    "min_minutes": float(os.environ.get("XIAONENG_TRACE_MIN_MINUTES", "5")),
    # More signed on-site visits by one officer in one day than this is impossible.
    "max_visits_per_day": int(os.environ.get("XIAONENG_TRACE_MAX_VISITS_PER_DAY", "12")),
    # A record signed this many hours after the visit was written from memory.
    "max_delay_hours": float(os.environ.get("XIAONENG_TRACE_MAX_DELAY_HOURS", "72")),
    # This many consecutive records of one officer with every item marked alike, no notes.
    "uniform_run": int(os.environ.get("XIAONENG_TRACE_UNIFORM_RUN", "8")),
    # An offline record synced this many hours after it was captured (docs/offline-sync.md).
    "max_sync_delay_hours": float(os.environ.get("XIAONENG_TRACE_MAX_SYNC_DELAY_HOURS", "72")),
}
# The issuing authority's short name at the head of document numbers (文书编号), e.g.
# 伊市监责改〔2026〕0001号 for a rectification order.
DOCUMENT_NUMBER_PREFIX = os.environ.get("XIAONENG_DOCUMENT_NUMBER_PREFIX", "伊市监")
# The address the public reaches this system at: an issued document's QR code points at
# PUBLIC_BASE_URL/verify/<code>/ (issue 15; docs/documents.md).
PUBLIC_BASE_URL = os.environ.get("XIAONENG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Director spot checks (所长抽查, 篇2): the share of each officer's signed inspections of a
# month put to the director, and at least this many per officer who signed any.
DIRECTOR_REVIEW_RATE = float(os.environ.get("XIAONENG_DIRECTOR_REVIEW_RATE", "0.05"))
DIRECTOR_REVIEW_MINIMUM = int(os.environ.get("XIAONENG_DIRECTOR_REVIEW_MINIMUM", "1"))

# Scheduled jobs (ADR 0017), run by `xiaoneng worker`: huey keeps its queue in a SQLite file
# under XIAONENG_VAR (nothing to install), or in Redis when REDIS_URL is set. The schedule is in
# local time ("utc": False); "immediate" stays off (djhuey would follow DEBUG): tests turn it on.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "xiaoneng",
    "immediate": False,
    "utc": False,
    "consumer": {"workers": 1, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

# The cache is shared between processes (gunicorn's workers, the job worker): Redis when
# REDIS_URL is set, else files under XIAONENG_VAR — never a process's own memory.
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}
