"""Staff set up the company's webhook in the admin: an https URL, the events, the signing secret
to give the receiver; they read each delivery's attempts and send a failed one again."""

import pytest
from django.core.exceptions import ValidationError

from booking_webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.admin.conftest import staff_client
from tests.meetings.factories import BookingFactory

ENDPOINTS = "/admin/booking_webhooks/webhookendpoint/"
DELIVERIES = "/admin/booking_webhooks/webhookdelivery/"


@pytest.fixture
def admin_client_(db):
    return staff_client(
        "booking_webhooks.add_webhookendpoint",
        "booking_webhooks.change_webhookendpoint",
        "booking_webhooks.view_webhookendpoint",
        "booking_webhooks.view_webhookdelivery",
    )


def test_staff_add_an_endpoint_and_read_its_signing_secret(admin_client_, settings):
    settings.DEBUG = False
    response = admin_client_.post(
        f"{ENDPOINTS}add/",
        {
            "url": "https://crm.example.com/hooks/scheduler",
            "description": "CRM",
            "event_types": ["booking.created", "booking.outcome"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["booking.created", "booking.outcome"]
    page = admin_client_.get(f"{ENDPOINTS}{endpoint.pk}/change/").content.decode()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page


def test_a_plain_http_url_is_refused_outside_development(settings, db):
    settings.DEBUG = False
    with pytest.raises(ValidationError, match="https"):
        WebhookEndpoint(url="http://crm.example.com/hooks").full_clean()


def test_rolling_the_secret_makes_a_new_one(admin_client_):
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/h")
    old = endpoint.secret
    admin_client_.post(ENDPOINTS, {"action": "roll_secret", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")


def test_a_delivery_shows_its_attempts_and_is_sent_again(
    admin_client_, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("booking_webhooks.admin.publish", lambda task, pk: sent.append(pk))
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/h")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type="booking.created",
        booking=BookingFactory(),
        payload={"type": "booking.created"},
        status="failed",
        attempts=8,
        last_error="The endpoint answered 500.",
    )
    delivery.attempt_log.create(status_code=500, response_excerpt="Internal error")
    page = admin_client_.get(f"{DELIVERIES}{delivery.pk}/change/").content.decode()
    assert "Internal error" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert sent == [delivery.pk]


def test_the_form_offers_reassignments_and_the_list_tells_every_event_from_a_picked_few(
    admin_client_,
):
    form = admin_client_.get(f"{ENDPOINTS}add/").content.decode()
    assert 'value="booking.reassigned"' in form and "Booking handed to another host" in form
    WebhookEndpoint.objects.create(url="https://every.example/h", description="Every")
    WebhookEndpoint.objects.create(
        url="https://picked.example/h",
        description="Picked",
        event_types=["booking.reassigned", "booking.created"],
    )
    listing = admin_client_.get(ENDPOINTS).content.decode()
    assert "Every event" in listing
    assert "Booking created, Booking handed to another host" in listing
