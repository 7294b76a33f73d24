"""Django settings, all read from the environment (see env.py and README)."""

from __future__ import annotations

import warnings
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

from resettle.env import EnvError, env_bool, env_int, env_list, env_str, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
# var/ sits in the working directory the platform is started from (the checkout
# for `make run`), overridable for installed deployments.
VAR_DIR = Path(env_str("RESETTLE_VAR_DIR", str(Path.cwd() / "var"))).resolve()

RESETTLE_ENV = env_str("RESETTLE_ENV", "development")
if RESETTLE_ENV not in {"development", "production", "test"}:
    raise EnvError(f"RESETTLE_ENV must be development, production or test; got {RESETTLE_ENV!r}")
PRODUCTION = RESETTLE_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = secret_key(VAR_DIR, production=PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

_default_db = f"sqlite:///{VAR_DIR / 'resettle.sqlite3'}"
_db_url = env_str("DATABASE_URL", "") or _default_db
if _db_url.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {
        "default": dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as exc:  # dj-database-url names the bad scheme; keep the variable's name too.
    raise EnvError(f"DATABASE_URL cannot be read: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at once. A 20 MB page
    # cache and reads through mmap keep a broad library search (thousands of index
    # look-ups) off read() calls, also on a request's new connection.
    # A write waits at most `timeout` seconds for another writer, then fails as a
    # clean 503 (core/outage.py); `?timeout=N` in DATABASE_URL overrides it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-20000; PRAGMA mmap_size=268435456;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request within seconds, as a clean
    # 503 (core/outage.py), instead of holding a worker until gunicorn kills it.
    # `?connect_timeout=N` in DATABASE_URL overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves /api/v1/docs from its own static files (else from a CDN the CSP refuses)
    "resettle.core",
    "resettle.accounts",
    "resettle.directory",
    "resettle.forums",
    "resettle.needs",
    "resettle.meetings",
    "resettle.registrations",
    "resettle.documents",
    "resettle.records",
    "resettle.governance",
    "resettle.commitments",
    "resettle.pscg",
    "resettle.cases",
    "resettle.allocation",
    "resettle.capacity",
    "resettle.library",
    "resettle.pipeline",
    "resettle.rsf",
    "resettle.demo",
    # Single sign-on through OpenID Connect (accounts/sso.py), used only when
    # RESETTLE_OIDC_SERVER_URL is set; listed always, so that the database schema
    # does not depend on the configuration. Only the OpenID Connect login and
    # callback are routed (accounts/urls_sso.py), none of allauth's own pages.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "resettle.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "resettle.core.denials.DeniedRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "resettle.accounts.middleware.SessionLifetimeMiddleware",
    "resettle.accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Django's password check, behind the login throttle (accounts/throttle.py).
AUTHENTICATION_BACKENDS = ["resettle.accounts.backends.ThrottledModelBackend"]

ROOT_URLCONF = "resettle.urls"
WSGI_APPLICATION = "resettle.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "resettle.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Short dates day first (31/12/2026), not Django's US default for English: resettle/formats/.
FORMAT_MODULE_PATH = ["resettle.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production static files come from the apps through the finders;
# whitenoise's warning about a missing collectstatic folder is noise there.
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at")

# The database cache is shared by every web process and worker, on every
# machine: the gap's roll-ups, computed once (often by the worker right after
# an import, see needs/warming.py), serve everyone. Its table is created by a
# migration (core 0002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "resettle_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=100)},
    },
    # Per process, for what is too large to share well: the grouped figures a
    # roll-up is computed from (megabytes a year at production scale).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 64},
    },
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running task's lease lasts TASK_LEASE_SECONDS, renewed every TASK_HEARTBEAT_SECONDS;
# a task whose worker stopped is run again, up to TASK_MAX_ATTEMPTS attempts in all,
# then marked failed (core/tasks_reliability.py).
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 60, minimum=2)
TASK_HEARTBEAT_SECONDS = env_int("TASK_HEARTBEAT_SECONDS", 10, minimum=1)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3, minimum=1)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (production's default): secure cookies, HSTS, redirect to HTTPS.
HTTPS = env_bool("RESETTLE_HTTPS", default=PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a deliberate, hard-to-undo commitment of the whole domain
        # (hstspreload.org), so it stays opt-in; `check --deploy` need not warn
        # (security.W021) about a choice made on purpose.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # A TLS-terminating proxy in front of gunicorn tells us the original scheme.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Mandates that end within this many days are flagged on forum pages and dashboards.
MANDATE_WARNING_DAYS = env_int("MANDATE_WARNING_DAYS", 60, minimum=1)

# E-mail (invitations, registration decisions, overdue updates, mandates ending):
# printed to the console unless an SMTP server is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Resettle <no-reply@resettle.invalid>")
# Absolute links in e-mails (invitations, reminders) start with this address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Commitments whose last progress update is older than this are overdue.
COMMITMENT_UPDATE_DAYS = env_int("COMMITMENT_UPDATE_DAYS", 180, minimum=1)

# Refugees' personal data in the case pipeline (names, dates of birth, medical
# details) is encrypted at rest with this Fernet key, or several separated by
# commas, newest first, to rotate keys. Without it, a key is derived from
# SECRET_KEY (then changing SECRET_KEY makes that data unreadable).
FIELD_ENCRYPTION_KEY = env_list("FIELD_ENCRYPTION_KEY", [])
for _key in FIELD_ENCRYPTION_KEY:
    try:
        Fernet(_key.encode())
    except ValueError as exc:
        raise EnvError(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), "
            "separated by commas"
        ) from exc
# Exporting personal data needs a password entered within this many minutes.
PIPELINE_REAUTH_MINUTES = env_int("PIPELINE_REAUTH_MINUTES", 15, minimum=1)
# Retention after a case file is closed (departed, rejected, withdrawn): medical
# details, then all personal data, are erased by `resettle retention` (docs/data-protection.md).
RETENTION_MEDICAL_DAYS = env_int("RETENTION_MEDICAL_DAYS", 365, minimum=1)
RETENTION_PERSONAL_DAYS = env_int("RETENTION_PERSONAL_DAYS", 5 * 365, minimum=1)
# The record of denied requests names accounts and addresses: kept this long, then
# deleted by the same daily run (the audit log itself is never deleted).
RETENTION_DENIED_REQUESTS_DAYS = env_int("RETENTION_DENIED_REQUESTS_DAYS", 180, minimum=1)
# The largest document upload, in bytes.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)

# Sign-in security (README, "Sign-in security"). Multi-factor authentication is
# required of these roles (accounts/roles.py STAFF_ROLES by default); under
# RESETTLE_ENV=test it is required of none, since the suite signs staff in
# thousands of times without a phone: the accounts tests turn it on to test it.
RESETTLE_MFA_REQUIRED_ROLES = env_list(
    "RESETTLE_MFA_REQUIRED_ROLES", [] if RESETTLE_ENV == "test" else ["admin", "unhcr", "rsf"]
)
# A session ends after this many minutes without a request, and this many hours after login.
RESETTLE_SESSION_IDLE_MINUTES = env_int("RESETTLE_SESSION_IDLE_MINUTES", 30, minimum=1)
RESETTLE_SESSION_MAX_HOURS = env_int("RESETTLE_SESSION_MAX_HOURS", 12, minimum=1)
# Proxies in front of the server that append to X-Forwarded-For (0: use REMOTE_ADDR);
# the login throttle counts failures per client address.
RESETTLE_PROXY_COUNT = env_int("RESETTLE_PROXY_COUNT", 0, minimum=0)

# Single sign-on through OpenID Connect (README, "Sign-in security"), off unless
# RESETTLE_OIDC_SERVER_URL (the issuer, whose /.well-known/openid-configuration is
# read) is set. Only existing, active accounts can sign in, matched by the verified
# e-mail address the provider gives; nobody signs up through it (accounts/sso.py).
RESETTLE_OIDC_SERVER_URL = env_str("RESETTLE_OIDC_SERVER_URL", "").strip().rstrip("/")
RESETTLE_OIDC_CLIENT_ID = env_str("RESETTLE_OIDC_CLIENT_ID", "").strip()
RESETTLE_OIDC_CLIENT_SECRET = env_str("RESETTLE_OIDC_CLIENT_SECRET", "")
RESETTLE_OIDC_NAME = env_str("RESETTLE_OIDC_NAME", "").strip() or "Single sign-on"
if RESETTLE_OIDC_SERVER_URL:
    if not RESETTLE_OIDC_SERVER_URL.startswith(("https://", "http://")):
        raise EnvError(
            f"RESETTLE_OIDC_SERVER_URL must be an http(s) address; got {RESETTLE_OIDC_SERVER_URL!r}"
        )
    if not RESETTLE_OIDC_CLIENT_ID:
        raise EnvError("RESETTLE_OIDC_CLIENT_ID must be set when RESETTLE_OIDC_SERVER_URL is")
# django-allauth, configured from the settings alone (no SocialApp rows): one
# OpenID Connect app, "sso", or none when single sign-on is off.
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "sso",
                    "name": RESETTLE_OIDC_NAME,
                    "client_id": RESETTLE_OIDC_CLIENT_ID,
                    "secret": RESETTLE_OIDC_CLIENT_SECRET,
                    "settings": {"server_url": RESETTLE_OIDC_SERVER_URL},
                }
            ]
            if RESETTLE_OIDC_SERVER_URL
            else []
        ),
    }
}
ACCOUNT_ADAPTER = "resettle.accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "resettle.accounts.sso.SocialAccountAdapter"
# The provider vouches for the address (its `email_verified` claim, checked in the
# adapter); allauth sends no mail of its own and keeps no access tokens.
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_NOTIFICATIONS = False
