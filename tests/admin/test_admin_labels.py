"""The admin speaks people's words: labels, the admin's time zone, reps only on the roster."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from integrations.models import ReconnectNotice, ZoomRosterEntry
from meetings.models import Booking, InviteDelivery
from tests.admin.conftest import ROSTER_URL
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db


def test_staff_who_are_not_reps_are_not_counted_as_never_connected(superuser_client):
    rep = RepFactory()
    staff_rep = RepFactory(is_staff=True)
    MeetingTypeFactory(rep=staff_rep)
    connected_staff = ZoomConnectionFactory(user=RepFactory(is_staff=True)).user
    listed = set(ZoomRosterEntry.objects.values_list("email", flat=True))
    assert {rep.email, staff_rep.email, connected_staff.email} <= listed
    assert superuser_client.staff.email not in listed


def test_booking_admin_names_times_in_the_admins_zone_and_plural_labels(superuser_client):
    superuser_client.staff.time_zone = "America/Chicago"
    superuser_client.staff.save()
    booking = BookingFactory()
    page = superuser_client.get("/admin/meetings/booking/").content.decode()
    local = timezone.localtime(booking.start_at, timezone=ZoneInfo("America/Chicago"))
    assert f"{local:%Y-%m-%d %H:%M} America/Chicago" in page
    assert str(booking) == f"{booking.guest_name}, {booking.start_at:%Y-%m-%d %H:%M} UTC " + (
        f"({booking.reference})"
    )
    assert InviteDelivery._meta.verbose_name_plural == "invite deliveries"
    assert Booking._meta.verbose_name_plural == "bookings"


def test_reconnect_emails_show_the_status_label_not_its_code(superuser_client):
    connection = ZoomConnectionFactory()
    ReconnectNotice.objects.create(
        rep=connection.user,
        email=connection.user.email,
        connection_status="needs_reconnect",
        reason="invalid_grant",
    )
    page = superuser_client.get("/admin/integrations/reconnectnotice/").content.decode()
    assert ">needs_reconnect<" not in page
    assert ">Needs reconnecting<" in page


def test_the_roster_puts_what_needs_acting_on_first(superuser_client):
    RepFactory()
    page = superuser_client.get(ROSTER_URL).content.decode()
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Status") < header.index("Needs attention") < header.index("Zoom<")
