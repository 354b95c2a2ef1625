from datetime import UTC, datetime

from integrations.zoom.connection.models import ZoomConnection


def test_rep_pages_show_times_in_the_reps_zone(rep_client, rep):
    rep.time_zone = "America/Chicago"
    rep.save()
    ZoomConnection.objects.create(
        user=rep,
        status=ZoomConnection.Status.CONNECTED,
        zoom_email="z@example.com",
        zoom_user_id="zoom-user-1",
        zoom_account_id="zoom-account-1",
        connected_at=datetime(2026, 1, 15, 15, 0, tzinfo=UTC),
    )
    body = rep_client.get("/integrations/").content.decode()
    assert "Jan. 15, 2026, 09:00 (America/Chicago)" in body


def test_a_bookings_next_try_and_zoom_change_are_in_the_reps_zone(rep_client, rep):
    from meetings.zoom.state import LinkState
    from tests.meetings.factories import BookingFactory, MeetingTypeFactory

    rep.time_zone = "America/Chicago"
    rep.save()
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep),
        link_state=LinkState.PENDING,
        link_last_error="Zoom's daily limit for this user is reached.",
        link_next_attempt_at=datetime(2026, 1, 16, 0, 5, tzinfo=UTC),
        zoom_change_note="The host moved it in Zoom.",
        zoom_changed_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC),
    )
    body = rep_client.get(f"/bookings/{booking.pk}/").content.decode()
    # 00:05 UTC on the 16th is 18:05 on the 15th in Chicago; 23:30 UTC is 17:30.
    assert "we try again at Thu 15 Jan, 18:05 (Chicago time)" in body
    assert "Changed in Zoom</strong> Thu 15 Jan, 17:30 (Chicago time)" in body
