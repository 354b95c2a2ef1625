"""The company's Zoom app hears what happens to its users: a rep whose Zoom user is deactivated,
deleted or taken out of the account stops being served at once, with the reason, and their
upcoming meetings go to their own connection or wait; a 3161 on create unserves the rep too. And
the company's connect flow never restarts on a cross-site GET. Against the sandbox, webhooks
delivered to the live app."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from integrations.zoom.webhooks.envelope import signature_for
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from meetings.models import Booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState, ZoomChain
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

from .company_steps import connected_company, zoom_admin
from .steps import connect_rep

State = ZoomCompanyMember.State


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """Matching, link work and webhook deliveries run inline, when their change commits."""


def book(rep) -> Booking:
    start = next_slot(days=3)
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
    )
    zoom_links.sync_zoom_meeting(booking.pk)
    return Booking.objects.get(pk=booking.pk)


def applied(event: str) -> None:
    wait_until(
        lambda: ZoomWebhookEvent.objects.filter(
            event=event, outcome=ZoomWebhookEvent.Outcome.APPLIED
        ).exists(),
        message=f"{event} to be applied",
    )


@pytest.mark.django_db(transaction=True)
def test_a_deactivated_zoom_user_is_unserved_at_once_and_their_meetings_wait(live_sandbox):
    ann = RepFactory(email="ann@corp.example")
    admin = zoom_admin()
    connected_company(live_sandbox, "ann@corp.example")
    booking = book(ann)
    assert booking.link_state == LinkState.READY and booking.zoom_chain == ZoomChain.COMPANY
    mail.outbox.clear()

    live_sandbox.set_user_status("ann@corp.example", "deactivate")

    applied("user.deactivated")
    assert ZoomCompanyMember.objects.get(rep=ann).state == State.DEACTIVATED
    booking.refresh_from_db()
    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT
    # Told why, never asked to reconnect a Zoom they never connected.
    assert "The Zoom user is deactivated" in booking.link_last_error
    assert "reconnect Zoom" not in booking.link_last_error
    [notice] = [m for m in mail.outbox if "no longer served" in m.subject]
    assert admin.email in notice.to and "deactivated" in notice.body


@pytest.mark.django_db(transaction=True)
def test_a_deleted_zoom_user_with_their_own_zoom_gets_new_meetings_from_it(live_sandbox):
    ann = RepFactory(email="ann@corp.example")
    zoom_admin()
    connected_company(live_sandbox, "ann@corp.example")
    booking = book(ann)
    connect_rep(live_sandbox, "ann@home.example", rep=ann)

    live_sandbox.delete_user("ann@corp.example")

    applied("user.deleted")
    assert ZoomCompanyMember.objects.get(rep=ann).state == State.LEFT_ACCOUNT
    after = Booking.objects.get(pk=booking.pk)
    assert after.link_state == LinkState.READY and after.zoom_chain == ZoomChain.PERSONAL
    assert after.zoom_meeting_id != booking.zoom_meeting_id
    [create] = [
        c
        for c in live_sandbox.calls("/meetings")
        if c["method"] == "POST" and after.zoom_meeting_id in c["response_body"]
    ]
    assert create["path"] == "/v2/users/me/meetings"


@pytest.mark.django_db(transaction=True)
def test_a_user_disassociated_from_the_account_is_unserved(live_sandbox, client, settings):
    ann = RepFactory(email="ann@corp.example")
    company = connected_company(live_sandbox, "ann@corp.example")
    member = ZoomCompanyMember.objects.get(rep=ann)
    body = json.dumps(
        {
            "event": "user.disassociated",
            "event_ts": int(time.time() * 1000),
            "payload": {
                "account_id": company.zoom_account_id,
                "operator": "admin@corp.example",
                "operator_id": "admin-id",
                "object": {"id": member.zoom_user_id, "email": "ann@corp.example", "type": 2},
            },
        }
    ).encode()
    timestamp = str(int(time.time()))
    response = client.post(
        "/integrations/zoom/account/webhook/",
        data=body,
        content_type="application/json",
        headers={
            "x-zm-signature": signature_for(
                settings.ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN, timestamp, body
            ),
            "x-zm-request-timestamp": timestamp,
        },
    )

    assert response.status_code == 200, response.content
    applied("user.disassociated")
    assert ZoomCompanyMember.objects.get(rep=ann).state == State.LEFT_ACCOUNT


@pytest.mark.django_db(transaction=True)
def test_zoom_refusing_to_let_the_user_host_unserves_the_rep(live_sandbox):
    ann = RepFactory(email="ann@corp.example")
    zoom_admin()
    admin = live_sandbox.create_user("admin@corp.example", is_admin=True, account_name="Corp")
    live_sandbox.create_user(
        "ann@corp.example", account_id=admin["account_id"], hosting_disabled=True
    )
    connected_company(live_sandbox)

    booking = book(ann)

    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT
    assert "3161" in booking.link_last_error
    assert ZoomCompanyMember.objects.get(rep=ann).state == State.CANNOT_HOST


@pytest.mark.django_db
def test_a_cross_site_get_with_a_code_never_switches_the_company_account(sandbox):
    RepFactory(email="ann@corp.example")
    company = connected_company(sandbox, "ann@corp.example")
    members = list(ZoomCompanyMember.objects.values_list("rep_id", "zoom_user_id"))
    # The admin is signed in at Zoom in another account, where they consented before.
    sandbox.create_user("boss@other.example", is_admin=True, account_name="Other")
    browser = Client()
    browser.force_login(zoom_admin())
    calls_before = len(sandbox.calls("/oauth"))

    response = browser.get("/integrations/zoom/account/callback/?code=from-another-site")

    assert response.status_code == 200
    assert "Finish connecting the company" in response.content.decode()
    assert len(sandbox.calls("/oauth")) == calls_before  # no redirect to Zoom, no exchange
    assert ZoomCompanyAccount.objects.get().zoom_account_id == company.zoom_account_id
    assert list(ZoomCompanyMember.objects.values_list("rep_id", "zoom_user_id")) == members
