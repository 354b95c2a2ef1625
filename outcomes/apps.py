from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Meeting outcomes"

    def ready(self):
        # Connect the receivers: the tasks module hands follow-ups to workers, `zoom.events`
        # listens to what Zoom tells us.
        from . import tasks  # noqa: F401
        from .zoom import events  # noqa: F401
