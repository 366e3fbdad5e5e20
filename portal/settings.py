"""Settings for the blinatumomab trials portal, read from the environment.

Production-safe by default: debug is off unless DJANGO_DEBUG=1, and then a secret key and
allowed hosts must be given. Every variable is listed with its meaning in .env.example.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """'1', 'true', 'yes', 'on' are true; '0', 'false', 'no', 'off', '' are false; else fail."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set it to a long random string, or set DJANGO_DEBUG=1 for local development."
        )
    # Only for local development: never used when debug is off.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: its admin classes wrap the admin's own (per-language fields).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "trials",
]

MIDDLEWARE = [
    # First, so that its one log line per request sees the final status, errors included.
    "portal.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Before anything that may answer (WhiteNoise, CommonMiddleware): CORS headers on the API.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Marks the reads of public pages, which may go to a replica (portal/routers.py).
    "portal.routers.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its address (/es/..., /zh-hans/...; English unprefixed): after the
    # session, before CommonMiddleware, whose slash redirects need the language (Django's docs).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The API and the exports: a limit per client address (429), then ETag, Last-Modified,
    # Cache-Control and 304 on every public route (trials/machines/): after the language is known.
    "trials.machines.rate_limit.RateLimitMiddleware",
    "trials.machines.conditional.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inline edits in the admin are recorded with the curator who made them.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username at an address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]


def database(url):
    """One database connection's settings, from its URL."""
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    # A connection kept from an earlier request (or taken from the pool) is checked before it is
    # used again: after the database restarts, the next request reconnects instead of failing on
    # the dead connection.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # A database that does not answer costs a request this long (seconds), not the system's
        # minutes-long TCP timeout: the visitor gets the 503 page quickly.
        options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 2)
        # JIT compiling costs more than it saves on the short queries of web pages (measured in
        # bench/RESULTS.md).
        server_options = ["-c jit=off"]
        # Memory for each sort or hash of a query before it spills to disk. PostgreSQL's 4 MB
        # default sends the grouping of a "near" search at registry scale to disk (bench/RESULTS.md
        # has the sizes); a few workers' worth of this is little memory.
        server_options.append(f"-c work_mem={env_int('DATABASE_WORK_MEM_MB', 32)}MB")
        timeout = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0)
        if timeout:
            # One slow query cannot hold a web worker: PostgreSQL cancels it (portal/wsgi.py sets
            # this for web servers; imports and management commands may run longer).
            server_options.append(f"-c statement_timeout={timeout}")
        options["options"] = " ".join(server_options)
        if env_bool("DATABASE_POOL"):
            # Django's own pool (psycopg_pool): connections shared by the threads of a worker.
            options["pool"] = {
                "min_size": 1,
                "max_size": env_int("DATABASE_POOL_SIZE", 4),
                # Waiting for a free (or any) connection ends with the 503 page, not a hang.
                "timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2),
                # The pool retries a lost database with ever longer waits (1, 2, 4, 8 s...); it
                # gives that up after 5 s, so that once the database is back the next request
                # connects at once instead of waiting out the pool's backoff.
                "reconnect_timeout": 5,
            }
            config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database beside the configured one: `make test` creates and drops it.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        os.environ.get("DATABASE_TEST_NAME") or None
    )
if os.environ.get("DATABASE_REPLICA_URL"):
    # Public pages read from the replica (portal/routers.py); tests read it as the primary.
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.routers.PrimaryReplicaRouter"]

# The place gazetteer's index file, built by `manage.py build_gazetteer` (trials/places/
# gazetteer.py): every process maps it into memory, and the machine keeps one copy of it.
GAZETTEER_INDEX = Path(os.environ.get("GAZETTEER_INDEX") or BASE_DIR / "var" / "gazetteer.idx")

# Where `make backup` (manage.py backup_database) writes its files (README, "Operating").
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")

# Counts and the landing page are cached (trials/cache.py): in Redis, shared by every app
# server, when REDIS_URL is set; in each process's memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Cached pages and counts carry the catalogue's version (trials/cache.py), so a change is seen at
# once by every process that shares the cache. A process-local cache cannot hear of a change made
# in another process (another gunicorn worker), so there its entries live one minute only.
CACHES = {
    "default": {
        # Django's RedisCache, answering from memory while Redis is down (portal/cache.py).
        "BACKEND": "portal.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "TIMEOUT": 60 * 60,
        # A Redis that does not answer costs a request at most this long (seconds).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 60}
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public pages in English (unprefixed), Spanish (/es/) and Simplified Chinese (/zh-hans/),
# each language named in itself for the switcher (README, "Languages"). The admin stays English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Curated text in each language has its own column (trials/translation.py). The public pages read
# a translation only once reviewed (trials/translations.py); a field itself (trial.plain_title)
# reads and writes the active language's column, else English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True
# The switcher's choice, remembered for the next visit to "/" (trials/views.py, home). Like the
# other cookies: over HTTPS only and for this host alone in production.
LANGUAGE_COOKIE_NAME = "language" if DEBUG else "__Host-language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes and WhiteNoise serves from (a release folder, say).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain storage while developing and testing,
        # so that neither needs `collectstatic` first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("DJANGO_PLAIN_STATIC")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# The read-only JSON API (/api/v1/, trials/api/): JSON only, read-only, no sign-in (so no
# session, no CSRF, no user), errors as {"detail": ...}; its OpenAPI document by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Blinatumomab trials API",
    "DESCRIPTION": "Published blinatumomab clinical trials, read-only: the same trials, filters "
    "and order as the portal's list. Information about trials, not medical advice.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # A date's type and the enrollment's type are the registry's same two words: one enum.
    "ENUM_NAME_OVERRIDES": {"ActualOrEstimatedEnum": "trials.vocabularies.DateType"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trials.api.parameters.empty_means_not_given",
    ],
}
# Other sites' pages may read the API from the browser (GET only, no cookies); nothing else of
# the portal is shared across origins.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Results per page of the trial list.
TRIALS_PAGE_SIZE = 20

# Benchmarks only: bench/settings.py turns this on, so that the public pages of a benchmark
# database show its synthetic trials (which can never be published). Deliberately not read from
# the environment: no deployment can turn it on.
PORTAL_SHOW_SYNTHETIC = False

# An open trial whose registry record has not been updated for longer than this (days) says it
# may be out of date and asks families to confirm with the site (README, "How staleness is judged").
REGISTRY_STALE_AFTER_DAYS = env_int("REGISTRY_STALE_AFTER_DAYS", 365)
if REGISTRY_STALE_AFTER_DAYS < 1:
    raise ImproperlyConfigured("REGISTRY_STALE_AFTER_DAYS must be 1 or more")

# The map tiles of the trial page's site map (any XYZ tile server) and the credit they require.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

# "Report a problem with this page": how many reports one client address may send an hour
# (counted in the cache; see trials/feedback.py).
PROBLEM_REPORTS_PER_HOUR = env_int("PROBLEM_REPORTS_PER_HOUR", 5)

# Requests one client address may make to the API and the exports, as "N/period" (second, minute,
# hour or day), counted in the cache (trials/machines/rate_limit.py). "0" or "off": no limit.
RATE_PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


def env_rate(name, default):
    """'120/minute' -> (120, 60); '0' or 'off' -> None; anything else fails loudly."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("0", "off"):
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(second|minute|hour|day)", value)
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f'{name} must look like "120/minute" (or "off"), not {value!r}')
    return int(match.group(1)), RATE_PERIODS[match.group(2)]


API_RATE_LIMIT = env_rate("DJANGO_API_RATE_LIMIT", "120/minute")

# The release of the code (a version or commit): part of every ETag (trials/machines/), so that
# after a deploy no browser keeps a page of the release before.
PORTAL_RELEASE = os.environ.get("PORTAL_RELEASE", "")

# Where `import_trials --fetch/--query` reads live records; tests point it at a local server.
CTGOV_API_URL = os.environ.get("CTGOV_API_URL", "https://clinicaltrials.gov/api/v2").rstrip("/")
CTGOV_TIMEOUT = env_int("CTGOV_TIMEOUT", 30)

# The curators' admin (README, "Curating").
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")
if not re.fullmatch(r"([\w.~-]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(
        f'DJANGO_ADMIN_URL must be a path like "admin/" or "staff/curation/", not {ADMIN_URL!r}'
    )
# Email: only for a curator's forgotten password (README, "Curating"). EMAIL_URL names the server
# in one value (smtp://, smtp+tls:// for STARTTLS, smtps:// for TLS from the start); else
# EMAIL_HOST and its companions. Without either, the admin offers no password reset by email.
EMAIL_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtps": (False, True, 465),
}


def email_server(url):
    """EMAIL_URL -> (host, port, user, password, use_tls, use_ssl), failing loudly when bad."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp+tls://user:password@mail.example.org:587 "
            f"(smtp, smtp+tls or smtps), not {parts.scheme or url[:20]!r}..."
        )
    use_tls, use_ssl, port = EMAIL_SCHEMES[parts.scheme]
    return (
        parts.hostname,
        parts.port or port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        use_tls,
        use_ssl,
    )


if os.environ.get("EMAIL_URL"):
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL = (
        email_server(os.environ["EMAIL_URL"])
    )
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # a dead mail server must not hold a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST and not DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        "DEFAULT_FROM_EMAIL is required when email is configured: the address password-reset "
        "mail comes from, e.g. trials@example.org"
    )
# portal/urls.py adds the admin's "Forgotten your password?" flow only with a mail server.
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_HOST)
# Without a mail server, development prints mail on the console (make run), including alerts.
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Alerts (README, "Alerts"): following a search or a trial by email. Offered where mail can be
# sent and SITE_URL says the site's own address, for the links in emails (send_alerts writes them
# outside any request); in development, mail is printed and the address is the local one.
SITE_URL = (os.environ.get("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
ALERTS_BY_EMAIL = bool(EMAIL_HOST and SITE_URL) or DEBUG
# How long a confirmation link works (days); how many confirmation emails one address may be
# sent a day and one client address may ask for an hour; how many follows one address may keep.
ALERTS_CONFIRM_DAYS = env_int("ALERTS_CONFIRM_DAYS", 7)
ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_DAY = env_int("ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_DAY", 3)
ALERTS_FOLLOWS_PER_CLIENT_PER_HOUR = env_int("ALERTS_FOLLOWS_PER_CLIENT_PER_HOUR", 10)
ALERTS_MAX_FOLLOWS = env_int("ALERTS_MAX_FOLLOWS", 20)
# Delivery: tries before a message is marked failed, and the first wait between tries (doubled
# after each failure).
ALERTS_MAX_ATTEMPTS = env_int("ALERTS_MAX_ATTEMPTS", 5)
ALERTS_RETRY_SECONDS = env_int("ALERTS_RETRY_SECONDS", 300)

# The one sign-in page is the admin's: where "Log in" leads once a new password is set.
LOGIN_URL = "admin:login"

# A curator's session ends after this long without a request, and when the browser closes.
SESSION_COOKIE_AGE = 60 * env_int("DJANGO_SESSION_IDLE_MINUTES", 120)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Failed admin logins, counted per username at an address (so that a stranger elsewhere cannot
# lock a curator out): after LOGIN_SLOW_AFTER failures each try waits LOGIN_SLOW_SECONDS
# (portal/security.py); at AXES_FAILURE_LIMIT the pair is locked out until the cool-off has passed.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 6)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lifts a fixed time after it began: more failures meanwhile do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command
LOGIN_SLOW_AFTER = env_int("DJANGO_LOGIN_SLOW_AFTER", 3)
LOGIN_SLOW_SECONDS = env_int("DJANGO_LOGIN_SLOW_SECONDS", 30)
# How many proxies in front of the portal add to X-Forwarded-For: the client's address is read
# that many entries from the end. 0: the address connecting to the portal is the client's.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
# History: a change reason may quote a long source name.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The trial admin page posts every site of a trial as a form; the largest trials list 700+ sites.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Production hardening; `manage.py check --deploy` verifies these.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# "__Host-" cookies are only accepted over HTTPS, for this host alone and the whole site: no
# subdomain or plain-HTTP page can set or overwrite them. Development runs on plain HTTP.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
# No script of ours reads the CSRF cookie (forms carry the token), so scripts need not see it.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses, refused for the page and anything it embeds
# (portal/middleware.py). "Near me" is a typed place, never the device's location.
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=()"


def tile_origin(url):
    """The scheme and host of an XYZ tile URL template: what the map's images come from."""
    match = re.match(r"(https?://[^/{}]+)/", url)
    if not match:
        raise ImproperlyConfigured(f"MAP_TILE_URL must start with http(s)://host/, not {url!r}")
    return match.group(1)


# Content-Security-Policy (django-csp) on every response: our own files only, no inline script
# and no eval; the map's tiles are the one outside source. Trial pages hold JSON data blocks
# (json_script), which browsers never run as script, so no nonce is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Django's admin writes one inline <style> on a list without actions (a curator may not
        # delete): allowed by its hash alone (tests/deploy checks it against the installed Django).
        "style-src": ["'self'", "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"],
        "img-src": ["'self'", "data:", tile_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# The trials' covering index (trials.Trial.Meta) keeps extra columns on PostgreSQL; SQLite keeps
# its key columns only, which is all it needs at its scale.
SILENCED_SYSTEM_CHECKS.append("models.W040")

# One JSON line per request and per error in production, for a log collector to read; readable
# lines while developing. Errors carry their traceback to the log, never to the visitor.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "portal.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
