"""The Zoom overview at the top of the admin index: counts, approval blocks, bookings at risk."""

from datetime import timedelta
from html import escape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.connect_failures import ConnectProblem
from meetings.models import Booking
from meetings.zoom.state import LinkState
from scripts.sandbox import PreapprovalRequired
from tests.admin.conftest import ACME
from tests.factories import RepFactory
from tests.integrations import steps
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory, next_slot

pytestmark = pytest.mark.django_db


def overview(client) -> str:
    page = client.get("/admin/").content.decode()
    start = page.index('id="zoom-overview"')
    return page[start : page.index('id="recent-actions-module"', start)]


def count_of(html: str, status: str) -> int:
    tail = html[html.index(f'data-status="{status}"') :]
    return int(tail[tail.index("<strong>") + 8 : tail.index("</strong>")])


def click_connect_and_hit_the_approval_wall(rep, sandbox, zoom_email: str) -> None:
    browser = Client()
    browser.force_login(rep)
    with pytest.raises(PreapprovalRequired):
        sandbox.consent(steps.start_connect(browser), zoom_email)


@pytest.fixture
def walled_account(sandbox):
    sandbox.create_user("admin@walled.example", account_id="walled", requires_preapproval=True)
    return "walled"


def test_the_overview_counts_reps_by_status(superuser_client):
    ZoomConnectionFactory.create_batch(2)
    ZoomConnectionFactory().mark_needs_reconnect(ReconnectReason.USER_GONE)
    RepFactory()

    html = overview(superuser_client)

    assert count_of(html, "connected") == 2
    assert count_of(html, "needs_reconnect") == 1
    # The rep just made; the superuser looking at the page is staff, not a rep.
    assert count_of(html, "never_connected") == 1
    assert count_of(html, "removed") == 0
    assert 'href="/admin/integrations/zoomrosterentry/?status=needs_reconnect"' in html


def test_reps_blocked_by_approval_are_grouped_by_zoom_account_with_the_instructions(
    superuser_client, sandbox, connect_acme_rep, walled_account
):
    # Two reps at walled.example clicked Connect and Zoom kept them (no account known yet).
    for name in ("ann", "bob"):
        rep = RepFactory(email=f"{name}@walled.example")
        sandbox.create_user(f"{name}.zoom@walled.example", account_id=walled_account)
        click_connect_and_hit_the_approval_wall(rep, sandbox, f"{name}.zoom@walled.example")
    # One rep of ACME was connected until ACME's admin withdrew the approval.
    sandbox.create_user("admin@acme.example", account_id=ACME, requires_preapproval=True)
    sandbox.approve(ACME)
    withdrawn = connect_acme_rep()
    sandbox.withdraw_approval(ACME)
    steps_client = Client()
    steps_client.force_login(superuser_client.staff)
    steps_client.post(
        "/admin/integrations/zoomrosterentry/",
        {"action": "test_connection", "_selected_action": [withdrawn.user_id]},
    )

    html = overview(superuser_client)

    section = html[html.index('id="zoom-blocked-by-approval"') :]
    account_link = f'href="/admin/integrations/zoomrosterentry/?zoom_account={ACME}">{ACME}</a>'
    assert f'Zoom account <a class="mono" {account_link}' in section
    assert withdrawn.user.email in section
    assert escape(ReconnectReason.APPROVAL_WITHDRAWN.label) in section
    assert "reps at @walled.example" in section
    assert "(2 reps)" in section
    assert "ann@walled.example" in section and "bob@walled.example" in section
    assert escape(ConnectProblem.APPROVAL_REQUIRED.page.explanation) in section
    assert settings.ZOOM_MARKETPLACE_URL in section
    assert "Manage</strong> → <strong>Permissions" in section
    assert count_of(html, "awaiting_approval") == 2


def test_no_blocked_reps_says_so(superuser_client):
    ZoomConnectionFactory()
    assert "No rep is waiting for a Zoom admin's approval." in overview(superuser_client)


def test_bookings_whose_links_failed_or_are_pending_too_long_are_listed(superuser_client):
    now = timezone.now()
    failed = BookingFactory(
        guest_name="Failed Guest", link_state=LinkState.FAILED, link_last_error="Zoom refused"
    )
    stuck = BookingFactory(guest_name="Stuck Guest", start_at=next_slot(days=3))
    Booking.objects.filter(pk=stuck.pk).update(updated_at=now - timedelta(minutes=30))
    BookingFactory(guest_name="Fresh Guest", start_at=next_slot(days=4))
    retried = BookingFactory(
        guest_name="Retried Guest", start_at=next_slot(days=5), link_attempts=3
    )
    BookingFactory(
        guest_name="Waiting Guest",
        link_state=LinkState.WAITING_FOR_RECONNECT,
        start_at=next_slot(days=6),
    )
    past = BookingFactory(guest_name="Past Guest", link_state=LinkState.FAILED)
    Booking.objects.filter(pk=past.pk).update(
        start_at=now - timedelta(days=2), end_at=now - timedelta(days=2) + timedelta(minutes=30)
    )

    html = overview(superuser_client)

    section = html[html.index('id="zoom-bookings-at-risk"') :]
    assert ">1 failed</a>" in section
    assert ">2 pending too long</a>" in section
    assert ">1 waiting for their rep to reconnect</a>" in section
    for booking in (failed, stuck, retried):
        assert f'href="/admin/meetings/booking/{booking.pk}/change/"' in section
    assert "Zoom refused" in section
    assert "Fresh Guest" not in section
    assert "Past Guest" not in section
