"""The guest's language: their booking page (from the browser, or switched on the page), kept on
the booking for their later pages and every email and .ics; the rep's pages and emails stay in
English, and a rep's own wording is never translated."""

import re

import pytest
from django.conf import settings
from icalendar import Calendar

from meetings import guest_access
from meetings.meeting_types import DEFAULT_DESCRIPTION_TEMPLATE
from meetings.models import Booking
from meetings.services.invites import send_invites
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


def book_url(meeting_type) -> str:
    return f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"


@pytest.mark.parametrize(
    ("accept", "language", "words"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Uhrzeiten in Ortszeit Berlin"),
        ("fr-CA,fr;q=0.9", "fr", "Horaires à l'heure de Berlin"),
        ("es-MX,es;q=0.8", "es", "Horas en hora de Berlin"),
        ("pt-BR,pt;q=0.9", "pt", "Horários na hora de Berlin"),
        ("ja-JP,ja;q=0.9", "en", "Times in Berlin time"),
    ],
)
def test_the_booking_page_speaks_the_browsers_language(client, accept, language, words):
    meeting_type = MeetingTypeFactory()
    response = client.get(
        book_url(meeting_type), {"tz": "Europe/Berlin"}, HTTP_ACCEPT_LANGUAGE=accept
    )
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and words in page
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_the_month_and_days_are_named_in_the_guests_language(client):
    meeting_type = MeetingTypeFactory()
    page = client.get(
        book_url(meeting_type), {"tz": "UTC", "month": "2030-12"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    # (A month past the horizon is brought back, so read the month the page shows.)
    title = re.search(r'<h2 id="slot-month-title"[^>]*>([^<]+)</h2>', page).group(1)
    assert title.split()[0] in {
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    }
    assert 'abbr="Montag"' in page


def test_the_switch_on_the_page_wins_over_the_browser_and_the_booking_keeps_it(
    client, django_capture_on_commit_callbacks
):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    page = client.get(book_url(meeting_type), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'value="es" lang="es"' in page and 'aria-current="true">Deutsch' in page
    response = client.post("/i18n/setlang/", {"language": "es", "next": book_url(meeting_type)})
    assert response["Location"] == book_url(meeting_type)
    page = client.get(book_url(meeting_type), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="es">' in page and "Elegir una hora" in page
    with django_capture_on_commit_callbacks():
        client.post(
            book_url(meeting_type) + "confirm/",
            {
                "name": "Ada",
                "email": "ada@example.org",
                "start": next_slot().isoformat(),
                "time_zone": "Europe/Madrid",
            },
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert Booking.objects.get().language == "es"


def test_switching_language_on_the_details_form_keeps_what_was_typed_and_books_nothing(client):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    start = next_slot().isoformat()
    response = client.post(
        book_url(meeting_type) + "confirm/",
        {
            "name": "Ada",
            "email": "ada@exam",
            "start": start,
            "time_zone": "Europe/Madrid",
            "switch_language": "es",
        },
    )
    assert response.status_code == 302 and not Booking.objects.exists()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="es">' in page
    assert 'value="Ada"' in page and 'value="ada@exam"' in page
    assert 'class="error-summary' not in page  # not checked yet: nothing was submitted
    assert "Europe/Madrid" in page


def test_the_guests_pages_use_the_bookings_language_and_its_switch_keeps_the_new_one(client):
    booking = BookingFactory(language="fr", guest_time_zone="Europe/Paris")
    url = guest_access.manage_path(booking)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="fr">' in page and "Besoin de changer ?" in page
    assert f'action="{url}language/"' in page
    response = client.post(url + "language/", {"language": "pt", "next": url})
    assert response["Location"] == url
    booking.refresh_from_db()
    assert booking.language == "pt"
    assert "Precisa de alterar?" in client.get(url).content.decode()
    # A GET changes nothing; a made-up language is ignored.
    assert client.get(url + "language/").status_code == 405
    client.post(url + "language/", {"language": "xx", "next": url})
    booking.refresh_from_db()
    assert booking.language == "pt"


def test_a_forged_next_on_the_guests_switch_goes_back_to_the_booking(client):
    booking = BookingFactory()
    url = guest_access.manage_path(booking)
    response = client.post(url + "language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == url


def test_the_reps_pages_stay_in_english(rep_client, rep):
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep), language="de")
    page = rep_client.get(f"/bookings/{booking.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Reschedule" in page and "Verschieben" not in page
    assert "Deutsch" in page  # the guest's language, named for the rep


def ready(**fields):
    return BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url="https://zoom.example/j/81234567890",
        zoom_passcode="a1B2c3",
        zoom_chain="personal",
        **fields,
    )


def calendar_of(message) -> Calendar:
    (part,) = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def test_the_guests_emails_and_calendar_file_are_in_their_language_the_reps_in_english(
    mailoutbox,
):
    booking = ready(language="de", guest_time_zone="Europe/Berlin")
    assert booking.meeting_type.invite_description_template == DEFAULT_DESCRIPTION_TEMPLATE
    send_invites(booking.pk)
    guest = next(m for m in mailoutbox if m.to == [booking.guest_email])
    rep = next(m for m in mailoutbox if m.to == [booking.rep.email])
    assert (
        guest.subject.startswith("Einladung: ") and guest.extra_headers["Content-Language"] == "de"
    )
    assert "Sie haben ein neues Meeting:" in guest.body
    assert "(Ortszeit Berlin)" in guest.body and "Zoom beitreten:" in guest.body
    weekday = booking.start_at.astimezone().strftime("%A")
    assert weekday not in guest.body  # the weekday is German too
    event = calendar_of(guest).walk("VEVENT")[0]
    assert event["DESCRIPTION"].params["LANGUAGE"] == "de"
    assert "Meeting-ID: 81234567890" in str(event["DESCRIPTION"])
    assert rep.subject.startswith("Invitation: ") and "You have a new meeting:" in rep.body
    assert "Meeting ID: 81234567890" in str(calendar_of(rep).walk("VEVENT")[0]["DESCRIPTION"])


def test_a_reps_own_wording_is_never_translated(mailoutbox):
    meeting_type = MeetingTypeFactory(
        invite_title_template="Kennenlernen mit {{ rep.name }}",
        invite_description_template="Bring your roadmap. {{ zoom.join_url }}",
    )
    booking = ready(meeting_type=meeting_type, language="fr")
    send_invites(booking.pk)
    guest = next(m for m in mailoutbox if m.to == [booking.guest_email])
    assert guest.subject == f"Invitation : Kennenlernen mit {booking.rep.display_name}"
    assert "Bring your roadmap." in guest.body and "Vous avez une nouvelle réunion" in guest.body
