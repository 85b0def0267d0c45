"""Tadamun settings, read from the environment (README.md lists every variable).

Defaults suit the one-command demo: SQLite in WAL mode, an in-process cache, the database
task queue and a file mailbox under var/. Production sets DATABASE_URL, REDIS_URL and EMAIL_URL.
Nothing here writes files or opens connections at import time.

The settings are grouped by concern, each group under a `# --- ` heading: core Django,
security, database and cache, the vault and keys, mail, tasks and workers, forms, each app's
knobs, observability. A new setting goes in its concern's group, assigned once.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tadamun.core import countries

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("TADAMUN_VAR_DIR", default=str(BASE_DIR / "var")))

# `make demo` and `make test` keep generated secrets in var/secrets.env (ignored by git).
# Values already in the environment win over the file.
if (VAR_DIR / "secrets.env").exists():
    environ.Env.read_env(VAR_DIR / "secrets.env")


# --- Core Django: the project, its apps, pages, languages and static files -----------------------
DEBUG = env.bool("DEBUG", default=False)
# `make demo` turns this on: the demo's mailbox page (/en/demo/mail/) lists the mail in
# var/mail/. Never on in production (`check --deploy` refuses it).
DEMO = env.bool("DEMO", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. `make demo` generates one in var/secrets.env; "
        "in production set it in the environment."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The public address of the site, used in emails and feeds ("https://tadamun.example").
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "tadamun.staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",  # sitemap.xml (tadamun/core/sitemaps.py)
    "django_countries",
    "django_otp",
    # The libraries' apps of the back office, named in the project's catalogues.
    "tadamun.staff.apps.AuthenticatorsConfig",  # django_otp.plugins.otp_totp
    "tadamun.staff.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "tadamun.staff.apps.AuditTrailConfig",  # auditlog
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command is ours (back-off, heartbeats, recovery).
    "tadamun.health",
    "tadamun.staff.apps.BackgroundTasksConfig",  # django_tasks_db
    "tadamun.core",
    "tadamun.operations",
    "tadamun.staff",
    "tadamun.vault",
    "tadamun.places",
    "tadamun.coalition",
    "tadamun.publications",
    "tadamun.supporters",
    "tadamun.petitions",
    "tadamun.questions",
    "tadamun.events",
    "tadamun.aid",
    "tadamun.watch",
    "tadamun.letters",
    "tadamun.mailings",
    "tadamun.rebuttals",
    "tadamun.front",  # the home and campaign pages, gathering the apps above
    "tadamun.api",
    "ninja",  # serves the API docs' scripts from this host, not a CDN
    "corsheaders",
    "tadamun.demo",
]

MIDDLEWARE = [
    "tadamun.core.middleware.PlainHttpOnion",  # an http onion service is not sent to https
    "django.middleware.security.SecurityMiddleware",
    "tadamun.core.middleware.ContentLengthCheck",  # before anything reads a body
    "tadamun.core.unavailable.DatabaseUnavailable",  # the database down: a 503, not a 500
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow networks (a day of action lists hundreds of cities); Django's
    # GZipMiddleware pads its output against BREACH. WhiteNoise compresses static files.
    "django.middleware.gzip.GZipMiddleware",
    "tadamun.api.middleware.ApiCaching",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second step
    "auditlog.middleware.AuditlogMiddleware",  # the staff member behind each audited change
    "django.contrib.messages.middleware.MessageMiddleware",
    "tadamun.vault.middleware.LockedPage",  # personal data while locked: a page, not a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tadamun.core.middleware.OnionLocation",
]

# Forms draw their common widgets and labels in Python (the same markup as Django's templates,
# tested over every widget the site declares): action pages draw a form on every view.
FORM_RENDERER = "tadamun.core.forms.PythonWidgets"

ROOT_URLCONF = "tadamun.urls"
WSGI_APPLICATION = "tadamun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tadamun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tadamun.core.context_processors.site",
            ],
        },
    },
]

# Languages: every page lives under a language prefix (/en/, /ar/, ...).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [BASE_DIR / "tadamun" / "locale"]
# Country names from CLDR in the reader's language (tadamun/core/countries.py).
COUNTRIES_OVERRIDE = countries.overrides()
USE_I18N = True
FORMAT_MODULE_PATH = ["tadamun.formats"]  # fills the gaps in Django's Arabic formats
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tadamun" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))


# --- Security: proxies, headers, cookies, request limits, outgoing requests, staff ---------------
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Security headers. HSTS is only ever sent on HTTPS responses (SecurityMiddleware does that).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The preload directive alone lists nothing: the site is submitted to browsers' lists by hand.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Plain http is redirected to https unless DEBUG or SECURE_SSL_REDIRECT=0 (`make demo`, which
# serves http on 127.0.0.1). Behind a proxy, BEHIND_HTTPS_PROXY makes its X-Forwarded-Proto
# count. The load balancer's health check may ask over plain http.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# Request limits: huge bodies are refused before a view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Requests the server makes (webhooks) go to public https addresses only
# (tadamun.core.outgoing); plain http only when this is on, for development.
OUTGOING_ALLOW_HTTP = env.bool("OUTGOING_ALLOW_HTTP", default=False)
# For tests only, which run their partners' servers on 127.0.0.1: never from the environment.
OUTGOING_ALLOW_LOOPBACK = False

# Whom to tell about a vulnerability (/.well-known/security.txt), and the onion service's
# address (http://….onion) when there is one (the Onion-Location header).
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="mailto:security@localhost")
ONION_ADDRESS = env.str("ONION_ADDRESS", default="")

# Staff passwords hashed with Argon2; older hashes are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Staff log in with a password and then a code (tadamun.staff). After this many wrong
# passwords or codes for one username in the window, the account is locked for the window.
STAFF_LOGIN_FAILURES = "5/15m"
# Days a new staff account (or one whose authenticator was removed) has to set up its
# authenticator; after that a password alone no longer can (tadamun.staff.enrolment).
STAFF_ENROLMENT_DAYS = env.int("STAFF_ENROLMENT_DAYS", default=7)
OTP_TOTP_ISSUER = "Tadamun"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The audit trail (tadamun.core.audit) names the staff member, never an IP address.
AUDITLOG_DISABLE_REMOTE_ADDR = True


# --- Database and cache --------------------------------------------------------------------------
# Database: SQLite in WAL mode by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'tadamun.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue up on the busy
        # timeout instead of failing with "database is locked" when a read turns into a write.
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
# Connections kept for a minute, on SQLite too: a new SQLite connection reads the schema and
# runs the pragmas above (about 1 ms, a third of an action page drawn from scratch). Health
# checks (a `SELECT 1` before a kept connection is reused) are PostgreSQL's: Django counts a
# SQLite connection always usable, so a SQLite file is never replaced under running
# processes (docs/operations.md).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Served from each process's memory while Redis is down (tadamun.core.cache).
            "BACKEND": "tadamun.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tadamun"),
            # A Redis that stopped answering costs a request at most this long, once per process.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# --- The vault and the keys ----------------------------------------------------------------------
# The personal-data keys (docs/security.md, "The vault"). Sealed (VAULT_MODE "agent"), they
# exist on disk only wrapped under the keyholders' secret (`manage.py vault_init`) and in memory
# only in the machine's key-holding agent (`manage.py vault_agent`, on VAULT_SOCKET). An
# installation not yet sealed keeps them here ("settings"): HASH_KEY for the keyed hashes that
# find a supporter by email, FIELD_ENCRYPTION_KEYS (Fernet, newest first) for data at rest.
HASH_KEY = env.str("HASH_KEY", default="")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
VAULT_MODE = env.str("VAULT_MODE", default="settings" if FIELD_ENCRYPTION_KEYS else "agent")
if VAULT_MODE not in ("agent", "memory", "settings"):
    raise ImproperlyConfigured("VAULT_MODE is one of agent, memory, settings.")
if VAULT_MODE == "settings" and not (HASH_KEY and FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS and HASH_KEY are not set. `make demo` generates them in "
        "var/secrets.env; see docs/security.md for sealing them in the vault."
    )
VAULT_SOCKET = env.str("VAULT_SOCKET", default=str(VAR_DIR / "vault.sock"))
# How long an app server or worker keeps the keys it got from the agent: "lock now" reaches
# every process within this many seconds.
VAULT_CACHE_SECONDS = env.float("VAULT_CACHE_SECONDS", default=3.0)
# How often each machine's agent looks at the database for a "lock now" given on another
# machine (tadamun/vault/everywhere.py): every machine is locked within this plus the above.
VAULT_LOCK_POLL_SECONDS = env.float("VAULT_LOCK_POLL_SECONDS", default=2.0)
# Argon2id's cost for the key that wraps the keys (stored with them: a change applies to the
# next `vault_init`). 64 MiB, 3 passes: about a quarter of a second.
VAULT_ARGON2_TIME_COST = env.int("VAULT_ARGON2_TIME_COST", default=3)
VAULT_ARGON2_MEMORY_KIB = env.int("VAULT_ARGON2_MEMORY_KIB", default=65536)
# Encrypts `manage.py backup` files (docs/operations.md); only backups need it.
BACKUP_KEY = env.str("BACKUP_KEY", default="")


# --- Mail: the mail server, the outbox of emails with a link -------------------------------------
# Email: a file mailbox under var/mail by default so the demo's mail can be read.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# Emails with a link (core.outbox): messages per batch (one SMTP connection), seconds before
# a dead worker's claim returns to the queue, before sent rows are deleted, before /healthz
# says links are stalled, and between two wake-ups of a worker.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_CLAIM_TIMEOUT = env.int("OUTBOX_CLAIM_TIMEOUT", default=120)
OUTBOX_KEEP_SECONDS = env.int("OUTBOX_KEEP_SECONDS", default=24 * 3600)
OUTBOX_STALL_SECONDS = env.int("OUTBOX_STALL_SECONDS", default=300)
OUTBOX_KICK_SECONDS = env.int("OUTBOX_KICK_SECONDS", default=1)


# --- Tasks and workers: the queue, heartbeats, the scheduler's periodic tasks --------------------
# Background work goes through the Django tasks API; the database backend needs no extra server.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
RQ_BACKEND = "django_tasks_rq.RQBackend"
if TASKS["default"]["BACKEND"] == RQ_BACKEND:
    # The queue on Redis (docs/scale.md): workers run `manage.py rqworker default` (its job
    # class, tadamun.health.rq.VaultJob, is django_tasks_rq's waiting while the vault is
    # locked); the scheduler is the same as with the database queue.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": env.str("RQ_URL", default=REDIS_URL), "DEFAULT_TIMEOUT": 3600}}
# Workers draining one queue's backlog side by side at most (tadamun/core/fanout.py).
QUEUE_DRAINERS = env.int("QUEUE_DRAINERS", default=4)
# Finished tasks' rows in the database queue are deleted after this (failed ones after a week).
TASK_RESULTS_KEEP_SECONDS = env.int("TASK_RESULTS_KEEP_SECONDS", default=3600)

# Workers and the scheduler write a heartbeat this often; a worker silent for
# WORKER_SILENT_SECONDS is taken for dead: /healthz says so and its running task is queued
# again (tadamun.health.recovery).
HEARTBEAT_SECONDS = env.float("HEARTBEAT_SECONDS", default=10)
WORKER_SILENT_SECONDS = env.float("WORKER_SILENT_SECONDS", default=60)

# Periodic tasks (`manage.py scheduler` enqueues them): dotted path -> every N seconds.
PERIODIC_TASKS = {
    "tadamun.petitions.tasks.process_intake": 10,
    "tadamun.core.intake.record_sealed": 10,  # forms sent while the vault was locked
    "tadamun.petitions.tasks.reconcile_counters": 3600,
    "tadamun.petitions.tasks.forget_networks": 6 * 3600,
    "tadamun.events.tasks.send_reminders": 3600,
    "tadamun.letters.tasks.deliver_letters": 60,
    "tadamun.letters.tasks.reconcile_counters": 3600,
    "tadamun.mailings.tasks.kick_mailings": 60,
    "tadamun.supporters.tasks.forget_unconfirmed": 24 * 3600,
    "tadamun.core.outbox.reconcile_outbox": 10,
    "tadamun.core.tasks.forget_finished_tasks": 600,
}


# --- Forms: the limit on mail to typed addresses, proof of work, emailed links -------------------
# The limit on mail to typed addresses (tadamun.core.limits): for each form or API route that
# makes the site email an address someone typed, the mails one address may be sent through it,
# and the requests one network (the day's hash of the IP address) may send before the form asks
# for a proof of work (the API refuses instead). FORM_RATES (JSON) overrides any of them, e.g.
# FORM_RATES='{"sign": {"address": "3/h", "network": "100/h"}}'.
FORM_RATES = {
    "sign": {"address": "5/h", "network": "30/h"},
    "endorse": {"address": "5/h", "network": "20/h"},
    "my-data": {"address": "3/h", "network": "20/h"},
    "rsvp": {"address": "10/h", "network": "30/h"},
    "letter": {"address": "5/h", "network": "30/h"},
    "propose-event": {"address": "5/h", "network": "10/h"},
    "manage-link": {"address": "3/h", "network": "20/h"},
    # Partners' servers sync many people: a wider rate, counted per token, not per network.
    "osdi-person": {"address": "5/h", "network": "300/h"},
    "osdi-signature": {"address": "5/h", "network": "300/h"},
    "osdi-attendance": {"address": "10/h", "network": "300/h"},
    "osdi-outreach": {"address": "5/h", "network": "300/h"},
}
for _form, _rates in env.json("FORM_RATES", default={}).items():
    FORM_RATES[_form] = {**FORM_RATES.get(_form, {}), **_rates}
# Mails one address may be sent through all those forms together in an hour.
MAIL_PER_ADDRESS_RATE = env.str("MAIL_PER_ADDRESS_RATE", default="20/h")
POW_DIFFICULTY = env.int("POW_DIFFICULTY", default=16)
POW_WAIT_SECONDS = env.int("POW_WAIT_SECONDS", default=20)
# A busy network's challenges grow dearer (core.pow), up to these bounds.
POW_MAX_DIFFICULTY = env.int("POW_MAX_DIFFICULTY", default=20)
POW_MAX_WAIT_SECONDS = env.int("POW_MAX_WAIT_SECONDS", default=120)
# The in-process cache is per process: fine for the single-process demo, and django-ratelimit
# is told so. With REDIS_URL the limits are shared by every app server.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
CONFIRMATION_LINK_MAX_AGE = env.int("CONFIRMATION_LINK_MAX_AGE", default=7 * 24 * 3600)


# --- Each app's knobs ----------------------------------------------------------------------------
# [api]
# The read-only API may be read from any site's scripts (it holds public data only).
CORS_URLS_REGEX = r"^/api/(?!osdi/).*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=60)
# Requests one partner token may make (OSDI), counted in the cache.
OSDI_RATE = env.str("OSDI_RATE", default="600/m")

# [petitions]
PETITION_PAGE_CACHE_SECONDS = env.int("PETITION_PAGE_CACHE_SECONDS", default=10)
# A signature is first kept sealed, then recorded by a worker, woken at most this often.
INTAKE_KICK_SECONDS = env.int("INTAKE_KICK_SECONDS", default=2)
# /healthz names the intake "stalled" when its oldest submission waited longer than this.
INTAKE_STALL_SECONDS = env.int("INTAKE_STALL_SECONDS", default=120)

# [events]
# An organiser's link works this long; they can ask for a new one on the event's page.
ORGANISER_LINK_MAX_AGE = 365 * 24 * 3600
# The day-of-action and finder pages with nothing searched are kept this long.
EVENTS_PAGE_CACHE_SECONDS = env.int("EVENTS_PAGE_CACHE_SECONDS", default=30)
# Above this many events, a day-of-action page lists cities (with counts), not every event.
EVENTS_LISTED_AT_ONCE = 100
# How many emails an organiser may send to their attendees in 24 hours.
ORGANISER_MESSAGES_PER_DAY = 3

# [letters]
# Letters the platform sends to one official in a day (UTC); the rest wait for the next day,
# so officials' mail servers are not flooded and do not start refusing the platform's mail.
LETTERS_PER_TARGET_PER_DAY = env.int("LETTERS_PER_TARGET_PER_DAY", default=200)

# [mailings]
# Mailings: messages per second across all workers (shared through Redis when configured),
# copies a worker claims at once, how many workers a mailing gets, and after how long a copy
# claimed by a worker that died goes back to the queue.
MAILING_RATE_PER_SECOND = env.int("MAILING_RATE_PER_SECOND", default=50)
MAILING_BATCH_SIZE = env.int("MAILING_BATCH_SIZE", default=100)
MAILING_PARALLEL_TASKS = env.int("MAILING_PARALLEL_TASKS", default=2)
MAILING_CLAIM_TIMEOUT = env.int("MAILING_CLAIM_TIMEOUT", default=300)
# Count how often each link of a mailing is followed, through a first-party redirect: a total
# per link and language, never per person (mailings.clicks). Off unless the coalition says so;
# the emails and the "Your data" page say it when on.
MAILING_COUNT_CLICKS = env.bool("MAILING_COUNT_CLICKS", default=False)
# The mail provider signs its bounce and complaint reports with this (HMAC-SHA256).
MAILING_WEBHOOK_SECRET = env.str("MAILING_WEBHOOK_SECRET", default="")

# [supporters]
# Unconfirmed signatures, RSVPs and letters (and supporter records left with nothing) are
# deleted after this many days.
UNCONFIRMED_RETENTION_DAYS = env.int("UNCONFIRMED_RETENTION_DAYS", default=30)
# A link to a person's data works a day: it shows everything we hold about them.
MY_DATA_LINK_MAX_AGE = 24 * 3600

# [the site's look (core.images)]
LOGO_MAX_BYTES = 1024 * 1024
# The site's hero image, re-encoded and resized on upload (core.images.store_picture).
PICTURE_MAX_BYTES = 5 * 1024 * 1024


# --- Observability: logs, /healthz and /metrics, outages -----------------------------------------
# Logs never carry emails or IP addresses: Django's request logger is kept to errors and
# the console handler prints only the message.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# A backlog older than this means no worker takes tasks: /healthz says the queue is stalled.
QUEUE_STALL_SECONDS = env.int("QUEUE_STALL_SECONDS", default=300)
# /healthz fails when the disk holding var/ (SQLite, mail files, backups) has less free space.
HEALTH_MIN_FREE_MB = env.int("HEALTH_MIN_FREE_MB", default=200)
# Prometheus metrics at /metrics for `Authorization: Bearer <token>`; off (404) without one.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Seconds a form tells the browser to wait when the database is down (a 503).
DATABASE_DOWN_RETRY_AFTER = env.int("DATABASE_DOWN_RETRY_AFTER", default=30)
