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
