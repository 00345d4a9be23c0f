"""The embedded default that `make run` serves: SQLite and files under var/, debug pages on."""

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool, env_str

DEBUG = env_bool("TORELIK_DEBUG", default=True)
TORELIK_PAYMENT_SANDBOX_SECRET = env_str("TORELIK_PAYMENT_SANDBOX_SECRET", "dev-sandbox-payment-secret")
TORELIK_DLR_TOKEN = env_str("TORELIK_DLR_TOKEN", "dev-dlr-token")
