from django.apps import AppConfig


class BookingWebhooksConfig(AppConfig):
    name = "booking_webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self):
        # The tasks module listens: booking and outcome changes write their deliveries in the
        # same transaction, and a worker sends each once it commits.
        from . import tasks  # noqa: F401
