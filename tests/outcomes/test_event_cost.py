"""What applying one meeting event costs: a bounded number of queries whatever the meeting's
history (no query per participant or per earlier event), and nothing for other meetings."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.zoom.webhooks.deliveries import process_webhook_event
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings.models import LinkState
from tests.meetings.factories import BookingFactory
from tests.unit.test_outcome_activity import HELD

pytestmark = pytest.mark.django_db
# Measured: 13 for the first event of a meeting (it creates the outcome's row), 12 for the end
# (it decides, and looks for outgoing webhooks to tell), 10 for each other one (savepoints and the
# delivery's own bookkeeping included); 7 for another meeting's.
FIRST_EVENT, DECIDING_EVENT, EACH_EVENT, NOT_OURS = 13, 12, 10, 7


# A delivery's fingerprint is unique; `id()` of a dict freed by the previous call may be reused,
# so each delivery takes the next number instead.
_deliveries = itertools.count()


def _apply(name, obj, meeting_id) -> int:
    obj = {**obj, "id": meeting_id}
    delivery = ZoomWebhookEvent.objects.create(
        fingerprint=f"{name}-{obj.get('participant', {}).get('user_id', '')}-{next(_deliveries)}",
        event=name,
        payload={"account_id": "a", "object": obj},
    )
    with CaptureQueriesContext(connection) as queries:
        process_webhook_event(delivery.pk)
    return len(queries)


def test_each_event_takes_a_bounded_number_of_queries():
    booking = BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_chain="personal",
        zoom_join_url="https://zoom.example/j/81234567890",
    )
    costs = [_apply(name, obj, booking.zoom_meeting_id) for name, obj in HELD * 3]
    ended = [name for name, _obj in HELD].index("meeting.ended")
    assert costs[0] <= FIRST_EVENT, costs
    assert costs[ended] <= DECIDING_EVENT, costs
    # The third meeting's worth of events costs what the first did: nothing grows with history.
    others = [cost for index, cost in enumerate(costs) if index not in (0, ended)]
    assert max(others) <= EACH_EVENT, costs
    assert booking.outcome.outcome == "held"


def test_an_event_of_another_meeting_costs_one_lookup_of_ours():
    costs = [_apply(name, obj, "99999999999") for name, obj in HELD[:2]]
    assert max(costs) <= NOT_OURS, costs
