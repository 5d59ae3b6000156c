"""One settings file, driven by environment variables.

TWINTRACK_DATABASE_URL  sqlite:///ABSOLUTE/PATH.sqlite3 or postgresql://user@host:port/dbname
                        (unset: ./var/twintrack.sqlite3 in the working directory)
TWINTRACK_SECRET_KEY    the signing key; unset, a random key made on first run in var/secret_key (0600)
TWINTRACK_DEBUG         1 for development
TWINTRACK_ALLOWED_HOSTS comma-separated
TWINTRACK_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS, _SSL, _FROM   SMTP for notices (README "Notices")
TWINTRACK_BASE_URL      the site's address, for links in e-mail and messenger notices
TWINTRACK_SQLITE_TIMEOUT seconds an SQLite writer waits for another's lock before "database busy" (30)
TWINTRACK_API_RATE      HTTP API requests a minute per token before 429 (600)
"""
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TWINTRACK_VAR_DIR", Path.cwd() / "var"))


# WAL lets readers go on while one writer writes; synchronous=NORMAL is durable with WAL
# except for the last transactions before a power cut (never a corrupt file).
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def sqlite_database(path: str) -> dict:
    """SQLite that queues writers: IMMEDIATE transactions take the write lock when they begin
    (a deferred one that read first cannot wait for it and fails at once), and a writer waits
    up to TWINTRACK_SQLITE_TIMEOUT seconds for the lock before the command says "database busy"."""
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": SQLITE_PRAGMAS,
                        "timeout": float(os.environ.get("TWINTRACK_SQLITE_TIMEOUT") or 30)}}


def database_from_url(url: str | None) -> dict:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return sqlite_database(str(VAR_DIR / "twintrack.sqlite3"))
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path in ("", "/:memory:"):
            path = ":memory:"
        return sqlite_database(path)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/") or "twintrack",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": 60,
            # No JIT: it compiles any statement whose estimated cost passes jit_above_cost, and a
            # temporary staging table has no statistics, so a one-row save paid about 200 ms of
            # compilation (18 ms without); the large reads gain nothing measurable from it.
            # No parallel workers: web requests and jobs share the cores, and a parallel plan
            # takes them from the other requests; with a hash join, every worker also builds the
            # whole hash (a district's quality findings under load: 813 ms on 3 processes, 2 s of
            # CPU, against 700 ms on one). A file of many rows asks for them (sql.parallel_workers).
            "OPTIONS": {"options": "-c jit=off -c max_parallel_workers_per_gather=0"},
        }
    raise ImproperlyConfigured(f"TWINTRACK_DATABASE_URL: unsupported scheme {parsed.scheme!r}")


def install_secret_key(var_dir: Path) -> str:
    """This install's own random key, made on first run in `var_dir/secret_key` (mode 0600).

    Used when TWINTRACK_SECRET_KEY is not set, so that `make run` needs no configuration and
    no two installs share a key; several app servers of one install share it by setting the
    variable (or the file) themselves.
    """
    path = var_dir / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    import secrets

    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


DEBUG = os.environ.get("TWINTRACK_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("TWINTRACK_SECRET_KEY") or install_secret_key(VAR_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("TWINTRACK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "twintrack.documents",  # templates of the document renderers (no models)
    "twintrack.orgs",
    "twintrack.notify",
    "twintrack.jobs",
    "twintrack.enterprises",
    "twintrack.programme",
    "twintrack.metrics",
    "twintrack.imports",
    "twintrack.energy",
    "twintrack.quality",
    "twintrack.reports",
    "twintrack.approvals",
    "twintrack.diagnosis",
    "twintrack.supervision",
    "twintrack.web",
    "twintrack.api",
    "twintrack.field",
    "ninja",  # serves the API docs' scripts from the static files (no CDN, no inline code)
    "twintrack.operations",
    "twintrack.demo",
]

# What apps above metrics add to the rollups (programme.contributions.contributors), in this order:
# a lower layer is told which higher-layer functions to call, not handed them at start-up.
TWINTRACK_ROLLUP_CONTRIBUTORS = ["twintrack.energy.services.line_contributions"]
# What the apps below metrics call to keep the rollups and the data version exact in their own
# transaction (twintrack.hooks): named here, so that they import nothing above them.
TWINTRACK_WRITE_HOOKS = {
    "bump_data_version": "twintrack.metrics.version.bump",
    "apply_rollup_deltas": "twintrack.metrics.rollups.apply_deltas",
    "rebuild_rollups": "twintrack.metrics.rollups.rebuild_rollups",
    "contributions_move": "twintrack.programme.contributions.ContributionsMove",
}

# The units of the top bar on every page (the work queue), which a cached page depends on
# besides what its body shows (twintrack.metrics.pages.depends_on).
TWINTRACK_PAGE_UNITS = "twintrack.web.workqueue.queue_units"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "twintrack.web.pagecache.PageCacheMiddleware",  # before anything that loads the session or user
    "twintrack.web.security.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "twintrack.api.limits.ApiUploadLimitMiddleware",  # the API answers a problem document
    "twintrack.web.security.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "twintrack.web.security.UserLanguageMiddleware",
    "twintrack.web.security.PasswordChangeRequiredMiddleware",
    "twintrack.web.security.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twintrack.urls"
WSGI_APPLICATION = "twintrack.wsgi.application"

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
                "twintrack.web.context_processors.menu",
                "twintrack.notify.context_processors.unread_notices",
            ],
        },
    },
]

# Background jobs (twintrack/jobs): django-tasks with its database backend; `twintrack worker`
# runs them (`twintrack serve` starts one). A job whose worker is gone is failed: on this
# machine when its process no longer exists, elsewhere when it has not been seen for this long.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TWINTRACK_WORKER_STALE_SECONDS = int(os.environ.get("TWINTRACK_WORKER_STALE_SECONDS", "300"))

DATABASES = {"default": database_from_url(os.environ.get("TWINTRACK_DATABASE_URL"))}
# Per-process memory by default; set TWINTRACK_CACHE_URL (redis://...) to share one cache
# between workers. Entries are keyed by the data version, so neither can serve stale figures.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["TWINTRACK_CACHE_URL"]}
        if os.environ.get("TWINTRACK_CACHE_URL") else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # argon2-cffi; older PBKDF2 hashes upgrade at login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: refuses a locked-out username/address first
    "twintrack.orgs.backends.MembershipBackend",  # ModelBackend, loading the membership with the user
]
AXES_FAILURE_LIMIT = int(os.environ.get("TWINTRACK_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TWINTRACK_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one address guessing one account; others can still log in
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "twintrack.web.security.lockout_response"  # web/locked_out.html, 429
# The client's address behind N trusted reverse proxies (web.security.client_address): the
# N-th address from the right of X-Forwarded-For; REMOTE_ADDR when N is 0 (no proxy).
TWINTRACK_PROXY_COUNT = int(os.environ.get("TWINTRACK_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "twintrack.web.security.client_address"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"  # uploaded attachments; served only through views that check access
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("TWINTRACK_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Web security (issue 3). Sessions end after an idle hour or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("TWINTRACK_SESSION_IDLE_MINUTES", "60")) * 60
# The idle clock restarts on activity: web.security.SessionIdleMiddleware saves the session
# at most once a minute, not on every request (a write per page view costs more than the page).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "twintrack.web.sessions"  # Django's database sessions; the idle clock in the expiry alone
TWINTRACK_SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the chosen language sticks (and is kept on the account)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = int(os.environ.get("TWINTRACK_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("TWINTRACK_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("TWINTRACK_HSTS_PRELOAD", "0") == "1"
SECURE_SSL_REDIRECT = os.environ.get("TWINTRACK_SSL_REDIRECT", "0") == "1"
if os.environ.get("TWINTRACK_BEHIND_TLS_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TWINTRACK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
TWINTRACK_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                 "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Upload limits, all checked by twintrack.filecheck.check_upload: import files (and framework
# JSON), supervision attachments, diagnosis reports.
# The HTTP API: requests a minute per token before 429 (counted in the cache: per process
# unless TWINTRACK_CACHE_URL names a shared one).
TWINTRACK_API_RATE = int(os.environ.get("TWINTRACK_API_RATE", "600"))
TWINTRACK_MAX_UPLOAD_BYTES = int(os.environ.get("TWINTRACK_MAX_UPLOAD_MB", "20")) * 1024 * 1024
TWINTRACK_MAX_ATTACHMENT_BYTES = int(os.environ.get("TWINTRACK_MAX_ATTACHMENT_MB", "10")) * 1024 * 1024
TWINTRACK_MAX_REPORT_BYTES = int(os.environ.get("TWINTRACK_MAX_REPORT_MB", "20")) * 1024 * 1024
# What an uploaded XLSX/DOCX may unpack to in all (twintrack/filecheck.py checks it before parsing).
TWINTRACK_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("TWINTRACK_MAX_UNCOMPRESSED_MB", "512")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# Enterprises a service provider reaches by assignment (twintrack.orgs.access): the diagnosis
# app's hook, named here so that the layers below it import nothing of it.
TWINTRACK_ASSIGNED_ENTERPRISES = ["twintrack.diagnosis.services.assigned_enterprise_ids"]

# Notices (twintrack/notify): e-mail through Django's SMTP backend, links to this site.
# Without TWINTRACK_EMAIL_HOST, e-mails are written as files to var/mail (the demo, a laptop).
if not os.environ.get("TWINTRACK_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("TWINTRACK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TWINTRACK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TWINTRACK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TWINTRACK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TWINTRACK_EMAIL_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("TWINTRACK_EMAIL_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("TWINTRACK_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("TWINTRACK_EMAIL_FROM", "twintrack@localhost")
TWINTRACK_BASE_URL = os.environ.get("TWINTRACK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
TWINTRACK_NOTICE_ATTEMPTS = int(os.environ.get("TWINTRACK_NOTICE_ATTEMPTS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
