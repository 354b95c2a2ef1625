import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from accounts.models import User
from meetings.models import MeetingType


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
    assert MeetingType.objects.count() == 1
    assert authenticate(username="admin@example.com", password=DEMO_PASSWORD).is_staff
