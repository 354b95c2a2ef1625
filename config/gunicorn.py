"""gunicorn's settings for the web (read from gunicorn.conf.py in a checkout; `gunicorn -c
python:config.gunicorn config.wsgi` when installed).

Every web process of this gunicorn keeps its metrics in one directory (config/metrics.py), where a
scrape of any of them adds up all of them: PROMETHEUS_MULTIPROC_DIR, emptied of an earlier run's
files, or a new temporary directory removed at exit. It is set here, as gunicorn reads its settings,
because prometheus_client decides at import whether values go to files, and a preloaded app
imports it before any hook runs.

Each web process serves requests on threads (gthread, WEB_THREADS, 4 by default): a booking POST
spends about half its time waiting on PostgreSQL and the broker, when a sync process serves no one,
so under a burst bookings queued behind three processes (`link_population.py capacity`: 45/s
booked through threads reached 33 links/s where sync processes held it to 24). Django keeps a
database connection per thread.
"""

import os
import shutil
import tempfile
from pathlib import Path

_named = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if _named:
    Path(_named).mkdir(parents=True, exist_ok=True)
    for _stale in Path(_named).glob("*.db"):
        _stale.unlink()
else:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="zoomsched-web-metrics-")


worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    # A web process that ended: its live gauges stop counting (its counters are kept).
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if not _named:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
