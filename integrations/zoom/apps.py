from django.apps import AppConfig


class ZoomConfig(AppConfig):
    name = "integrations.zoom"
    label = "zoom"
    verbose_name = "Zoom"

    def ready(self):
        # Connect the receivers: `tasks` hands what the core announces (a broken connection) to
        # the reconnect email, in every process that talks to Zoom.
        from . import tasks  # noqa: F401

        # A rep who signs up, confirms or changes their email is looked up in the company's Zoom.
        from .company import rep_events  # noqa: F401
