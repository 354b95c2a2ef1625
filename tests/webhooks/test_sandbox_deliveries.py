"""Zoom (the sandbox) sending real, signed webhooks to the live app, applied by a real worker."""

from integrations.zoom.models import ZoomConnection, ZoomWebhookEvent
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps

ZOOM_EMAIL = "leaving.rep@zoom.example"


def test_zoom_validates_our_endpoint(live_sandbox):
    result = live_sandbox.trigger_url_validation()
    assert result["ok"], result
    assert result["status"] == 200


def test_uninstalling_in_zoom_removes_the_connection_and_its_tokens(
    rep_client, rep, live_sandbox, celery_worker
):
    connection = steps.connect_rep(live_sandbox, ZOOM_EMAIL, rep=rep)

    delivery = live_sandbox.uninstall(ZOOM_EMAIL)
    assert delivery["status"] == 200, delivery

    connection = wait_until(
        lambda: ZoomConnection.objects.filter(
            pk=connection.pk, status=ZoomConnection.Status.REMOVED
        ).first(),
        message="the worker to apply app_deauthorized",
    )
    assert connection.access_token == "" and connection.refresh_token == ""
    assert connection.zoom_user_id == ""

    page = rep_client.get("/integrations/").content.decode()
    assert "Zoom was removed from your account" in page


def test_zoom_retrying_a_delivery_applies_it_once(rep, live_sandbox, celery_worker):
    steps.connect_rep(live_sandbox, ZOOM_EMAIL, rep=rep)
    live_sandbox.uninstall(ZOOM_EMAIL)
    wait_until(
        lambda: ZoomWebhookEvent.objects.filter(outcome=ZoomWebhookEvent.Outcome.APPLIED).exists(),
        message="the deauthorization to be applied",
    )
    original = live_sandbox.webhook_deliveries("app_deauthorized")[-1]

    retry = live_sandbox.redeliver(original["id"])

    assert retry["status"] == 200
    assert "duplicate" in retry["response_body"]
    assert ZoomWebhookEvent.objects.count() == 1
