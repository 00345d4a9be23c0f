"""Production settings: refuse to start with a default secret or with debug pages on."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    DEBUG,
    SECRET_KEY,
    TORELIK_BEACON,
    TORELIK_BEACON_SECRET,
    TORELIK_LOG_SIGNING_KEY,
    TORELIK_POST_MANIFEST_KEY,
    TORELIK_POST_WEBHOOK_SECRET,
)
from config.settings.environment import env_bool, env_int

# deploy/torelik.env marks each secret to choose with "change-me": none may be left.
_left = sorted(name for name, value in os.environ.items() if name.startswith("TORELIK_") and "change-me" in value)
if _left:
    raise ImproperlyConfigured("Choose a value for each change-me of deploy/torelik.env: " + ", ".join(_left))

if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set TORELIK_SECRET_KEY to a random value of at least 50 characters.")
if DEBUG:
    raise ImproperlyConfigured("TORELIK_DEBUG must be false in production.")
if TORELIK_BEACON == "local" and (TORELIK_BEACON_SECRET.startswith("insecure-") or len(TORELIK_BEACON_SECRET) < 32):
    raise ImproperlyConfigured(
        "The local beacon needs TORELIK_BEACON_SECRET (32+ random characters); better, set TORELIK_BEACON=drand."
    )
if not TORELIK_LOG_SIGNING_KEY or "dev-log" in TORELIK_LOG_SIGNING_KEY:
    raise ImproperlyConfigured(
        "Set TORELIK_LOG_SIGNING_KEY to the transparency log's own key (`torelik log generate-key --origin NAME`)."
    )

if not TORELIK_POST_MANIFEST_KEY or TORELIK_POST_WEBHOOK_SECRET.startswith("insecure-"):
    raise ImproperlyConfigured(
        "Set TORELIK_POST_MANIFEST_KEY (base64 of 32 random bytes) and TORELIK_POST_WEBHOOK_SECRET for the post."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("TORELIK_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("TORELIK_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
