"""The migration that brings `booking.reassigned`: endpoints that took every event before take it
too, hand-picked lists stay as they were; back again, no endpoint lists it. On the real database."""

import pytest

from tests.fixtures.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("booking_webhooks", "0001_outgoing_webhooks")]
AFTER = [("booking_webhooks", "0002_booking_reassigned")]
EVERY_EVENT_BEFORE = ["booking.created", "booking.moved", "booking.cancelled", "booking.outcome"]


def events_by_url(apps) -> dict[str, list[str]]:
    Endpoint = apps.get_model("booking_webhooks", "WebhookEndpoint")
    return dict(Endpoint.objects.values_list("url", "event_types"))


def test_endpoints_that_took_every_event_take_reassignments_and_picked_ones_stay(at_latest):
    apps = migrate(BEFORE)
    Endpoint = apps.get_model("booking_webhooks", "WebhookEndpoint")
    for url, events, active in [
        ("https://every.example/", EVERY_EVENT_BEFORE, True),
        ("https://every-shuffled.example/", list(reversed(EVERY_EVENT_BEFORE)), True),
        ("https://every-but-off.example/", EVERY_EVENT_BEFORE, False),
        ("https://picked.example/", ["booking.created", "booking.outcome"], True),
        ("https://nothing.example/", [], True),
    ]:
        Endpoint.objects.create(url=url, event_types=events, is_active=active, secret="whsec_x")

    every_event = [
        "booking.created",
        "booking.moved",
        "booking.reassigned",
        "booking.cancelled",
        "booking.outcome",
    ]
    assert events_by_url(migrate(AFTER)) == {
        "https://every.example/": every_event,
        "https://every-shuffled.example/": every_event,
        "https://every-but-off.example/": every_event,
        "https://picked.example/": ["booking.created", "booking.outcome"],
        "https://nothing.example/": [],
    }

    # Back before the event existed: no endpoint lists it, and the rest of each list stays.
    Endpoint = migrate(AFTER).get_model("booking_webhooks", "WebhookEndpoint")
    Endpoint.objects.create(
        url="https://only-reassigned.example/",
        event_types=["booking.reassigned"],
        secret="whsec_x",
    )
    back = events_by_url(migrate(BEFORE))
    assert back["https://every.example/"] == EVERY_EVENT_BEFORE
    assert back["https://picked.example/"] == ["booking.created", "booking.outcome"]
    assert back["https://only-reassigned.example/"] == []
