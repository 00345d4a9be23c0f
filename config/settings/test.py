"""Settings for the test suite: fast hashing, files in a throw-away directory."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="torelik-test-files-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
# No background draws in tests: they move the frozen clock past the round and complete draws.
TORELIK_DISTRIBUTION_WAIT = 0
TORELIK_BEACON = "local"
TORELIK_BEACON_SECRET = "test-beacon-secret"  # noqa: S105 - a test value, never a real one
TORELIK_PAYMENT_SANDBOX_SECRET = "test-sandbox-payment-secret"  # noqa: S105 - a test value, never a real one
# Messages are sent by an explicit call (`torelik.notifications.sender.send_due_messages`), never by a thread.
TORELIK_SEND_MESSAGES = "off"
TORELIK_SMS_LOG = str(MEDIA_ROOT / "sms.log")
TORELIK_DLR_TOKEN = "test-dlr-token"  # noqa: S105 - a test value, never a real one
# Each test process (and pytest-xdist worker) gets its own demo CA, trusted by the verifier.
TORELIK_PKI_DIR = Path(tempfile.mkdtemp(prefix="torelik-test-pki-"))
TORELIK_EDS_TRUST_DEMO_CA = True
TORELIK_NCALAYER_URL = "ws://127.0.0.1:13579"
TORELIK_LOG_SIGNING_KEY = "PRIVATE+KEY+torelik.test/log+8011402e+ARvamFbx/vf4muZQlpKKHAZmm7UaYWiv2HAbRsL2xhs1"  # noqa: S105
TORELIK_TSA_TRUST_ROOTS = [str(TORELIK_PKI_DIR / "root.pem")]
