import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
