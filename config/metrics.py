"""Prometheus metrics: what the app counts, named in one place, and how a scrape reads them.

Processes that fork (gunicorn's workers, Celery's prefork pool) each keep their values in files
under PROMETHEUS_MULTIPROC_DIR (the official client's multiprocess mode), which a scrape adds up:
config/gunicorn.py gives the web's processes a directory of their own, config/celery.py a Celery
worker its own. Without one (runserver, a test) the values live in the process.

Nothing is public: the web answers /metrics only to `Authorization: Bearer <METRICS_TOKEN>`
(health/metrics.py), and a worker serves its own on METRICS_PORT, behind the same token
(`serve_worker_metrics`). Figures about the whole system (queue depth, bookings' link states) are
computed when the web is scraped (`SystemCollector`); README "Watching it" names the alerts.
"""

import hmac
import logging
import os
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)


class _Metric:
    """A metric made on first use. prometheus_client decides at import whether values go to files
    (PROMETHEUS_MULTIPROC_DIR), and Django imports this module before a Celery worker has chosen
    its directory (config/celery.py): nothing here imports prometheus_client until a value moves."""

    _lock = threading.Lock()

    def __init__(self, kind: str, name: str, documentation: str, labels=(), **options):
        self._made = None
        self._args = (kind, name, documentation, list(labels), options)

    def _metric(self):
        if self._made is None:
            with self._lock:
                if self._made is None:
                    import prometheus_client

                    kind, name, documentation, labels, options = self._args
                    self._made = getattr(prometheus_client, kind)(
                        name, documentation, labels, **options
                    )
        return self._made

    def __getattr__(self, attribute):
        return getattr(self._metric(), attribute)


def Counter(name, documentation, labels=(), **options):  # noqa: N802 - reads as the client's
    return _Metric("Counter", name, documentation, labels, **options)


def Histogram(name, documentation, labels=(), **options):  # noqa: N802
    return _Metric("Histogram", name, documentation, labels, **options)


ZOOM_REQUESTS = Counter(
    "zoomsched_zoom_requests_total",
    "Calls to Zoom by endpoint and answer: the HTTP status, or 'error' when none came.",
    ["endpoint", "status"],
)
ZOOM_REQUEST_SECONDS = Histogram(
    "zoomsched_zoom_request_seconds",
    "How long Zoom took to answer, by endpoint.",
    ["endpoint"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ZOOM_RATE_LIMITED = Counter(
    "zoomsched_zoom_rate_limited_total",
    "Zoom's 429s by limit: qps (an account's calls per second), daily (a host's meeting writes).",
    ["limit"],
)
PACING_WAIT_SECONDS = Histogram(
    "zoomsched_zoom_pacing_wait_seconds",
    "How long a call to Zoom waited for its turn in its account's pacing.",
    buckets=(0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5),
)
PACING_DEFERRED = Counter(
    "zoomsched_zoom_pacing_deferred_total",
    "Calls to Zoom whose turn was further away than ZOOM_PACING_MAX_WAIT_SECONDS: retried later.",
)
BOOKINGS = Counter(
    "zoomsched_bookings_total",
    "Booking changes by change (created, moved, reassigned, cancelled) and location (zoom, …).",
    ["change", "location"],
)
BOOKINGS_REFUSED = Counter(
    "zoomsched_bookings_refused_total",
    "Public bookings and moves refused by a limit, by whose limit (guest, rep, Zoom allowance).",
    ["reason"],
)
LINK_LATENCY = Histogram(
    "zoomsched_link_latency_seconds",
    "From a booking to its Zoom link being ready.",
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 6 * 3600, 24 * 3600),
)


class SystemCollector:
    """Figures about the whole deployment, read when scraped: the same from every web process."""

    def collect(self):
        yield from _link_states()
        yield from _queue_depths()


def _link_states():
    from django.db import DatabaseError
    from django.db.models import Count
    from django.utils import timezone
    from prometheus_client.core import GaugeMetricFamily

    from meetings.models import Booking
    from meetings.zoom.state import LinkState

    family = GaugeMetricFamily(
        "zoomsched_booking_links",
        "Upcoming bookings by the state of their Zoom link (waiting_for_reconnect: parked until "
        "the rep reconnects Zoom).",
        labels=["state"],
    )
    try:
        counts = dict(
            Booking.objects.filter(end_at__gte=timezone.now(), status=Booking.Status.CONFIRMED)
            .values_list("link_state")
            .annotate(count=Count("pk"))
        )
    except DatabaseError:
        logger.warning("metrics: the database does not answer", exc_info=True)
        return
    for state in LinkState.values:
        family.add_metric([state], counts.get(state, 0))
    yield family


def _queue_depths():
    from celery import current_app as app  # config.celery's app (config/__init__.py)
    from django.conf import settings
    from kombu.exceptions import ChannelError
    from prometheus_client.core import GaugeMetricFamily

    family = GaugeMetricFamily(
        "zoomsched_queue_messages", "Tasks waiting in each broker queue.", labels=["queue"]
    )
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            for queue in settings.CELERY_TASK_QUEUES:
                channel = connection.channel()
                try:
                    waiting = channel.queue_declare(queue=queue.name, passive=True).message_count
                except ChannelError:
                    waiting = 0  # never declared: nothing was ever sent to it
                finally:
                    channel.close()
                family.add_metric([queue.name], waiting)
    except Exception:  # noqa: BLE001 - any broker error: the figure is left out of this scrape
        logger.warning("metrics: the broker does not answer", exc_info=True)
        return
    yield family


def exposition(*, system: bool) -> bytes:
    """This process group's metrics (every process's, in multiprocess mode), and with `system`
    the deployment's figures."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    if system:
        extra = CollectorRegistry()
        extra.register(SystemCollector())
        text += generate_latest(extra)
    return text


# The text exposition format's type (prometheus_client.CONTENT_TYPE_LATEST, without importing it).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def token_allows(authorization: str, token: str) -> bool:
    return bool(token) and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode())


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve_worker_metrics(address: str, port: int, token: str) -> WSGIServer:
    """A Celery worker's metrics on `address:port`, to a bearer of `token` only."""

    def app(environ, start_response):
        if not token_allows(environ.get("HTTP_AUTHORIZATION", ""), token):
            start_response("401 Unauthorized", [("WWW-Authenticate", "Bearer")])
            return [b""]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [exposition(system=False)]

    server = make_server(
        address, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
