"""A Zoom admin connects the company's Zoom account once (the admin-managed app), end to end
against the sandbox: scopes, reps matched or not and why, mapping by hand, disconnect, and what
reps see on My Integrations."""

import pytest
from django.test import Client, TestCase

from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from scripts.sandbox import SandboxError
from tests.factories import RepFactory

from .company_steps import (
    ACCOUNT_PAGE,
    company_account,
    connect_company,
    connected_company,
    zoom_admin,
)
from .steps import connect_rep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """The reps are matched by a task after the connect commits: inline here."""


State = ZoomCompanyMember.State


def test_the_zoom_admin_connects_the_company_and_sees_whom_it_serves_and_why_not(sandbox):
    admin = company_account(sandbox)
    account_id = admin["account_id"]
    for email, extra in [
        ("ann@corp.example", {}),
        ("basic@corp.example", {"user_type": 1}),
        ("gone@corp.example", {}),
    ]:
        RepFactory(email=email)
        sandbox.create_user(email, account_id=account_id, **extra)
    sandbox.set_user_status("gone@corp.example", "deactivate")
    RepFactory(email="outsider@corp.example")

    response, browser = connect_company(sandbox)

    assert response.status_code == 302 and response["Location"] == ACCOUNT_PAGE
    company = ZoomCompanyAccount.objects.get()
    assert (company.zoom_account_id, company.admin_zoom_email) == (account_id, "admin@corp.example")
    states = {m.rep.email: m.state for m in ZoomCompanyMember.objects.select_related("rep")}
    assert states == {
        "ann@corp.example": State.SERVED,
        "basic@corp.example": State.BASIC_USER,
        "gone@corp.example": State.DEACTIVATED,
        "outsider@corp.example": State.NO_ZOOM_USER,
    }
    page = browser.get(ACCOUNT_PAGE).content.decode()
    assert account_id in page and '<dd id="served-count">1</dd>' in page
    assert "meetings end after 40 minutes" in page and "deactivated" in page


def test_the_connect_uses_pkce_and_state_with_the_company_app(sandbox, settings):
    company_account(sandbox)
    browser = Client()
    browser.force_login(zoom_admin())
    location = browser.post("/integrations/zoom/account/connect/")["Location"]
    assert f"client_id={settings.ZOOM_ACCOUNT_CLIENT_ID}" in location
    assert "code_challenge_method=S256" in location and "state=" in location
    assert "scope=" not in location


def test_staff_without_the_permission_cannot_reach_the_page(client):
    client.force_login(RepFactory(is_staff=True))
    assert client.get(ACCOUNT_PAGE).status_code == 403
    assert client.post("/integrations/zoom/account/connect/").status_code == 403


def test_a_forged_state_is_refused_and_nothing_is_stored(sandbox):
    company_account(sandbox)
    browser = Client()
    browser.force_login(zoom_admin())
    browser.post("/integrations/zoom/account/connect/")
    response = browser.get("/integrations/zoom/account/callback/?code=abc&state=forged")
    assert response.status_code == 400
    assert not ZoomCompanyAccount.objects.exists()


def test_missing_admin_scopes_are_named_and_nothing_is_stored(sandbox):
    company_account(sandbox)
    sandbox.set_knobs(granted_scopes="user:read:user:admin meeting:write:meeting:admin")
    response, _ = connect_company(sandbox)
    page = response.content.decode()
    assert "meeting:update:meeting:admin" in page and "meeting:read:list_meetings:admin" in page
    assert not ZoomCompanyAccount.objects.filter(status="connected").exists()
    assert sandbox.token_stats("admin@corp.example")["active_families"] == 0


def test_the_classic_admin_scopes_are_accepted_too(sandbox):
    company_account(sandbox)
    sandbox.set_knobs(granted_scopes="user:read:admin meeting:write:admin meeting:read:admin")
    response, _ = connect_company(sandbox)
    assert response.status_code == 302
    assert ZoomCompanyAccount.objects.get().is_usable


def test_a_zoom_member_who_is_not_an_admin_cannot_connect_the_company(sandbox):
    admin = company_account(sandbox)
    sandbox.create_user("member@corp.example", account_id=admin["account_id"])
    with pytest.raises(SandboxError, match="Only an account admin"):
        connect_company(sandbox, "member@corp.example")


def test_a_rep_whose_zoom_email_differs_is_mapped_by_hand(sandbox):
    rep = RepFactory(email="bob@corp.example")
    company = connected_company(sandbox, "robert.smith@corp.example")
    assert ZoomCompanyMember.objects.get(rep=rep).state == State.NO_ZOOM_USER
    browser = Client()
    browser.force_login(zoom_admin())
    browser.post(
        f"/integrations/zoom/account/reps/{rep.pk}/map/",
        {"zoom_user": "Robert.Smith@corp.example"},
    )
    member = ZoomCompanyMember.objects.get(rep=rep)
    assert member.state == State.SERVED and member.zoom_email == "robert.smith@corp.example"
    assert member.mapped_by_hand_to == "robert.smith@corp.example"
    # The mapping survives checking every rep again.
    with TestCase.captureOnCommitCallbacks(execute=True):
        browser.post("/integrations/zoom/account/match/")
    assert ZoomCompanyMember.objects.get(rep=rep).is_served
    assert company.members.count() == 1


def test_one_zoom_user_serves_one_rep(sandbox):
    RepFactory(email="ann@corp.example")
    other = RepFactory(email="bob@corp.example")
    connected_company(sandbox, "ann@corp.example")
    browser = Client()
    browser.force_login(zoom_admin())
    response = browser.post(
        f"/integrations/zoom/account/reps/{other.pk}/map/",
        {"zoom_user": "ann@corp.example"},
        follow=True,
    )
    assert "already serves another rep" in response.content.decode()
    assert not ZoomCompanyMember.objects.get(rep=other).is_served


def test_disconnecting_revokes_at_zoom_and_forgets_the_accounts_zoom_data(sandbox):
    RepFactory(email="ann@corp.example")
    connected_company(sandbox, "ann@corp.example")
    browser = Client()
    browser.force_login(zoom_admin())
    browser.post("/integrations/zoom/account/disconnect/")
    company = ZoomCompanyAccount.objects.get()
    assert company.status == company.Status.DISCONNECTED
    assert (company.access_token, company.zoom_account_id) == ("", "")
    assert not ZoomCompanyMember.objects.exists()
    assert sandbox.token_stats("admin@corp.example")["active_families"] == 0


def test_a_served_rep_sees_zoom_provided_by_the_company_without_connecting(sandbox):
    rep = RepFactory(email="ann@corp.example")
    connected_company(sandbox, "ann@corp.example")
    browser = Client()
    browser.force_login(rep)
    page = browser.get("/integrations/").content.decode()
    assert "provided by your company&#x27;s Zoom account" in page or (
        "provided by your company's Zoom account" in page
    )
    assert "ann@corp.example" in page


def test_a_reps_own_connection_takes_precedence_and_the_page_says_so(sandbox):
    rep = RepFactory(email="ann@corp.example")
    company = connected_company(sandbox, "ann@corp.example")
    connect_rep(sandbox, "ann@corp.example", rep=rep, account_id=company.zoom_account_id)
    browser = Client()
    browser.force_login(rep)
    page = browser.get("/integrations/").content.decode()
    assert "takes precedence" in page and "Not used" in page
