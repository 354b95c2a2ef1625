"""The debug page and error emails never show the webhook secret or Zoom tokens in the locals of
our code's frames, debug mode included."""

import sys
import time

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import ZoomError
from integrations.zoom.webhooks.deliveries import receive_webhook
from integrations.zoom.webhooks.envelope import WebhookRejected


def app_frame_locals(call) -> str:
    """The locals of every integrations/zoom frame, as the error report prints them."""
    try:
        call()
    except (ZoomError, WebhookRejected):
        reporter = ExceptionReporter(RequestFactory().get("/"), *sys.exc_info())
    frames = [f for f in reporter.get_traceback_frames() if "integrations/zoom" in f["filename"]]
    assert frames
    return "\n".join(f"{name}={value}" for f in frames for name, value in f["vars"])


def test_the_webhook_secret_is_not_in_a_debug_error_page(settings, db):
    settings.DEBUG = True

    shown = app_frame_locals(
        lambda: receive_webhook(body=b"{}", timestamp=str(int(time.time())), signature="v0=x")
    )

    assert "secret" in shown  # the variable is listed, its value is not
    assert settings.ZOOM_WEBHOOK_SECRET_TOKEN not in shown


def test_a_refresh_token_and_the_client_secret_are_not_in_a_debug_error_page(settings, sandbox):
    settings.DEBUG = True

    shown = app_frame_locals(lambda: ZoomClient().refresh("eyJ" + "r" * 300))

    assert "r" * 300 not in shown
    assert settings.ZOOM_CLIENT_SECRET not in shown
