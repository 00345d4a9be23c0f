"""The embedded default that `make run` serves: SQLite and files under var/, debug pages on."""

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool

DEBUG = env_bool("TORELIK_DEBUG", default=True)
