from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        # Connect the receivers: the tasks modules listen for work that booking changes announce
        # (every process that books must hand it on), `zoom.events` for what Zoom tells us,
        # `observability` for the logs and metrics of each change.
        from . import observability, tasks  # noqa: F401
        from .zoom import events  # noqa: F401
