"""Settings for the test suite: fast hashing, files in a throw-away directory."""

import datetime
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool, env_str

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="torelik-test-files-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Each task runs right after the commit that enqueued it, in the test's process (deferred ones, like a
# draw's completion at its beacon round, wait for the test to run them): the suite stays deterministic.
# (A worker process started by a test sets TORELIK_TASKS_INLINE=false: it takes its tasks from the queue.)
TORELIK_TASKS_INLINE = env_bool("TORELIK_TASKS_INLINE", default=True)
TORELIK_BEACON = "local"
TORELIK_BEACON_SECRET = "test-beacon-secret"  # noqa: S105 - a test value, never a real one
TORELIK_PAYMENT_SANDBOX_SECRET = "test-sandbox-payment-secret"  # noqa: S105 - a test value, never a real one
# Messages are sent by an explicit call (`torelik.notifications.sender.send_due_messages`), never by a thread.
TORELIK_SEND_MESSAGES = "off"
# Staff tests log in with passwords as before; the staff signature login has its own tests (ADR 0082).
TORELIK_STAFF_PASSWORD_LOGIN = "all"  # noqa: S105 - who may log in with a password, not a password
TORELIK_SMS_LOG = str(MEDIA_ROOT / "sms.log")
TORELIK_DLR_TOKEN = "test-dlr-token"  # noqa: S105 - a test value, never a real one
# Each test process (and pytest-xdist worker) gets its own demo CA, trusted by the verifier.
# (A worker process started by a test gets its test's directory through TORELIK_TEST_PKI_DIR: the same
# court seals, which the partner simulator of the exchange's tests trusts.)
TORELIK_PKI_DIR = Path(env_str("TORELIK_TEST_PKI_DIR", "") or tempfile.mkdtemp(prefix="torelik-test-pki-"))
TORELIK_EDS_TRUST_DEMO_CA = True
TORELIK_NCALAYER_URL = "ws://127.0.0.1:13579"
TORELIK_LOG_SIGNING_KEY = "PRIVATE+KEY+torelik.test/log+8011402e+ARvamFbx/vf4muZQlpKKHAZmm7UaYWiv2HAbRsL2xhs1"  # noqa: S105
TORELIK_TSA_TRUST_ROOTS = [str(TORELIK_PKI_DIR / "root.pem")]
# The test CA, its CRL and its certificates hold from 2000 to 2100 (torelik.identity.pki.test_window):
# tests freeze the clock at dates of their own, and the suite also runs a year ahead (.ci/run, faketime).
TORELIK_DEMO_PKI_WINDOW = (
    datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
)
TORELIK_POST_SIMULATOR_DIR = str(Path(tempfile.mkdtemp(prefix="torelik-test-post-")))
TORELIK_POST_SIMULATOR_FAILURES = "0"
TORELIK_POST_WEBHOOK_SECRET = "test-post-webhook-secret"  # noqa: S105 - a test value, never a real one
# Tests change the registry between requests: read its version at every request (the per-process
# answers of courts.registry are otherwise kept up to 5 s); a test of the kept answers sets it back.
TORELIK_REGISTRY_CHECK_SECONDS = 0.0
TORELIK_TIMETABLE_CHECK_SECONDS = 0.0
