"""The debug page and error emails never show the webhook secret or Zoom tokens in the locals of
our code's frames, debug mode included."""

import logging
import sys
import time

from django.test import RequestFactory
from django.views.debug import ExceptionReporter, technical_500_response

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


# Built, so that the report's source lines around a frame never hold it.
PASSWORD = "-".join(["s3cret", "broker", "password"])
BROKER = f"redis://default:{PASSWORD}@redis.internal:6379/0"


def failing_with_a_password_url():
    broker_url = BROKER  # noqa: F841 - a local variable the report shows
    raise ConnectionError(f"Error connecting to {BROKER}")


def report_of(call, reporter_view):
    try:
        call()
    except ConnectionError:
        return reporter_view(RequestFactory().get("/"), *sys.exc_info())


def test_a_password_inside_a_url_is_not_on_the_debug_page(settings):
    settings.DEBUG = True
    settings.CELERY_BROKER_URL = BROKER

    response = report_of(failing_with_a_password_url, technical_500_response)

    page = response.content.decode()
    assert PASSWORD not in page
    assert "redis://default:[redacted]@redis.internal" in page  # the rest is still there to read


def test_a_password_inside_a_url_is_not_in_an_error_email(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.CELERY_BROKER_URL = BROKER
    try:
        failing_with_a_password_url()
    except ConnectionError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /",
            exc_info=sys.exc_info(),
            extra={"status_code": 500, "request": RequestFactory().get("/")},
        )

    (mail,) = mailoutbox
    html = mail.alternatives[0][0] if mail.alternatives else ""
    assert PASSWORD not in mail.subject + mail.body + html
    assert "redis://default:[redacted]@redis.internal" in mail.body
