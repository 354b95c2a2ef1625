"""A rep whose own Zoom connection is broken but whom the company's Zoom account serves is told
what is true on every page: the company's account makes their meetings, their own connection is
not used, new meetings wait for no reconnect. The company page is reached from the admin index, the
roster and (for who may manage it) My Integrations, and says "In use"/"Not used" as the rep's page
does."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES
from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.notifications import notify_needs_reconnect
from meetings.zoom.pages import zoom_state_for_page
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGE = "/integrations/zoom/account/"
RECONNECT = re.compile(r"reconnect zoom|until you reconnect|zoom needs reconnecting", re.I)


def company_serving(*reps, status=ZoomCompanyAccount.Status.CONNECTED) -> ZoomCompanyAccount:
    """The company's Zoom account (as a connect leaves it) with a Zoom user for each rep."""
    company = ZoomCompanyAccount.objects.create(
        status=status,
        zoom_account_id="corpaccount",
        admin_zoom_user_id="corpadmin",
        admin_zoom_email="admin@corp.example",
        access_token="eyJcompany.access",
        refresh_token="eyJcompany.refresh",
        scopes=" ".join(ACCOUNT_GRANULAR_SCOPES),
    )
    for n, rep in enumerate(reps):
        ZoomCompanyMember.objects.create(
            account=company,
            rep=rep,
            state=ZoomCompanyMember.State.SERVED,
            zoom_user_id=f"corpuser{n}",
            zoom_email=rep.email,
            zoom_user_type=ZoomConnection.UserType.LICENSED,
        )
    return company


def broken_own_connection(rep) -> ZoomConnection:
    connection = ZoomConnectionFactory(user=rep)
    connection.mark_needs_reconnect(ReconnectReason.INVALID_GRANT)
    return connection


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def manager():
    staff = RepFactory(is_staff=True)
    for codename in ("manage_zoom_account", "view_zoomrosterentry"):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return staff


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def served_rep(rep):
    broken_own_connection(rep)
    company_serving(rep)
    return rep


def test_the_one_reading_says_served_by_the_company_with_the_own_connection_unused(served_rep):
    state = zoom_state_for_page(served_rep)
    assert (state.key, state.own_unused, state.works, state.needs_the_rep) == (
        "company",
        "needs_reconnect",
        True,
        False,
    )


def test_a_connection_removed_in_zoom_is_unused_too(rep):
    ZoomConnectionFactory(user=rep).mark_removed()
    company_serving(rep)
    state = zoom_state_for_page(rep)
    assert (state.key, state.own_unused) == ("company", "removed")
    page = page_of(signed_in(rep), "/dashboard/")
    assert 'id="zoom-attention-banner"' not in page
    assert "Your own Zoom connection is not used (it was removed in Zoom)" in page


def test_no_page_tells_a_served_rep_to_reconnect(served_rep, rep_client):
    meeting_type = MeetingTypeFactory(rep=served_rep)
    booking = BookingFactory(meeting_type=meeting_type)
    pages = {
        "dashboard": "/dashboard/",
        "my integrations": "/integrations/",
        "meeting types": "/meeting-types/",
        "meeting type form": f"/meeting-types/{meeting_type.pk}/edit/",
        "new meeting type": "/meeting-types/new/",
        "bookings": "/bookings/",
        "booking page": f"/bookings/{booking.pk}/",
        "public booking page": f"/book/{served_rep.booking_slug}/{meeting_type.slug}/",
    }
    for name, url in pages.items():
        page = page_of(rep_client, url)
        assert 'id="zoom-attention-banner"' not in page, name
        assert not RECONNECT.search(page.replace("Reconnect only if", "")), name

    dashboard = page_of(rep_client, "/dashboard/")
    assert "Zoom is provided by your company's Zoom account" in dashboard
    assert "Your own Zoom connection is not used (Zoom stopped accepting it)" in dashboard


def test_my_integrations_says_the_own_connection_is_not_used_and_the_company_is(
    served_rep, rep_client
):
    page = page_of(rep_client, "/integrations/")
    assert re.search(r"Zoom from your company\s*<span class=\"badge badge--ok\">In use", page)
    assert 'id="zoom-own-unused"' in page and "makes your new meetings" in page
    assert 'role="alert"' not in page
    # A rep who may not manage the company's account is not offered its page.
    assert ACCOUNT_PAGE not in page


def test_a_broken_own_connection_without_the_company_still_asks_for_a_reconnect(rep, rep_client):
    broken_own_connection(rep)
    company_serving()  # the company's account has no Zoom user for this rep
    for url in ("/dashboard/", "/integrations/", "/meeting-types/"):
        page = page_of(rep_client, url)
        assert RECONNECT.search(page), url
    assert 'id="zoom-attention-banner"' in page_of(rep_client, "/bookings/")


def test_a_broken_own_connection_while_the_company_account_is_down_asks_for_a_reconnect(rep):
    broken_own_connection(rep)
    company_serving(rep, status=ZoomCompanyAccount.Status.NEEDS_RECONNECT)
    assert zoom_state_for_page(rep).key == "needs_reconnect"
    assert 'id="zoom-attention-banner"' in page_of(signed_in(rep), "/dashboard/")


def test_the_admin_overview_and_roster_count_a_served_rep_as_served_not_needing_reconnect(
    served_rep,
):
    broken_alone = RepFactory()
    broken_own_connection(broken_alone)
    company_never_asked = RepFactory()
    index = page_of(signed_in(manager()), "/admin/")

    def count(status):
        found = re.search(rf'data-status="{status}">\s*<a [^>]*><strong>(\d+)</strong>', index)
        return int(found.group(1))

    assert (count("needs_reconnect"), count("company")) == (1, 1)
    assert company_never_asked.pk  # never connected: neither
    roster = page_of(signed_in(manager()), "/admin/integrations/zoomrosterentry/?status=company")
    assert served_rep.email in roster and broken_alone.email not in roster
    assert "own Zoom connection not used: needs reconnecting" in roster


def test_the_company_page_is_linked_from_the_admin_index_roster_and_my_integrations():
    staff = signed_in(manager())
    for url in ("/admin/", "/admin/integrations/zoomrosterentry/", "/integrations/"):
        assert f'href="{ACCOUNT_PAGE}"' in page_of(staff, url), url
    assert page_of(staff, ACCOUNT_PAGE)


def test_staff_who_may_not_manage_the_company_account_get_no_link_to_it():
    staff = RepFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_zoomrosterentry"))
    client = signed_in(staff)
    for url in ("/admin/", "/admin/integrations/zoomrosterentry/", "/integrations/"):
        assert ACCOUNT_PAGE not in page_of(client, url), url
    assert client.get(ACCOUNT_PAGE).status_code == 403


def test_in_use_and_not_used_agree_between_the_company_page_and_the_reps_pages():
    own_works = RepFactory(email="own@corp.example")
    own_broken = RepFactory(email="broken@corp.example")
    company_only = RepFactory(email="company@corp.example")
    ZoomConnectionFactory(user=own_works)
    broken_own_connection(own_broken)
    company_serving(own_works, own_broken, company_only)
    company_page = page_of(signed_in(manager()), ACCOUNT_PAGE)

    for rep, word in ((own_works, "Not used"), (own_broken, "In use"), (company_only, "In use")):
        row = re.search(rf'<tr data-rep="{rep.email}">(.*?)</tr>', company_page, re.S).group(1)
        assert f">{word}</span>" in row, rep.email
        own_page = page_of(signed_in(rep), "/integrations/")
        badge = re.search(r"Zoom from your company\s*<span class=\"badge[^\"]*\">([^<]+)", own_page)
        assert badge.group(1) == word, rep.email
        expected_key = "connected" if word == "Not used" else "company"
        assert zoom_state_for_page(rep).key == expected_key


def test_a_served_rep_is_not_emailed_to_reconnect_but_an_admin_may_still_send_it(served_rep):
    connection = ZoomConnection.objects.get(user=served_rep)
    assert notify_needs_reconnect(connection) is False
    assert mail.outbox == []
    assert notify_needs_reconnect(connection, force=True) is True
    assert [m.to for m in mail.outbox] == [[served_rep.email]]


def test_a_rep_the_company_does_not_serve_is_emailed_to_reconnect(rep):
    connection = broken_own_connection(rep)
    company_serving()
    assert notify_needs_reconnect(connection) is True


def test_a_served_rep_is_emailed_when_a_booking_waits_for_their_own_connection(served_rep):
    BookingFactory(
        meeting_type=MeetingTypeFactory(rep=served_rep), link_state="waiting_for_reconnect"
    )
    connection = ZoomConnection.objects.get(user=served_rep)
    assert notify_needs_reconnect(connection) is True
