"""The Celery app, and `publish`: the one way code hands a task to the broker."""

import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def publish(task, *args, countdown: float | None = None) -> bool:
    """Hands a task to the broker; False (logged) when the broker could not take it.

    Never waits on a dead broker (`retry=False`): the caller is a web request or another task. What
    was not handed over is found again by whoever owns the work (a sweeper, the next beat run),
    so the caller only decides whether to do something now about the loss.
    """
    try:
        task.apply_async(args, countdown=countdown, retry=False)
    except BrokerUnavailable as exc:
        logger.warning(
            "Broker unreachable; %s%r left for later (%s)", task.name, args, type(exc).__name__
        )
        return False
    return True
