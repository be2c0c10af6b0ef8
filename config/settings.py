"""Settings for the campaign office product.

Everything that differs between a laptop and production comes from the
environment. With nothing set, the product runs out of the box: a SQLite file,
a filesystem Celery broker and console e-mail, all under ``var/``.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The fallback key only exists so that `make run` works on a fresh clone;
# production must set SECRET_KEY (README, "Production").
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "import_export",
    "core",
    "audit",
    "accounts",
    "calendars",
    "campaigns",
    "tasks",
    "reports",
    "notifications",
    "dashboards",
    "imports",
    "evaluations",
    "documents",
    "supervision",
    "assessments",
    "setup",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Outside the middleware below, so that the redirects they answer are covered too.
    "accounts.middleware.NoStoreMiddleware",
    # Before the password check, so that a timed-out session ends rather than
    # being held on the password page.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.MethodNotAllowedPageMiddleware",
    "config.middleware.RefusedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.AuditRequestMiddleware",
    # Last, as axes asks: it turns a lockout flagged during the view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "campaigns.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share one SQLite file
    # without "database is locked" errors under normal use.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(exist_ok=True)
elif DATABASES["default"]["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
    # Our queries are short OLTP reads and writes. PostgreSQL's JIT compiled
    # the liaison home's task list for 2.2-2.8 s to save 47-74 ms of work
    # (issue 19): off for our connections, whatever the server's default.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# 等保 (MLPS level 2/3) password rules: at least 10 characters of three of the
# four kinds, nothing like the username, none of the last five (which include
# the initial password an administrator gave). Messages are Chinese
# (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.HistoryValidator", "OPTIONS": {"remembered": 5}},
]
# A password older than this many days must be changed at the next page
# (accounts.middleware); unset or 0: passwords do not expire.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Serve straight from the apps' and project's static folders too, so that
# `make run` needs no collectstatic; production serves the collected,
# hashed files (README, "Production").
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# Uploads live outside the static web root and are only ever handed out by a
# view that checks permission. Several hosts must share MEDIA_ROOT (a network
# volume) or swap in another storage backend here.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# The workbook's scratch files while a worker builds it (reports/exports.py),
# on the worker's own disk; the sweep removes those a killed worker left.
WORKBOOK_SCRATCH_DIR = env.path("WORKBOOK_SCRATCH_DIR", default=VAR_DIR / "workbook-scratch")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
# Largest plan document the importer reads (imports/reading.py).
PLAN_IMPORT_MAX_BYTES = env.int("PLAN_IMPORT_MAX_MB", default=10) * 1024 * 1024
# What the job reading an uploaded plan allows (imports/reading.py, imports/sandbox.py):
# the size a .docx may unpack to, a PDF's pages, the reading child process's
# address space and its wall-clock time.
PLAN_IMPORT_MAX_UNPACKED_BYTES = env.int("PLAN_IMPORT_MAX_UNPACKED_MB", default=100) * 1024 * 1024
PLAN_IMPORT_MAX_PAGES = env.int("PLAN_IMPORT_MAX_PAGES", default=500)
PLAN_IMPORT_MEMORY_BYTES = env.int("PLAN_IMPORT_MEMORY_MB", default=300) * 1024 * 1024
PLAN_IMPORT_TIMEOUT_SECONDS = env.int("PLAN_IMPORT_TIMEOUT_SECONDS", default=60)
# Pasted plan text may be as long as a plan file (PLAN_IMPORT_MAX_BYTES), and
# the preview posts it back signed beside its proposal: Django's own limit on
# a request's fields (2.5 MB by default) sits above both, so that the form's
# Chinese message, not a bare 400 page, meets a text that is too long.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * PLAN_IMPORT_MAX_BYTES
# The report form allows ATTACHMENTS_PER_UPLOAD files with a clear message;
# Django's own limit sits above it so that its bare 400 page is never met.
ATTACHMENTS_PER_UPLOAD = 10
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# A document draft posts a text and an order for each of its up to 500
# blocks (documents.forms.MAX_BLOCKS): above Django's default of 1000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Every signed-in request reads its session: from Redis, with the
    # database behind it, and from the database alone while Redis is away.
    SESSION_ENGINE = "config.sessions"
else:
    # A database cache, not a per-process memory cache, so that web and
    # worker processes agree on rate limits and locks.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_entries"}}

# How long viewers with the same view of a campaign's dashboard share one
# rendering of its figures (dashboards.views.shared_body); 0 adds them up for
# every look.
DASHBOARD_SHARED_SECONDS = env.int("DASHBOARD_SHARED_SECONDS", default=5)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# Only what the URL names: an unset host must not blank Django's defaults.
vars().update({k: v for k, v in EMAIL_CONFIG.items() if v not in (None, "")})
SITE_NAME = "创建活动工作平台"
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
# An intranet language model behind an OpenAI-compatible API (DeepSeek, Qwen
# served by vLLM and the like) that may polish a paragraph of a document
# draft (documents/polish.py). Unset: no 润色 button anywhere. LLM_URL is the
# base ending in /v1; LLM_MODEL the name the server serves. The call runs in
# the web request, so a web worker waits up to LLM_TIMEOUT seconds.
LLM_URL = env.str("LLM_URL", default="").rstrip("/")
LLM_MODEL = env.str("LLM_MODEL", default="deepseek-chat")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=60)
# The office may chase (催报) one unit once in this window, so that a unit is
# not flooded when several colleagues press the button.
CHASE_INTERVAL_SECONDS = int(env.float("CHASE_INTERVAL_HOURS", default=4) * 3600)
# Office staff may take back their own accept or return (撤销审核), one by one
# or a whole bulk action, within this many hours.
REVIEW_UNDO_HOURS = env.float("REVIEW_UNDO_HOURS", default=24)
# Links in e-mails and robot messages point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="领导小组办公室 <office@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Restoring an old version from the admin's history page would bypass the
# review workflow (a report's status, its version counter): history is read-only.
SIMPLE_HISTORY_REVERT_DISABLED = True
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# Units and people imported from a sheet in the admin (django-import-export):
# the whole sheet or nothing, in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A reset link in a mailbox is a key to the account: one working day, not Django's three.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Repeated failed sign-ins lock the account, and many from one address lock
# that address (django-axes, accounts/lockout.py). The attempts live in the
# database, so every web process and host sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# A whole office signs in from one government-network address, so the address
# gets three accounts' worth of typos; someone trying passwords on many
# accounts from it is stopped there.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=3 * AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.5)  # hours
# Counted by account and by client address apart (not by the pair): the
# handler applies each its own limit.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address as core.http.client_address reads it (for the sign-in
# log and the audit trail too): the connection's, or the one a trusted proxy
# put in TRUSTED_PROXY_HEADER.
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
AXES_RESET_ON_SUCCESS = True
# The wait stays the one the lockout page announces; a retry (even with the
# right password) does not start it again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The audit trail (audit/) is kept at least 180 days: `purge_audit` deletes only
# older records, and PostgreSQL's trigger refuses any other deletion.
AUDIT_RETENTION_DAYS = max(env.int("AUDIT_RETENTION_DAYS", default=365), 180)
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号已被暂时锁定，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已被锁定，请联系系统管理员解锁。"
# Axes' own admin pages speak English only; the user list in the admin shows
# who is locked out and lifts it (accounts.admin).
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Sign-ins, failures and sign-outs are kept in accounts.SignInEvent instead.
AXES_DISABLE_ACCESS_LOG = True
# The sign-in log (accounts.SignInEvent) is kept this many days, never fewer
# than 180 (等保); `manage.py prune_sign_in_log` and beat delete what is older.
SIGN_IN_LOG_RETENTION_DAYS = env.int("SIGN_IN_LOG_RETENTION_DAYS", default=180)
if SIGN_IN_LOG_RETENTION_DAYS < 180:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SIGN_IN_LOG_RETENTION_DAYS must be at least 180 (days).")

# A signed-in session ends after SESSION_IDLE_TIMEOUT minutes without a
# request, and SESSION_ABSOLUTE_TIMEOUT hours after signing in, whatever
# happens (accounts.middleware.SessionTimeoutMiddleware); the cookie itself
# goes when the browser closes, since many desks share a computer.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30) * 60
SESSION_ABSOLUTE_TIMEOUT = int(env.float("SESSION_ABSOLUTE_TIMEOUT", default=12) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport,
# a real broker that a worker and beat in other processes can share without
# any server, with each message written whole before a worker can read it
# (config/broker.py).
CELERY_BROKER_URL = REDIS_URL or "embeddedfs://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
if not REDIS_URL:
    for folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
        if isinstance(folder, str):
            Path(folder).mkdir(parents=True, exist_ok=True)
# Jobs record their own outcome in the database (a workbook row, a delivery
# record), so no result backend is needed.
# A publish from a web request must fail fast when Redis is down: the job
# waits in the outbox (core.outbox) and the relay sends it later, so there
# is nothing to gain from holding the user's request while kombu retries.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "max_retries": 1,
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# With acks_late, a job whose worker process was killed (OOM, a deploy) is
# given back to the broker and delivered again instead of being dropped.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = not DEBUG and env.bool("HTTPS", default=False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A year, subdomains included. The preload token only consents to the
    # browsers' preload list: nothing changes unless someone submits the domain
    # at hstspreload.org (README, "Production"); SECURE_HSTS_PRELOAD=false
    # drops it, and `check --deploy` then warns (security.W021).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Every script, style, image and font comes from the site itself
# (static/vendor), so the policy allows nothing else: no inline script, no
# inline style attribute (the dashboard's chart tooltips are drawn on the
# canvas for that reason, static/js/dashboard.js), no framing. img-src
# data: because Bootstrap's stylesheet draws its select arrows, check marks
# and menu icon as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # 404, 403 and refused steps in one line each, without a traceback (core/logging.py).
    "filters": {"refused": {"()": "core.logging.RefusedWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refused"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
