"""The embedded default that `make run` serves: SQLite and files under var/, debug pages on."""

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool, env_list, env_str

DEBUG = env_bool("TORELIK_DEBUG", default=True)
TORELIK_PAYMENT_SANDBOX_SECRET = env_str("TORELIK_PAYMENT_SANDBOX_SECRET", "dev-sandbox-payment-secret")
TORELIK_DLR_TOKEN = env_str("TORELIK_DLR_TOKEN", "dev-dlr-token")
# The demo keeps the staff's passwords next to their signature login (production: "admin").
TORELIK_STAFF_PASSWORD_LOGIN = env_str("TORELIK_STAFF_PASSWORD_LOGIN", "all")
# A published development key of the transparency log: checkpoints signed with it prove nothing.
TORELIK_LOG_SIGNING_KEY = env_str(
    "TORELIK_LOG_SIGNING_KEY",
    "PRIVATE+KEY+torelik.localhost/dev-log+148a707f+AQ3sHHm25zJ6Hlkwd+HrX9KSMZHkiH6HXHqqqmwGLhnK",
)
# The demo CA (`make run` creates it) is the root of the local timestamp authority (`torelik tsa`).
TORELIK_TSA_TRUST_ROOTS = env_list("TORELIK_TSA_TRUST_ROOTS", [str(TORELIK_PKI_DIR / "root.pem")])  # noqa: F405
