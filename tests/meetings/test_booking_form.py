"""The booking form: a Meeting Type's own questions (set on the Meeting Type form, answered by
the guest, kept on the booking as asked and shown to the rep), up to ten other guests, and
everything typed kept when the time was taken meanwhile."""

import re

import pytest

from meetings.models import Booking
from meetings.questions import Question, answers_text
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.meetings.test_meeting_type_views import NEW, valid_data

pytestmark = pytest.mark.django_db


def question_rows(*rows, initial: int = 0) -> dict:
    """The questions formset's fields for rows of (label, kind, choices, required)."""
    data = {"questions-TOTAL_FORMS": str(len(rows)), "questions-INITIAL_FORMS": str(initial)}
    for index, (label, kind, choices, required) in enumerate(rows):
        data |= {
            f"questions-{index}-label": label,
            f"questions-{index}-kind": kind,
            f"questions-{index}-choices": choices,
        }
        if required:
            data[f"questions-{index}-required"] = "on"
    return data


@pytest.fixture
def meeting_type(db):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    Question.objects.create(
        meeting_type=meeting_type, label="What should we cover?", kind="long", position=0
    )
    Question.objects.create(
        meeting_type=meeting_type,
        label="Team size",
        kind="choice",
        choices="1–10\n11–50\nMore",
        required=True,
        position=1,
    )
    return meeting_type


def confirm_url(meeting_type) -> str:
    return f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/confirm/"


def details(meeting_type, **overrides) -> dict:
    first, second = meeting_type.questions.all()
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "start": next_slot().isoformat(),
        "time_zone": "Europe/London",
        first.field_name: "Pricing\nand the API",
        second.field_name: "11–50",
        "additional_guests": "grace@example.org, Charles@Example.org\nada@example.org",
    }
    data.update(overrides)
    return data


def test_the_rep_adds_questions_in_order_and_a_list_needs_two_choices(rep_client, rep):
    data = valid_data(
        **question_rows(
            ("Company", "short", "", True),
            ("Budget", "choice", "Small\n\nLarge\nSmall", False),
            ("Anything else?", "long", "ignored for text", False),
        )
    )
    assert rep_client.post(NEW, data).status_code == 302
    questions = list(Question.objects.filter(meeting_type__rep=rep))
    assert [(q.label, q.kind, q.choices, q.required, q.position) for q in questions] == [
        ("Company", "short", "", True, 0),
        ("Budget", "choice", "Small\nLarge", False, 1),
        ("Anything else?", "long", "", False, 2),
    ]
    page = rep_client.post(
        NEW, valid_data(slug="other", **question_rows(("Budget", "choice", "Only", False)))
    ).content.decode()
    assert "Give at least two choices, one per line." in page
    assert '<a href="#id_questions-0-choices">Choices, one per line: Give at least two' in page


def test_editing_the_questions_replaces_them_and_past_answers_stay_as_asked(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep, slug="intro")
    Question.objects.create(meeting_type=meeting_type, label="Old wording", position=0)
    booking = BookingFactory(
        meeting_type=meeting_type, answers=[{"question": "Old wording", "answer": "Yes"}]
    )
    page = rep_client.get(f"/meeting-types/{meeting_type.pk}/edit/").content.decode()
    assert 'value="Old wording"' in page and "Add a question" in page
    data = valid_data(
        **question_rows(("Old wording", "short", "", False), ("", "", "", False), initial=1)
    )
    data["questions-0-DELETE"] = "on"
    data |= {"questions-1-label": "New wording", "questions-1-kind": "short"}
    assert rep_client.post(f"/meeting-types/{meeting_type.pk}/edit/", data).status_code == 302
    assert [q.label for q in meeting_type.questions.all()] == ["New wording"]
    booking.refresh_from_db()
    assert booking.answers == [{"question": "Old wording", "answer": "Yes"}]


def test_the_form_asks_the_types_questions_between_the_email_and_the_other_guests(
    client, meeting_type
):
    page = client.get(
        confirm_url(meeting_type), {"start": next_slot().isoformat(), "tz": "UTC"}
    ).content.decode()
    labels = re.findall(r"<(?:label|legend)[^>]*>([^<]+)", page)
    assert labels.index("Your email") < labels.index("What should we cover? (optional)")
    assert labels.index("Team size") < labels.index("Other guests (optional)")
    first, second = meeting_type.questions.all()
    assert f'<textarea name="{first.field_name}"' in page
    assert f'type="radio" name="{second.field_name}" value="More"' in page
    assert "Up to 10 email addresses" in page


def test_answers_and_other_guests_are_kept_on_the_booking_and_shown_to_the_rep(
    client, meeting_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.post(confirm_url(meeting_type), details(meeting_type))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.answers == [
        {"question": "What should we cover?", "answer": "Pricing\nand the API"},
        {"question": "Team size", "answer": "11–50"},
    ]
    # Each other guest once, and never the guest themselves.
    assert booking.additional_guests == ["grace@example.org", "Charles@Example.org"]
    assert answers_text(booking.answers) == (
        "What should we cover?:\nPricing\nand the API\nTeam size: 11–50"
    )
    client.force_login(meeting_type.rep)
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "<dt>Team size</dt><dd>11–50</dd>" in page
    assert "Pricing<br>and the API" in page
    assert "grace@example.org, Charles@Example.org" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answer": ""}, "This field is required."),
        ({"answer": "Thousands"}, "Select a valid choice."),
        ({"additional_guests": "grace@example.org, not-an-address"}, "is not an email address"),
        (
            {"additional_guests": ", ".join(f"g{n}@example.org" for n in range(11))},
            "Invite at most 10 other guests.",
        ),
    ],
)
def test_bad_answers_or_guests_are_refused_at_their_field_and_book_nothing(
    client, meeting_type, overrides, message
):
    second = meeting_type.questions.all()[1]
    if "answer" in overrides:
        overrides = {second.field_name: overrides["answer"]}
    page = client.post(confirm_url(meeting_type), details(meeting_type, **overrides))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'class="error-summary' in page.content.decode()
    assert not Booking.objects.exists()


def test_a_time_taken_meanwhile_keeps_everything_typed(client, meeting_type):
    taken = BookingFactory(meeting_type=meeting_type, start_at=next_slot(days=3))
    response = client.post(
        confirm_url(meeting_type), details(meeting_type, start=taken.start_at.isoformat())
    )
    follow = client.get(response["Location"]).content.decode()
    assert "no longer available" in follow or "a moment ago" in follow
    page = client.get(
        confirm_url(meeting_type), {"start": next_slot(days=4).isoformat(), "tz": "UTC"}
    ).content.decode()
    first, second = meeting_type.questions.all()
    assert 'value="Ada Lovelace"' in page and 'value="ada@example.org"' in page
    assert "Pricing\nand the API</textarea>" in page
    assert f'name="{second.field_name}" value="11–50"' in page
    assert re.search(rf'name="{second.field_name}" value="11–50"[^>]*checked', page)
    assert "grace@example.org, Charles@Example.org\nada@example.org</textarea>" in page
    assert Booking.objects.count() == 1


def test_more_than_ten_questions_are_refused(rep_client):
    rows = [(f"Question {n}", "short", "", False) for n in range(11)]
    page = rep_client.post(NEW, valid_data(**question_rows(*rows))).content.decode()
    assert "A booking form can ask at most 10 questions." in page
    assert not Question.objects.exists()
