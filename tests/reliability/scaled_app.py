"""dialog as the scale-out test serves it: the test configuration, rate limits in Redis.

gunicorn imports `create()` in each server; the test passes the settings in the environment.
"""

from __future__ import annotations

import os

import config
from dialog import create_app


def create():
    settings = config.TestConfig()  # TEST_DATABASE_URL from the environment
    settings.RATELIMIT_STORAGE_URI = os.environ["SCALE_OUT_RATELIMIT_STORAGE_URI"]
    settings.RATELIMIT_KEY_PREFIX = os.environ["SCALE_OUT_RATELIMIT_KEY_PREFIX"]
    settings.ANSWER_RATE_LIMIT = os.environ["SCALE_OUT_ANSWER_RATE_LIMIT"]
    return create_app(settings)
