"""The Celery app; `publish`, the one way code hands a task to the broker (`publish_on`: when a
signal is sent); mail tasks' retries; beat's scheduler."""

import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from celery import Celery, shared_task, signals
from celery.app.amqp import AMQP
from celery.beat import PersistentScheduler
from kombu import Producer
from kombu.exceptions import OperationalError as BrokerUnavailable
from kombu.transport import TRANSPORT_ALIASES

from config import log_context  # noqa: F401 - tasks carry the request and booking ids

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The embedded broker's URLs (sqlite:///…) name its transport wherever a connection is made.
TRANSPORT_ALIASES.setdefault("sqlite", "config.embedded_broker:Transport")
# Redis URLs get one Redis client per channel and a pool that waits (config/redis_broker.py).
for _scheme in ("redis", "rediss"):
    TRANSPORT_ALIASES[_scheme] = "config.redis_broker:Transport"


class _Producer(Producer):
    """kombu's Producer, which finds a queue it has already declared on its connection without
    first binding a copy of the queue and its exchange to the channel: kombu's `maybe_declare`
    makes that copy on every publish, then throws it away and looks the unbound queue up."""

    def maybe_declare(self, entity, retry=False, **retry_policy):
        channel = self.channel
        if (
            entity
            and not retry
            and channel.connection is not None
            and entity.can_cache_declaration
            and hash(entity) in channel.connection.client.declared_entities
        ):
            return False
        return super().maybe_declare(entity, retry, **retry_policy)


class _AMQP(AMQP):
    @property
    def producer_pool(self):
        pool = super().producer_pool
        pool.Producer = _Producer  # kombu's pool of the app's write connection makes them
        return pool


app = Celery("config", amqp=_AMQP)
# Celery reads its settings (the CELERY_* Django settings) from a dict made when it first needs
# them (`__getattr__` below) rather than from Django's settings object: it looks each one up
# again on every publish and every task, and each it does not find there (most of its defaults)
# cost two attribute misses on that object, ~12 µs. Celery held that object, not Django's
# `settings` proxy, so override_settings never reached it either way.
app.config_from_object("config.celery:DJANGO_CELERY_SETTINGS", namespace="CELERY")
app.autodiscover_tasks()


def __getattr__(name):
    if name == "DJANGO_CELERY_SETTINGS":
        from django.conf import settings

        return {key: getattr(settings, key) for key in dir(settings) if key.startswith("CELERY_")}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def publish_on(signal, task, *arguments: str, dispatch_uid: str) -> None:
    """Each time `signal` is sent, `publish`es `task` with the signal's `arguments` (by name, in
    order): services announce their work with a signal and never import the task that does it."""

    def hand_over(sender, **kwargs):
        publish(task, *(kwargs[name] for name in arguments))

    signal.connect(hand_over, weak=False, dispatch_uid=dispatch_uid)


def mail_task(*, retry_backoff: int, max_retries: int):
    """A task that sends email. SMTP failures are OSErrors (smtplib.SMTPException is one) and are
    retried with backoff; the task's service makes a retry safe."""
    return shared_task(
        acks_late=True,
        autoretry_for=(OSError,),
        retry_backoff=retry_backoff,
        max_retries=max_retries,
    )


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_a_wrong_configuration(**kwargs):
    """A worker or beat with a wrong configuration (health.configuration) stops before it takes or
    schedules anything. SystemExit, because Celery logs and swallows a handler's exceptions; the
    reason goes to the process's own stderr, since Celery has redirected sys.stderr to its log."""
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if not apps.ready:
        # Not again once set up: django.setup() configures logging anew, onto the sys.stderr
        # that Celery has by then redirected into its own log, and every line would be lost.
        django.setup()
    from health.configuration import refuse_to_start

    try:
        refuse_to_start()
    except ImproperlyConfigured as exc:
        print(exc, file=sys.__stderr__, flush=True)
        raise SystemExit(1) from None


@signals.celeryd_init.connect
def keep_metrics_in_files(**kwargs):
    """The worker's processes (the prefork pool's included) keep their metrics in one directory,
    added up when it is scraped (config/metrics.py): PROMETHEUS_MULTIPROC_DIR, emptied of an
    earlier run's files, or a new temporary one. Sent before the worker's pool starts."""
    named = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not named:
        directory = tempfile.mkdtemp(prefix="zoomsched-worker-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        signals.worker_shutdown.connect(
            lambda **kwargs: shutil.rmtree(directory, ignore_errors=True), weak=False
        )
    else:
        Path(named).mkdir(parents=True, exist_ok=True)
        for stale in Path(named).glob("*.db"):
            stale.unlink()
    if "prometheus_client.values" in sys.modules:
        # Imported before the directory was chosen (Django is set up by now): values made from
        # here on go to files (config.metrics makes each metric on first use).
        from prometheus_client import values

        values.ValueClass = values.get_value_class()


@signals.worker_ready.connect
def serve_metrics(**kwargs):
    from django.conf import settings

    from config import metrics

    if settings.METRICS_PORT:
        metrics.serve_worker_metrics(
            settings.METRICS_ADDRESS, settings.METRICS_PORT, settings.METRICS_TOKEN
        )
        logger.info("Metrics on %s:%s", settings.METRICS_ADDRESS, settings.METRICS_PORT)


def _close_old_connections(**kwargs):
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_init.connect
def keep_database_connections(**kwargs):
    """Workers keep their database connections as web requests do (CONN_MAX_AGE).

    Celery's Django fixup closes every connection before and after each task, so each task paid
    for a new PostgreSQL session. Here each task, like each request, closes only a connection that
    is broken or older than CONN_MAX_AGE (with CONN_MAX_AGE 0, every one, as before)."""
    for fixup in getattr(app, "_fixups", []):
        worker_fixup = getattr(fixup, "worker_fixup", None)
        if worker_fixup is not None:
            signals.task_prerun.disconnect(worker_fixup.on_task_prerun)
            signals.task_postrun.disconnect(worker_fixup.on_task_postrun)
    signals.task_prerun.connect(_close_old_connections, weak=False)
    signals.task_postrun.connect(_close_old_connections, weak=False)


class Scheduler(PersistentScheduler):
    """Celery's file-backed beat scheduler, which makes its file's folder when beat starts
    (importing the settings creates nothing: read-only images), and sends only while it holds the
    one beat lock (health/beat.py): a second beat stands by."""

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()
        from django.utils import timezone

        from health import beat

        self._me = beat.identity()
        self._started_at = timezone.now()
        self._sends = False

    def tick(self, *args, **kwargs):
        from django.db import DatabaseError, close_old_connections

        from health import beat

        close_old_connections()
        try:
            holds = beat.hold(self._me)
            beat.seen(self._me, started_at=self._started_at, sends=holds)
        except DatabaseError:
            # Without the database no beat can know it is the only one: none sends.
            logger.warning("beat: the database does not answer; sending nothing", exc_info=True)
            holds = False
        if holds and not self._sends:
            logger.info("beat: holding the beat lock (%s); sending periodic tasks", self._me)
            self._send_heartbeat()
        elif self._sends and not holds:
            logger.warning("beat: another beat holds the lock; standing by")
        self._sends = holds
        if not holds:
            return self.max_interval
        return super().tick(*args, **kwargs)

    def _send_heartbeat(self) -> None:
        from health.tasks import record_beat_heartbeat

        publish(record_beat_heartbeat)

    def close(self):
        # Beat closes from its SIGTERM handler, which may have interrupted this thread's own
        # query: the lock is released over a connection of its own, in a thread.
        releasing = threading.Thread(target=self._release_lock, name="beat-release")
        releasing.start()
        releasing.join(timeout=10)
        super().close()

    def _release_lock(self) -> None:
        from django.db import DatabaseError, connection

        from health import beat

        try:
            beat.release(self._me)
        except DatabaseError:
            logger.warning("beat: could not release the beat lock", exc_info=True)
        finally:
            connection.close()
