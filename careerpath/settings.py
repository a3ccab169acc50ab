"""Settings for careerpath: one module, every value read from the environment.

See README.md ("Configuration") and .env.example for the variables and their defaults.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from careerpath.inline_script import JS_ENABLED_HASH

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(for local development set DEBUG=true to use a throwaway key)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, whose site asks service administrators for a second factor
    # (accounts/admin_site.py).
    "accounts.apps.CareerpathAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "careerpath",
    "accounts",
    "roles",
    "search",
    "people",
    "proposals",
    "assessments",
    "insights",
    "careers",
]

MIDDLEWARE = [
    # First of all: a kept public page is answered for anonymous visitors before anything else
    # runs, with the headers the rest gave it when it was made (careerpath/public_cache.py).
    "careerpath.public_cache.PublicPageCacheMiddleware",
    # Then a signed-in person's kept pages, for their own session (assessments/personal_pages.py).
    "assessments.personal_pages.PersonalPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "careerpath.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Adds the identity providers' origins to the policy's form-action (single sign-on).
    "accounts.middleware.sso_form_action",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "careerpath.middleware.reject_nul_bytes",
    # Too many sign-in or set-up attempts from one address: 429 before any password hashing.
    "accounts.throttle.rate_limit_attempts",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "careerpath.middleware.absolute_session_lifetime",
    # A signed-in user refused a personal record goes to the security log.
    "accounts.security_events.log_denied_access",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-in attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "careerpath.urls"
WSGI_APPLICATION = "careerpath.wsgi.application"

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
                "careerpath.context_processors.service",
                "people.context_processors.line_management",
                "insights.context_processors.capability_reports",
                "careers.context_processors.career_position",
            ],
            # Dates and times as GOV.UK writes them, in every template and email without a
            # {% load %}: govuk_date, govuk_time, govuk_datetime (careerpath/templatetags).
            "builtins": ["careerpath.templatetags.govuk_dates"],
        },
    },
]

# Forms render with GOV.UK markup (careerpath/forms.py, templates/forms/).
FORM_RENDERER = "careerpath.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: opening one per request costs several times the throughput.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Never hang on a database that does not answer: give up connecting after a few seconds,
    # and stop any one statement that runs too long (bulk loads lift it for themselves).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
            "options": "-c statement_timeout="
            + str(env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30_000)),
        }
    )
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://careerpath")}
# How long a whole public page is kept for anonymous visitors; a publication replaces them all
# at once whatever this says (careerpath/public_cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=3600)
# Public pages each process keeps in its own memory as well (about 10 to 40 KB each).
PUBLIC_PAGES_IN_MEMORY = env.int("PUBLIC_PAGES_IN_MEMORY", default=500)
# A signed-in person's pages, kept in each process's memory (assessments/personal_pages.py): how
# many, and for at most how long.
PERSONAL_PAGES_IN_MEMORY = env.int("PERSONAL_PAGES_IN_MEMORY", default=1000)
PERSONAL_PAGE_SECONDS = env.int("PERSONAL_PAGE_SECONDS", default=300)
# A cache that every process and instance shares (Redis: CACHE_URL=redis://host:6379/0) holds the
# sessions too, backed by the database so that a restarted cache signs nobody out. A
# per-process cache (the `make run` default) cannot: each worker would keep its own copy.
SHARED_CACHE = CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="careerpath@example.gov.uk")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
# Argon2id at a cost OWASP accepts, measured on the service's machine (accounts/hashers.py,
# docs/security.md). The others stay listed so older hashes still verify and are upgraded at
# the next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# ModelBackend, loading the staff record with the account (one query a request, not two); single
# sign-on signs people in with it too.
ACCOUNT_BACKEND = "people.auth.StaffRecordBackend"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses attempts while an account is locked
    ACCOUNT_BACKEND,
]
# Repeated wrong passwords lock that email address out of signing in for a while (django-axes),
# on the service's sign-in page and the admin's alike.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# By account, not by address: guessing one account's password from many addresses is still
# stopped, and rotating user agents or cookies does not help (what axes.W006 worries about).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "accounts.auth.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# On top of that, each client address may make only so many sign-in (service and admin) and
# account set-up attempts a window: (attempts, window in seconds). Counted in the shared cache;
# a successful sign-in does not count. See accounts/throttle.py and docs/security.md.
RATE_LIMITS = {
    "sign_in": (
        env.int("SIGN_IN_RATE_LIMIT", default=30),
        env.int("SIGN_IN_RATE_WINDOW_SECONDS", default=10 * 60),
    ),
    "set_up": (
        env.int("SET_UP_RATE_LIMIT", default=20),
        env.int("SET_UP_RATE_WINDOW_SECONDS", default=10 * 60),
    ),
}
LOGIN_URL = "login"

# Retention (docs/security.md, "Erasure and retention"): `manage.py apply_retention`, run daily,
# erases a leaver's personal data this many days after it first sees them inactive, deletes
# framework history rows and sign-in records (django-axes) older than these, and expired sessions.
RETENTION_LEAVERS_DAYS = env.int("RETENTION_LEAVERS_DAYS", default=365)
RETENTION_HISTORY_DAYS = env.int("RETENTION_HISTORY_DAYS", default=6 * 365)
RETENTION_SIGN_IN_LOG_DAYS = env.int("RETENTION_SIGN_IN_LOG_DAYS", default=90)

# Single sign-on with OpenID Connect, one provider per department (docs/sign-in.md).
# OIDC_PROVIDERS names them; each NAME then has OIDC_<NAME>_... variables (.env.example).
# With none, people sign in with a password as before.
OIDC_PROVIDERS = {}
for _key in env.list("OIDC_PROVIDERS", default=[]):
    _prefix = f"OIDC_{_key.upper()}_"
    OIDC_PROVIDERS[_key.lower()] = {
        "label": env.str(_prefix + "LABEL", default=_key),
        "discovery_url": env.str(_prefix + "DISCOVERY_URL"),
        "client_id": env.str(_prefix + "CLIENT_ID"),
        "client_secret": env.str(_prefix + "CLIENT_SECRET"),
        "scopes": env.str(_prefix + "SCOPES", default="openid email profile"),
        # The claim that says the provider checked the email address (Entra ID: xms_edov).
        "verified_claim": env.str(_prefix + "VERIFIED_CLAIM", default="email_verified"),
    }
# Who a verified email address belongs to is for the staff records (people/), which accounts
# may not import: the callback calls this function by name.
OIDC_ACCOUNT_FOR_EMAIL = "people.sign_in.account_for_verified_email"
# Password sign-in (and the emails that set a password up) can be switched off once single
# sign-on is on. The admin's own sign-in keeps passwords, with a second factor.
PASSWORD_SIGN_IN = env.bool("PASSWORD_SIGN_IN", default=True)
if not PASSWORD_SIGN_IN and not OIDC_PROVIDERS:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN=false needs at least one OIDC provider")
# Service administrators who signed in with a password must enter a time-based code before the
# admin opens (django-otp). On in production; off by default for local development and tests.
ADMIN_SECOND_FACTOR = env.bool("ADMIN_SECOND_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = "Civil Service career pathways"
LOGIN_REDIRECT_URL = "careers:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build is made by `npm run build` (git-ignored); static/ holds our own files.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions end after a period without activity; every request pushes the end back.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# However active someone is, they sign in again after this long (a working day).
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=10 * 60 * 60)
# The inactivity limit is kept by refreshing the session at most once a minute
# (careerpath.middleware.absolute_session_lifetime), not by writing it on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "careerpath.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script runs but GOV.UK's js-enabled line, allowed by its hash (not a per-response
# nonce, so that whole pages can be cached: careerpath/inline_script.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, JS_ENABLED_HASH],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The demo data loader refuses to run with DEBUG off unless this is set.
ALLOW_DEMO_DATA = env.bool("ALLOW_DEMO_DATA", default=False)

FEEDBACK_URL = env.str("FEEDBACK_URL", default="mailto:careerpath-feedback@example.gov.uk")

# The URL namespaces whose 404s and 403s for a signed-in user are refusals of personal records,
# written to the security log (accounts/security_events.py).
SECURITY_LOG_PERSONAL_RECORD_APPS = ["assessments", "careers", "insights", "people"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # accounts.security_log writes whole JSON lines: nothing is added around them.
        "security": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "careerpath.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
