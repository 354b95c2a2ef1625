"""Help text and errors are linked to their inputs: every aria-describedby on the site's forms names
an element that exists on the page (the bug was ids that pointed nowhere), each field with an error
points at it, and the flash messages are announced from one status region."""

from html.parser import HTMLParser

import pytest

from meetings import guest_access
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.meetings.schedule_data import NEW_SCHEDULE, override_rows, schedule_data
from tests.meetings.test_booking_form import question_rows
from tests.meetings.test_meeting_type_views import NEW, valid_data

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str, bool]] = []  # (tag name, id it names, invalid)
        self.roles: list[tuple[str, str, str]] = []  # (tag, class, role)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for target in (attrs.get("aria-describedby") or "").split():
            self.described.append((attrs.get("name") or tag, target, "aria-invalid" in attrs))
        if attrs.get("role"):
            self.roles.append((tag, attrs.get("class") or "", attrs["role"]))


def parsed(response) -> _Ids:
    assert response.status_code == 200
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser


def assert_links_resolve(page: _Ids) -> None:
    missing = [(name, target) for name, target, _ in page.described if target not in page.ids]
    assert not missing, f"aria-describedby names ids that do not exist: {missing}"


def invalid_fields(page: _Ids) -> set[str]:
    return {
        name for name, target, invalid in page.described if invalid and target.endswith("_error")
    }


def test_the_meeting_type_form_links_help_and_every_error(rep_client):
    assert_links_resolve(parsed(rep_client.get(NEW)))
    data = valid_data(duration_minutes="", **question_rows(("Budget", "choice", "Only", False)))
    page = parsed(rep_client.post(NEW, data))
    assert_links_resolve(page)
    assert {"duration_minutes", "questions-0-choices"} <= invalid_fields(page)


def test_the_schedule_form_links_help_and_every_error(rep_client):
    assert_links_resolve(parsed(rep_client.get(NEW_SCHEDULE)))
    data = schedule_data(
        (0, "17:00", "09:00"), overrides=override_rows(("2030-12-27", "hours", "14:00", ""))
    )
    page = parsed(rep_client.post(NEW_SCHEDULE, data))
    assert_links_resolve(page)
    assert {"hours-0-end", "overrides-0-end"} <= invalid_fields(page)


def test_the_profile_and_sign_up_forms_link_help_and_errors(rep_client, client):
    assert_links_resolve(parsed(rep_client.get("/accounts/profile/")))
    page = parsed(rep_client.post("/accounts/profile/", {"name": "", "time_zone": "Mars/Base"}))
    assert_links_resolve(page)
    assert {"name", "time_zone"} <= invalid_fields(page)
    client.logout()
    assert_links_resolve(parsed(client.get("/accounts/signup/")))


def test_the_prospects_forms_link_help_and_errors(client):
    meeting_type = MeetingTypeFactory()
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"
    assert_links_resolve(parsed(client.get(url)))
    start = next_slot(days=3).isoformat()
    confirm = url + "confirm/"
    page = parsed(
        client.post(confirm + f"?start={start}", {"name": "", "email": "no", "start": start})
    )
    assert_links_resolve(page)
    assert {"name", "email"} <= invalid_fields(page)

    booking = BookingFactory(meeting_type=meeting_type)
    token = guest_access.token_for(booking)
    for path in ("", "cancel/", "reschedule/"):
        assert_links_resolve(parsed(client.get(f"/bookings/guest/{token}/{path}")))


def test_messages_are_announced_from_one_status_region_around_the_list(rep_client, rep):
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(
            rep=rep, location_kind="phone", location_detail="+1 415 555 0100"
        )
    )
    response = rep_client.post(f"/bookings/{booking.pk}/cancel/", {"reason": ""}, follow=True)
    page = parsed(response)
    assert ("div", "messages", "status") in page.roles
    assert not [r for r in page.roles if r[0] in ("ul", "li") and r[2] == "status"]
    assert "The meeting is cancelled" in response.content.decode()


def test_the_error_summary_links_every_mistake_to_its_field_in_page_order(rep_client):
    import re

    data = valid_data(
        duration_minutes="",
        location_kind="phone",
        location_detail="",
        **question_rows(("", "choice", "Yes\nNo", False)),
    )
    page = rep_client.post(NEW, data).content.decode()
    (summary,) = re.findall(r"<div class=\"error-summary.*?</div>", page, re.S)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary  # form_errors.js focuses it
    assert "Nothing was saved." in summary
    anchors = re.findall(r'<a href="#([^"]+)">', summary)
    assert anchors == [
        "id_duration_minutes",
        "id_location_detail",
        "id_questions-0-label",
    ]
    ids = parsed(rep_client.post(NEW, data)).ids
    assert set(anchors) <= ids  # every link lands on an input that exists
    assert "js/form_errors.js" in page


def test_a_radio_group_mistake_links_to_its_first_choice(rep_client):
    import re

    page = rep_client.post(NEW, valid_data(location_kind="")).content.decode()
    assert re.search(r'<a href="#id_location_kind_0">Location: ', page)
