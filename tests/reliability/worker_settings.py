"""Settings for the Celery workers the reliability tests start: the test settings, with the Redis
transport's redelivery made fast enough to watch.

With Redis, a message a worker took but never acknowledged (it was SIGKILLed) goes back to the
queue once it is older than `visibility_timeout`; kombu looks for such messages every
`unacked_restore_interval` seconds times `unacked_restore_throttle`. Production keeps an hour
(config/settings.py); these workers take RELIABILITY_VISIBILITY_TIMEOUT seconds.
"""

import os

from tests.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": int(os.environ.get("RELIABILITY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
