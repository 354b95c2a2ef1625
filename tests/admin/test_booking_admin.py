"""Bookings in the admin: link state at a glance, a logged retry, and no hand edits."""

from django.contrib.admin.models import LogEntry

from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.admin.conftest import staff_client
from tests.meetings.factories import BookingFactory

CHANGELIST = "/admin/meetings/booking/"


def failed_booking() -> Booking:
    return BookingFactory(
        link_state=LinkState.FAILED,
        link_attempts=8,
        link_last_error="Zoom kept failing after 8 attempts",
        zoom_meeting_id="85746065432",
    )


def test_the_list_shows_link_state_attempts_last_error_and_meeting_id(superuser_client):
    failed_booking()
    page = superuser_client.get(CHANGELIST).content.decode()
    for text in ("Zoom link failed", "Zoom kept failing after 8 attempts", "85746065432"):
        assert text in page


def test_retrying_a_failed_booking_puts_it_back_in_line_and_is_logged(superuser_client):
    booking = failed_booking()
    response = superuser_client.post(
        CHANGELIST, {"action": "retry_zoom_link", "_selected_action": [booking.pk]}, follow=True
    )
    assert "1 booking(s) put back in line." in response.content.decode()
    booking.refresh_from_db()
    assert (booking.link_state, booking.link_attempts) == (LinkState.PENDING, 0)
    entry = LogEntry.objects.get(object_id=str(booking.pk))
    assert entry.user == superuser_client.staff
    assert "Zoom link back in line" in entry.get_change_message()


def test_staff_who_may_only_view_bookings_cannot_retry(db):
    booking = failed_booking()
    viewer = staff_client("meetings.view_booking")
    page = viewer.get(CHANGELIST).content.decode()
    assert "retry_zoom_link" not in page
    viewer.post(CHANGELIST, {"action": "retry_zoom_link", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.link_state == LinkState.FAILED


def test_bookings_cannot_be_added_edited_or_deleted_by_hand(superuser_client):
    booking = failed_booking()
    assert superuser_client.get(f"{CHANGELIST}add/").status_code == 403
    change_page = superuser_client.get(f"{CHANGELIST}{booking.pk}/change/").content.decode()
    assert 'name="_save"' not in change_page
    assert superuser_client.get(f"{CHANGELIST}{booking.pk}/delete/").status_code == 403
