from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Health checks"

    def ready(self):
        from health import configuration  # noqa: F401 - registers the configuration checks
