from django.apps import AppConfig


class ZoomConfig(AppConfig):
    name = "integrations.zoom"
    label = "zoom"
    verbose_name = "Zoom"

    def ready(self):
        # Connect the receivers: `tasks` hands what the core announces (a broken connection) to
        # the reconnect email, in every process that talks to Zoom.
        from . import tasks  # noqa: F401
