import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from accounts.models import User
from meetings.meeting_types import MeetingType


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # the demo's setting; the tests run with debug off like Django's


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_a_rep_who_can_log_in_with_a_bookable_zoom_meeting_type(db, capsys):
    call_command("seed_demo")
    assert DEMO_EMAIL in capsys.readouterr().out
    rep = authenticate(username=DEMO_EMAIL, password=DEMO_PASSWORD)
    assert rep is not None and not rep.is_staff
    meeting_type = MeetingType.objects.get(rep=rep)
    assert meeting_type.is_zoom
    assert meeting_type.schedule.windows.count() == 5


def test_seed_demo_can_run_again_without_duplicating_anything(db):
    call_command("seed_demo")
    call_command("seed_demo")
    assert MeetingType.objects.filter(team=None).count() == 1
    assert MeetingType.objects.exclude(team=None).count() == 1
    assert authenticate(username="admin@example.com", password=DEMO_PASSWORD).is_staff


def test_seed_demo_adds_a_team_whose_first_member_in_line_has_broken_zoom(db, capsys):
    from meetings.services.bookings import SlotUnavailable
    from teams.assignment import book_team_meeting
    from teams.demo import BROKEN_EMAIL, SDR_EMAIL, TEAM_SLUG, TYPE_SLUG
    from teams.models import AssignmentSkip, SkipReason
    from teams.selectors import bookable_team_type
    from tests.integrations.factories import ZoomConnectionFactory
    from tests.meetings.factories import next_slot

    call_command("seed_demo")
    call_command("seed_demo")
    assert "/team/sales/product-demo/" in capsys.readouterr().out
    demo = bookable_team_type(TEAM_SLUG, TYPE_SLUG)
    assert demo.is_zoom and demo.members.count() == 2
    assert authenticate(username=SDR_EMAIL, password=DEMO_PASSWORD) is not None
    guest = {"guest_name": "Ada", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}
    weekday = next(n for n in range(7, 14) if next_slot(days=n).weekday() < 5)
    # Nobody can host until the demo rep connects Zoom; then Bo is passed over for the reason.
    with pytest.raises(SlotUnavailable):
        book_team_meeting(demo, start_at=next_slot(days=weekday), **guest)
    ZoomConnectionFactory(user=User.objects.get(email=DEMO_EMAIL))
    booking = book_team_meeting(demo, start_at=next_slot(days=weekday), **guest)
    assert booking.rep.email == DEMO_EMAIL
    skipped = AssignmentSkip.objects.filter(booking=booking).get()
    assert (skipped.rep.email, skipped.reason) == (BROKEN_EMAIL, SkipReason.ZOOM_BROKEN)
