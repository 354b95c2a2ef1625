from django.apps import AppConfig


class ZoomConfig(AppConfig):
    name = "integrations.zoom"
    label = "zoom"
    verbose_name = "Zoom"
