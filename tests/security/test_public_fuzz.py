"""Every public endpoint, fed generated parameters, headers and bodies, answers without a 500.

Property-based (Hypothesis): the examples lean on what broke before (dates at the calendar's
edges, non-ASCII and very long header values, deep JSON, control characters) and on plain noise.
"""

import json
import string
import time
from datetime import UTC, timedelta, timezone

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.zoom.webhooks.envelope import signature_for
from meetings import guest_access
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
edge_moments = st.datetimes(timezones=st.one_of(st.just(UTC), offsets)).map(
    lambda moment: moment.isoformat()
)
edge_days = st.dates().map(lambda day: day.isoformat())
noise = st.text(max_size=60)
digits = st.integers(min_value=0, max_value=10**400).map(str)
calendar_edges = st.sampled_from(
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:00:00+00:00",
        "9999-12-31",
        "",
    ]
)
values = st.one_of(calendar_edges, edge_moments, edge_days, noise, digits)
zones = st.one_of(noise, st.sampled_from(["UTC", "Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12"]))


def deep_json(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def meeting_type():
    return MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")


@pytest.fixture
def booking(meeting_type):
    return BookingFactory(meeting_type=meeting_type)


def no_server_error(response) -> None:
    assert response.status_code < 500, response.content[:300]


# What a probe of the running app found, kept as plain cases next to the generated ones.
@pytest.mark.parametrize(
    "path, query",
    [
        ("confirm/", {"start": "0001-01-01T00:00:00+01:00"}),
        ("confirm/", {"start": "9999-12-31T23:00:00+00:00", "tz": "Asia/Tokyo"}),
        ("", {"from": "9999-12-31"}),
    ],
)
def test_the_dates_that_broke_the_booking_pages(client, meeting_type, path, query):
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/{path}"
    no_server_error(client.get(url, query))


@pytest.mark.parametrize("query", [{"from": "9999-12-31"}, {"start": "0001-01-01T00:00:00+01:00"}])
def test_the_dates_that_broke_the_guest_reschedule_page(client, booking, query):
    url = guest_access.manage_path(booking) + "reschedule/"
    no_server_error(client.get(url, query))
    no_server_error(client.post(url, query))


@pytest.mark.parametrize(
    "timestamp, signature, body",
    [
        ("now", "v0=é", b"{}"),
        ("9" * 400, "v0=abc", b"{}"),
        ("١٧٠٠٠٠٠٠٠٠", "v0=abc", b"{}"),
    ],
)
def test_the_headers_that_broke_the_webhook(client, timestamp, signature, body):
    if timestamp == "now":
        timestamp = str(int(time.time()))
    response = client.post(
        "/integrations/zoom/webhook/",
        body,
        content_type="application/json",
        HTTP_X_ZM_REQUEST_TIMESTAMP=timestamp,
        HTTP_X_ZM_SIGNATURE=signature,
    )
    assert response.status_code == 401


def test_deeply_nested_json_from_zoom_is_a_400(client, settings):
    body = deep_json(100_000)
    timestamp = str(int(time.time()))
    response = client.post(
        "/integrations/zoom/webhook/",
        body,
        content_type="application/json",
        HTTP_X_ZM_REQUEST_TIMESTAMP=timestamp,
        HTTP_X_ZM_SIGNATURE=signature_for(settings.ZOOM_WEBHOOK_SECRET_TOKEN, timestamp, body),
    )
    assert response.status_code == 400


@FUZZ
@given(tz=zones, first=values)
def test_the_booking_page(client, meeting_type, tz, first):
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"
    no_server_error(client.get(url, {"tz": tz, "from": first}))


@FUZZ
@given(start=values, tz=zones, name=noise, email=st.one_of(st.emails(), noise), post=st.booleans())
def test_the_confirm_page(client, meeting_type, start, tz, name, email, post):
    url = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/confirm/"
    if post:
        data = {"start": start, "time_zone": tz, "name": name, "email": email}
        no_server_error(client.post(url + f"?start={start}", data))
    else:
        no_server_error(client.get(url, {"start": start, "tz": tz, "time_zone": tz}))


@FUZZ
@given(start=values, tz=zones, first=values, page=st.sampled_from(["", "link/", "reschedule/"]))
def test_the_guest_pages(client, booking, start, tz, first, page):
    base = guest_access.manage_path(booking)
    no_server_error(client.get(base + page, {"tz": tz, "from": first}))
    no_server_error(client.post(base + "reschedule/", {"start": start}))


@FUZZ
@given(token=st.text(alphabet=string.printable.replace("/", "").replace("?", "").replace("#", "")))
def test_forged_guest_tokens(client, booking, token):
    for page in ("", "link/", "reschedule/"):
        no_server_error(client.get(f"/bookings/guest/{token or 'x'}/{page}"))
    no_server_error(client.post(f"/bookings/guest/{token or 'x'}/cancel/"))


header_values = st.one_of(noise, digits, st.text(min_size=1, max_size=400))


@FUZZ
@given(
    timestamp=header_values,
    signature=header_values,
    body=st.one_of(
        st.binary(max_size=200),
        st.integers(min_value=1, max_value=200_000).map(deep_json),
        st.dictionaries(st.text(max_size=10), st.text(max_size=10)).map(
            lambda d: json.dumps(d).encode()
        ),
    ),
)
def test_the_webhook(client, timestamp, signature, body):
    no_server_error(
        client.post(
            "/integrations/zoom/webhook/",
            body,
            content_type="application/json",
            HTTP_X_ZM_REQUEST_TIMESTAMP=timestamp,
            HTTP_X_ZM_SIGNATURE=signature,
        )
    )


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["code", "state", "error", "install"]), values))
def test_the_oauth_callback(client, rep, params):
    no_server_error(client.get("/integrations/zoom/callback/", params))
    client.force_login(rep)
    no_server_error(client.get("/integrations/zoom/callback/", params))
    client.logout()


@FUZZ
@given(login=noise, password=noise, next_url=values)
def test_the_login_pages(client, login, password, next_url):
    no_server_error(client.post("/accounts/login/", {"login": login, "password": password}))
    no_server_error(client.get("/admin/login/", {"next": next_url}))
    no_server_error(client.get("/accounts/login/", {"next": next_url}))
