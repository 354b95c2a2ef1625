from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        # Connects the receiver for meetings changed inside Zoom (integrations sends the signal).
        from . import zoom_events  # noqa: F401
