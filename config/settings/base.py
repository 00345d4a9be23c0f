"""Settings shared by every environment; everything configurable comes from the environment."""

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.settings.environment import env_bool, env_float, env_int, env_list, env_str

# Lets admin.ModelAdmin[Model] and friends be subscripted at run time, as the type stubs want.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TORELIK_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("TORELIK_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
# Earlier keys, newest first, kept while what they signed lives (sessions, subpoena codes and SMS logins:
# TORELIK_SUBPOENA_CODE_DAYS): a rotation then logs nobody out and invalidates no code (ADR 0036).
SECRET_KEY_FALLBACKS = env_list("TORELIK_SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("TORELIK_DEBUG", default=False)
ALLOWED_HOSTS = env_list("TORELIK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TORELIK_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
# Addresses (or networks) of the reverse proxies whose X-Forwarded-For is believed; none by default, so
# that without a proxy a client cannot name its own address (ADR 0037).
TORELIK_TRUSTED_PROXIES = env_list("TORELIK_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "torelik.core",
    "torelik.workers",
    "torelik.identity",
    "torelik.archive",
    "torelik.courts",
    "torelik.cases",
    "torelik.personnel",
    "torelik.post",
    "torelik.deadlines",
    "torelik.hearings",
    "torelik.acts",
    "torelik.publication",
    "torelik.distribution",
    "torelik.notifications",
    "torelik.filing",
    "torelik.summons",
    "torelik.operations",
    "torelik.exchange",
    "torelik.helpline",
    "torelik.apostille",
    "torelik.portal",
    "torelik.access",
    "torelik.reports",
    "torelik.demo",
    "torelik.national",
]

MIDDLEWARE = [
    "config.middleware.ObservabilityMiddleware",
    "config.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ApiBodyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy (django-csp; Django 5.2 has none of its own): scripts only from the site's own
# static files or with the response's nonce; styles also inline (style attributes of a few pages, htmx's
# indicator style); NCALayer and `torelik dev-signer` listen on the user's own machine (ADR 0036).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'", "ws://127.0.0.1:*", "wss://127.0.0.1:*", "ws://localhost:*", "wss://localhost:*"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "torelik.core.context_processors.site",
                "config.context_processors.menu",
            ],
        },
    },
]

# The embedded default is an SQLite file under var/; production and CI set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'torelik.sqlite3'}",
        conn_max_age=env_int("TORELIK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# A read replica for the reads that tolerate a few seconds of lag (ADR 0076): public pages, dashboards.
if env_str("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", "").strip(),
        conn_max_age=env_int("TORELIK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # Tests against a replica URL run on the primary's test database unless a test names its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["torelik.core.replicas.ReplicaRouter"]
# PostgreSQL's JIT compiles a query the planner guesses is costly: 100 ms of compiling for a 30 ms count
# on a judge's statistics at 1M cases. Off for our connections unless asked (ADR 0117).
if not env_bool("TORELIK_DB_JIT", default=False):
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _options = _database.setdefault("OPTIONS", {})
            _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"  # the staff's password login; a signature login lands on the Judicial Office
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kazakh is the state language and the default; Russian is official; English for visitors.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "torelik" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
# Kazakhstan has one time zone (UTC+5) since 1 March 2024; a court's region may override it.
TIME_ZONE = env_str("TORELIK_TIME_ZONE", "Asia/Almaty")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("TORELIK_FILES_DIR", str(VAR_DIR / "files")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Contact numbers shown on the public site; the defaults are the demo network's.
TORELIK_HELPLINE_PHONES = env_list("TORELIK_HELPLINE_PHONES", ["1414", "+7 7172 71 01 01"])

# Log lines: `plain` text, or `json` (one object a line with the request id, for a log collector; ADR 0080).
TORELIK_LOG_FORMAT = env_str("TORELIK_LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "torelik.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "torelik.core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if TORELIK_LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("TORELIK_LOG_LEVEL", "INFO")},
    # The bagit package says a line per file it hashes: a case's export would fill the log.
    "loggers": {"bagit": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
# How often a process reads the court registry's version again (courts.registry, ADR 0067): a change to
# the registry shows in the public reads this many seconds after it is saved, at most.
TORELIK_REGISTRY_CHECK_SECONDS = 5.0
# How often a process reads again the version of a court's day it serves the public board of (hearings.board,
# ADR 0079): a scheduling shows on the public timetable this many seconds after it is saved, at most.
TORELIK_TIMETABLE_CHECK_SECONDS = 2.0
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]

# The content-addressed file store of the archive: `local` (under MEDIA_ROOT) or `s3`.
# Randomness beacon of the case distribution (docs/distribution.md): "local" hash chains (the
# embedded default; binds the operator but does not hide values from it) or "drand".
TORELIK_BEACON = env_str("TORELIK_BEACON", "local")
TORELIK_BEACON_SECRET = env_str("TORELIK_BEACON_SECRET", "insecure-development-beacon-secret")
TORELIK_BEACON_GENESIS = env_str("TORELIK_BEACON_GENESIS", "2025-01-01T00:00:00+00:00")
TORELIK_BEACON_PERIOD = env_int("TORELIK_BEACON_PERIOD", 1)
TORELIK_DRAND_URLS = env_list("TORELIK_DRAND_URLS", ["https://api.drand.sh", "https://drand.cloudflare.com"])
# drand "quicknet": 3-second rounds since 2023-08-23 (genesis 1692803367).
TORELIK_DRAND_CHAIN = env_str("TORELIK_DRAND_CHAIN", "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971")
TORELIK_DRAND_GENESIS = env_int("TORELIK_DRAND_GENESIS", 1692803367)
TORELIK_DRAND_PERIOD = env_int("TORELIK_DRAND_PERIOD", 3)
TORELIK_DRAND_TIMEOUT = env_int("TORELIK_DRAND_TIMEOUT", 5)

# Background work (ADR 0042): Django's Tasks API (`django-tasks`) on its database backend
# (`django-tasks-db`): the database is the queue, written in the transaction of the change.
# `torelik worker` runs the tasks and the periodic jobs: its heartbeat every TORELIK_WORKER_HEARTBEAT
# seconds; a worker not seen for TORELIK_WORKER_LEASE seconds is lost and its tasks are taken again.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TORELIK_WORKER_POLL = env_float("TORELIK_WORKER_POLL", 0.1)
TORELIK_WORKER_HEARTBEAT = env_float("TORELIK_WORKER_HEARTBEAT", 5.0)
TORELIK_WORKER_LEASE = env_int("TORELIK_WORKER_LEASE", 30)
TORELIK_TASK_RESULTS_DAYS = env_int("TORELIK_TASK_RESULTS_DAYS", 7)
# Tests only: each task runs in the process that enqueued it, right after the commit.
TORELIK_TASKS_INLINE = False

TORELIK_FILE_STORE = env_str("TORELIK_FILE_STORE", "local")
# A stored content that nothing references after this many hours is removed by the hourly sweep (ADR 0037).
TORELIK_FILE_SWEEP_GRACE_HOURS = env_int("TORELIK_FILE_SWEEP_GRACE_HOURS", 24)
# A recording upload with no piece for this many hours is abandoned: its partial file and row are removed.
TORELIK_UPLOAD_ABANDON_HOURS = env_int("TORELIK_UPLOAD_ABANDON_HOURS", 48)
TORELIK_S3_ENDPOINT_URL = env_str("TORELIK_S3_ENDPOINT_URL", "")
TORELIK_S3_REGION = env_str("TORELIK_S3_REGION", "")
TORELIK_S3_BUCKET = env_str("TORELIK_S3_BUCKET", "torelik")
TORELIK_S3_PREFIX = env_str("TORELIK_S3_PREFIX", "sha256/")

# Videoconference join links (hearings): JWTs for a Jitsi-compatible server (HS256, shared secret;
# empty: a key derived from SECRET_KEY, for the embedded setup).
TORELIK_VC_URL = env_str("TORELIK_VC_URL", "https://meet.jit.si")
TORELIK_VC_APP_ID = env_str("TORELIK_VC_APP_ID", "torelik")
TORELIK_VC_SECRET = env_str("TORELIK_VC_SECRET", "")

# E-subpoenas and the study of documents by SMS login (summons). The public address goes into
# SMS texts and QR codes; codes and logins expire; 5 wrong codes per phone per hour lock it.
TORELIK_PUBLIC_URL = env_str("TORELIK_PUBLIC_URL", "http://127.0.0.1:8000")
TORELIK_SUBPOENA_CODE_DAYS = env_int("TORELIK_SUBPOENA_CODE_DAYS", 30)
TORELIK_DOCUMENT_ACCESS_DAYS = env_int("TORELIK_DOCUMENT_ACCESS_DAYS", 30)
TORELIK_CODE_ATTEMPTS = env_int("TORELIK_CODE_ATTEMPTS", 5)
TORELIK_CODE_LOCK_MINUTES = env_int("TORELIK_CODE_LOCK_MINUTES", 60)
# Wrong codes and SMS passwords from one client address, whatever the phone or login (ADR 0036).
TORELIK_CODE_ADDRESS_ATTEMPTS = env_int("TORELIK_CODE_ADDRESS_ATTEMPTS", 20)
# The staff login: wrong passwords per account, and per client address, within the window (ADR 0036).
TORELIK_LOGIN_ATTEMPTS = env_int("TORELIK_LOGIN_ATTEMPTS", 5)
TORELIK_LOGIN_ADDRESS_ATTEMPTS = env_int("TORELIK_LOGIN_ADDRESS_ATTEMPTS", 30)
TORELIK_LOGIN_LOCK_MINUTES = env_int("TORELIK_LOGIN_LOCK_MINUTES", 15)
# Who may log in with a password: "admin" (the administrator only; staff use their signature),
# "all" (every staff account, for a transition) or "off" (ADR 0082).
TORELIK_STAFF_PASSWORD_LOGIN = env_str("TORELIK_STAFF_PASSWORD_LOGIN", "admin")

# Judicial Office (filing): attachment limits, and the built-in sandbox payment gateway's HMAC secret
# (empty: the sandbox refuses every callback; local and test settings give a development value).
TORELIK_FILING_MAX_ATTACHMENT_MB = env_int("TORELIK_FILING_MAX_ATTACHMENT_MB", 20)
TORELIK_FILING_MAX_ATTACHMENTS = env_int("TORELIK_FILING_MAX_ATTACHMENTS", 30)
# The e-government API sends attachments as base64 in one JSON body: two attachments of the largest size
# fit (20 MB of file is 27 MB of base64); more go in further requests with the same filing id.
TORELIK_API_FILING_BODY_MB = env_int("TORELIK_API_FILING_BODY_MB", 60)
TORELIK_API_LARGE_BODY_PATHS = ["/api/v1/filings"]
TORELIK_PAYMENT_SANDBOX_SECRET = env_str("TORELIK_PAYMENT_SANDBOX_SECRET", "")

# Notifications (the outbox of SMS and e-mail). SMS backend: console (logs and appends to
# TORELIK_SMS_LOG) or kannel (HTTP sendsms; delivery reports come back to TORELIK_PUBLIC_URL with
# TORELIK_DLR_TOKEN in the address; empty token: delivery reports are refused). TORELIK_SEND_MESSAGES:
# task (a message enqueues the workers' sender task with it) or off (only `torelik send-messages`).
TORELIK_SMS_BACKEND = env_str("TORELIK_SMS_BACKEND", "console")
TORELIK_SMS_LOG = env_str("TORELIK_SMS_LOG", str(VAR_DIR / "sms.log"))
TORELIK_SMS_FROM = env_str("TORELIK_SMS_FROM", "Torelik")
TORELIK_SMS_SEGMENT_COST = env_str("TORELIK_SMS_SEGMENT_COST", "4")
TORELIK_KANNEL_URL = env_str("TORELIK_KANNEL_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
TORELIK_KANNEL_USER = env_str("TORELIK_KANNEL_USER", "")
TORELIK_KANNEL_PASSWORD = env_str("TORELIK_KANNEL_PASSWORD", "")
TORELIK_KANNEL_TIMEOUT = env_int("TORELIK_KANNEL_TIMEOUT", 5)
TORELIK_DLR_URL = env_str("TORELIK_DLR_URL", "")  # default: TORELIK_PUBLIC_URL + /api/v1/notifications/dlr
TORELIK_DLR_TOKEN = env_str("TORELIK_DLR_TOKEN", "")
TORELIK_SEND_MESSAGES = env_str("TORELIK_SEND_MESSAGES", "task")
TORELIK_SEND_CONCURRENCY = env_int("TORELIK_SEND_CONCURRENCY", 32)
TORELIK_MESSAGE_MAX_ATTEMPTS = env_int("TORELIK_MESSAGE_MAX_ATTEMPTS", 5)
TORELIK_MESSAGE_RETRY_SECONDS = env_int("TORELIK_MESSAGE_RETRY_SECONDS", 30)
TORELIK_MESSAGE_EXPIRE_HOURS = env_int("TORELIK_MESSAGE_EXPIRE_HOURS", 72)
TORELIK_MESSAGE_SEND_LEASE = env_int("TORELIK_MESSAGE_SEND_LEASE", 60)
EMAIL_BACKEND = env_str("TORELIK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TORELIK_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TORELIK_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TORELIK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TORELIK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TORELIK_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("TORELIK_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("TORELIK_EMAIL_FROM", "Torelik <noreply@torelik.kz>")

# Digital signatures (identity). Trust roots and CRLs are PEM/DER paths; with none configured, DEBUG
# and tests (TORELIK_EDS_TRUST_DEMO_CA) trust the demo CA in TORELIK_PKI_DIR and use its CRL.
# Revocation is hard-fail once CRLs are configured or fetching (OCSP/CRL by URL) is allowed.
TORELIK_PKI_DIR = Path(env_str("TORELIK_PKI_DIR", str(VAR_DIR / "pki")))
TORELIK_EDS_TRUST_ROOTS = env_list("TORELIK_EDS_TRUST_ROOTS", [])
TORELIK_EDS_CRLS = env_list("TORELIK_EDS_CRLS", [])
TORELIK_EDS_OCSP_FETCH = env_bool("TORELIK_EDS_OCSP_FETCH", default=False)
TORELIK_EDS_TRUST_DEMO_CA = env_bool("TORELIK_EDS_TRUST_DEMO_CA", default=False)
TORELIK_EDS_VERIFIER = env_str("TORELIK_EDS_VERIFIER", "torelik.identity.eds.PyHankoVerifier")
# The signer the login page talks to (NCALayer); empty: wss://127.0.0.1:13579, or ws:// under DEBUG.
TORELIK_NCALAYER_URL = env_str("TORELIK_NCALAYER_URL", "")
TORELIK_EDS_CHALLENGE_SECONDS = env_int("TORELIK_EDS_CHALLENGE_SECONDS", 120)
# The web origins whose pages the development signer (`torelik dev-signer`) answers; empty: the site's
# TORELIK_PUBLIC_URL and `make run`'s local addresses. Any other page that connects is refused.
TORELIK_DEV_SIGNER_ORIGINS = env_list("TORELIK_DEV_SIGNER_ORIGINS", [])
# Court seals for PAdES: <dir>/<court code>.p12, one password for all; empty: issued by the demo CA
# (only where the demo CA is trusted).
TORELIK_COURT_SEAL_DIR = env_str("TORELIK_COURT_SEAL_DIR", "")
TORELIK_COURT_SEAL_PASSWORD = env_str("TORELIK_COURT_SEAL_PASSWORD", "")

# The transparency log of the archive (docs/transparency-log.md): its Ed25519 signing key as a C2SP
# signed-note private key (`PRIVATE+KEY+<origin>+<id>+<key>`; the key name is the log's origin; empty:
# no checkpoint is signed, local and test settings give a development key), the RFC 3161 timestamp
# authority of the hourly checkpoints (empty: none), and the second copy of the file store that the
# fixity audit repairs from (empty: none; a directory, or `s3://bucket/prefix` on the S3 endpoint).
TORELIK_LOG_SIGNING_KEY = env_str("TORELIK_LOG_SIGNING_KEY", "")
TORELIK_TSA_URL = env_str("TORELIK_TSA_URL", "")
TORELIK_TSA_TIMEOUT = env_int("TORELIK_TSA_TIMEOUT", 10)
TORELIK_TSA_TRUST_ROOTS = env_list("TORELIK_TSA_TRUST_ROOTS", [])
TORELIK_FILE_STORE_COPY = env_str("TORELIK_FILE_STORE_COPY", "")
TORELIK_S3_OBJECT_LOCK_DAYS = env_int("TORELIK_S3_OBJECT_LOCK_DAYS", 0)
TORELIK_FIXITY_SAMPLE = env_int("TORELIK_FIXITY_SAMPLE", 100)
# Seconds between a draw's commitment and the earliest beacon round that may decide it: the commitment
# is in a signed checkpoint of the transparency log before that round exists (docs/distribution.md 3).
TORELIK_DISTRIBUTION_LOG_MARGIN = env_int("TORELIK_DISTRIBUTION_LOG_MARGIN", 2)

# The post (registered and hybrid letters, docs/post.md): the operator's API (empty: the simulator of
# the operator inside this process, with its state under var/post-simulator; production: the
# operator's HTTPS base URL), its bearer token, the seconds a call may take, the secret of the HMAC
# of its webhook, the Ed25519 key (base64 of 32 bytes) that signs hybrid batches' manifests (empty:
# one derived from the secret key, refused in production), the serials cut for a court at a time,
# the minutes between tracking polls of a letter on its way (doubled after each failure, up to
# the maximum), hybrid letters per batch, and the minutes an SMS subpoena may go undelivered
# before a letter follows it.
TORELIK_POST_OPERATOR_URL = env_str("TORELIK_POST_OPERATOR_URL", "")
TORELIK_POST_OPERATOR_TOKEN = env_str("TORELIK_POST_OPERATOR_TOKEN", "")
TORELIK_POST_OPERATOR_TIMEOUT = env_int("TORELIK_POST_OPERATOR_TIMEOUT", 10)
# Exchange (ADR 0097): seconds a state body may take to acknowledge a letter handed to it.
TORELIK_EXCHANGE_TIMEOUT = env_int("TORELIK_EXCHANGE_TIMEOUT", 10)
TORELIK_POST_WEBHOOK_SECRET = env_str("TORELIK_POST_WEBHOOK_SECRET", "insecure-post-webhook-secret")
TORELIK_POST_MANIFEST_KEY = env_str("TORELIK_POST_MANIFEST_KEY", "")
TORELIK_POST_SIMULATOR_DIR = env_str("TORELIK_POST_SIMULATOR_DIR", str(VAR_DIR / "post-simulator"))
TORELIK_POST_SIMULATOR_FAILURES = env_str("TORELIK_POST_SIMULATOR_FAILURES", "0.05")
TORELIK_POST_RANGE_SIZE = env_int("TORELIK_POST_RANGE_SIZE", 100_000)
TORELIK_POST_POLL_MINUTES = env_int("TORELIK_POST_POLL_MINUTES", 240)
TORELIK_POST_POLL_MAX_MINUTES = env_int("TORELIK_POST_POLL_MAX_MINUTES", 2880)
TORELIK_POST_BATCH_SIZE = env_int("TORELIK_POST_BATCH_SIZE", 10_000)
TORELIK_POST_SMS_FALLBACK_MINUTES = env_int("TORELIK_POST_SMS_FALLBACK_MINUTES", 120)

# Operations (ADR 0080): `/metrics` in Prometheus's format answers a scraper that sends
# `Authorization: Bearer TORELIK_METRICS_TOKEN` (empty: no token is accepted) or comes from one of
# TORELIK_METRICS_ADDRESSES (addresses or networks; the client's address as ClientAddressMiddleware reads it).
TORELIK_METRICS_TOKEN = env_str("TORELIK_METRICS_TOKEN", "")
TORELIK_METRICS_ADDRESSES = env_list("TORELIK_METRICS_ADDRESSES", ["127.0.0.1", "::1"])
# Hybrid batches go to the operator over "https" (the API above) or "sftp": the ZIP and its signed
# manifest into TORELIK_POST_SFTP_DIR/inbox, the operator's acknowledgement read from .../outbox.
TORELIK_POST_OPERATOR_TRANSPORT = env_str("TORELIK_POST_OPERATOR_TRANSPORT", "https")
TORELIK_POST_SFTP_HOST = env_str("TORELIK_POST_SFTP_HOST", "")
TORELIK_POST_SFTP_PORT = env_int("TORELIK_POST_SFTP_PORT", 22)
TORELIK_POST_SFTP_USER = env_str("TORELIK_POST_SFTP_USER", "")
TORELIK_POST_SFTP_KEY_FILE = env_str("TORELIK_POST_SFTP_KEY_FILE", "")  # the court's private key (OpenSSH)
TORELIK_POST_SFTP_HOST_KEY = env_str("TORELIK_POST_SFTP_HOST_KEY", "")  # "ssh-ed25519 AAAA…": the only key trusted
TORELIK_POST_SFTP_DIR = env_str("TORELIK_POST_SFTP_DIR", ".")

# Exchanges with partner agencies (exchange, ADR 0092): the enforcement committee, the penal correction
# system, the committee on legal statistics, the e-government portal. A partner is connected when it has
# an endpoint: TORELIK_EXCHANGE_<CODE>_URL, or TORELIK_EXCHANGE_URL + "/<code>" for all (the simulator,
# tools/partners/simulator.py). Per partner: _SIGNING (jws: the court's seal key; hmac: _SECRET), _TIMEOUT
# (seconds), _EVENTS (the subscribed event types, comma-separated; empty: all it may take).
TORELIK_EXCHANGE_URL = env_str("TORELIK_EXCHANGE_URL", "")
TORELIK_EXCHANGE_PARTNERS = {
    code: {
        "url": env_str(f"TORELIK_EXCHANGE_{code.upper()}_URL", ""),
        "signing": env_str(f"TORELIK_EXCHANGE_{code.upper()}_SIGNING", ""),
        "secret": env_str(f"TORELIK_EXCHANGE_{code.upper()}_SECRET", f"insecure-development-{code}-secret"),
        "timeout": env_float(f"TORELIK_EXCHANGE_{code.upper()}_TIMEOUT", 10.0),
        "events": env_list(f"TORELIK_EXCHANGE_{code.upper()}_EVENTS", []),
    }
    for code in ("enforcement", "corrections", "legal_statistics", "egov")
}
# Tries before an event becomes a dead letter, and the wait after the n-th failed try:
# BACKOFF * 2^(n-1) seconds, at most MAX_BACKOFF (24 tries: about 13 hours of a partner being down).
TORELIK_EXCHANGE_ATTEMPTS = env_int("TORELIK_EXCHANGE_ATTEMPTS", 24)
TORELIK_EXCHANGE_BACKOFF = env_float("TORELIK_EXCHANGE_BACKOFF", 2.0)
TORELIK_EXCHANGE_MAX_BACKOFF = env_float("TORELIK_EXCHANGE_MAX_BACKOFF", 3600.0)
# Events sent at once to one partner (HTTP/1.1 keep-alive connections).
TORELIK_EXCHANGE_CONCURRENCY = env_int("TORELIK_EXCHANGE_CONCURRENCY", 8)
