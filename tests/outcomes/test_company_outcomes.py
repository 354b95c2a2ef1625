"""Reps served by the company's Zoom account: their meetings' events come to the company app's
endpoint, and the check reads Zoom's list with the account token and its `:admin` scope."""

import pytest

from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES
from meetings.models import LinkState
from meetings.zoom import links as zoom_links
from outcomes.models import Source
from outcomes.rules import Outcome
from outcomes.zoom.check import check_after_meeting
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

from .conftest import meeting_is_over, outcome_of, wait_for_outcome

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


@pytest.fixture
def served_booking(live_sandbox, settings):
    def make(*, with_list_scope: bool = False):
        if with_list_scope:
            live_sandbox.register_app(
                client_id=settings.ZOOM_ACCOUNT_CLIENT_ID,
                client_secret=settings.ZOOM_ACCOUNT_CLIENT_SECRET,
                redirect_uris=[settings.SITE_URL + "/integrations/zoom/account/callback/"],
                webhook_url=settings.SITE_URL + "/integrations/zoom/account/webhook/",
                webhook_secret_token=settings.ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN,
                scopes=" ".join(
                    [*ACCOUNT_GRANULAR_SCOPES, "meeting:read:list_past_participants:admin"]
                ),
                management="admin",
            )
        rep = RepFactory(email="ann@corp.example")
        zoom_admin()
        connected_company(live_sandbox, "ann@corp.example")
        booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep))
        assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
        booking.refresh_from_db()
        return booking

    return make


def test_the_company_apps_events_decide_a_served_reps_outcome(
    live_sandbox, served_booking, worker_mail
):
    booking = served_booking()
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    record = wait_for_outcome(booking, Outcome.HELD)
    assert record.source == Source.EVENTS
    deliveries = live_sandbox.webhook_deliveries("meeting.ended")
    assert [d["url"].endswith("/integrations/zoom/account/webhook/") for d in deliveries] == [True]


def test_the_check_uses_the_account_token_and_its_admin_scope(
    live_sandbox, served_booking, worker_mail, settings
):
    live_sandbox.set_knobs(activity_events_lost=["*"])
    booking = served_booking(with_list_scope=True)
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    meeting_is_over(booking)
    check_after_meeting(booking.pk)
    assert outcome_of(booking).outcome == Outcome.HELD
    [call] = live_sandbox.calls("/participants")
    assert call["status"] == 200 and call["client_id"] == settings.ZOOM_ACCOUNT_CLIENT_ID


def test_without_the_admin_scope_the_company_app_names_it(
    live_sandbox, served_booking, worker_mail
):
    live_sandbox.set_knobs(activity_events_lost=["*"])
    booking = served_booking()
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    meeting_is_over(booking)
    check_after_meeting(booking.pk)
    assert "meeting:read:list_past_participants:admin" in outcome_of(booking).unavailable_reason
