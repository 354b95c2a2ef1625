"""Marketplace pre-approval: the wall, requests, approval for all or one, withdrawal (4738)."""

import pytest
import requests

from scripts.sandbox import PreapprovalRequired


@pytest.fixture
def acme(sandbox):
    return sandbox.create_user("admin@acme.example", requires_preapproval=True)["account_id"]


def test_an_unapproved_user_sees_the_wall_and_is_not_redirected(zoom, acme):
    zoom.sandbox.create_user("rep@acme.example", account_id=acme)
    with pytest.raises(PreapprovalRequired):
        zoom.sandbox.consent(zoom.authorize_url(), "rep@acme.example")
    assert zoom.sandbox.calls("/oauth/token") == []


def test_request_pre_approve_reaches_the_admin_list(zoom, acme):
    zoom.sandbox.create_user("rep@acme.example", account_id=acme)
    browser = requests.Session()
    browser.get(zoom.authorize_url(), timeout=10)
    csrf = browser.cookies["zoom_sandbox_csrftoken"]
    zoom.sign_in(browser, "rep@acme.example")
    wall = browser.get(zoom.authorize_url(), allow_redirects=False, timeout=10)
    assert wall.status_code == 200
    assert "You cannot authorize" in wall.text and "Request pre-approve" in wall.text
    sent = browser.post(
        f"{zoom.sandbox.url}/oauth/preapproval",
        data={"csrfmiddlewaretoken": csrf, "client_id": zoom.client_id},
        timeout=10,
    )
    assert "request was sent" in sent.text
    [request] = zoom.sandbox.preapproval_requests()
    assert request["email"] == "rep@acme.example"
    assert not request["resolved"]
    admin_page = requests.get(f"{zoom.sandbox.url}/admin/accounts/{acme}", timeout=10)
    assert "rep@acme.example" in admin_page.text


def test_approval_for_all_users_lets_everyone_authorize(zoom, acme):
    zoom.sandbox.create_user("rep@acme.example", account_id=acme)
    zoom.sandbox.approve(acme)
    location = zoom.sandbox.consent(zoom.authorize_url(), "rep@acme.example")
    assert "code=" in location


def test_approval_for_one_user_leaves_the_others_walled(zoom, acme):
    zoom.sandbox.create_user("one@acme.example", account_id=acme)
    zoom.sandbox.create_user("two@acme.example", account_id=acme)
    zoom.sandbox.approve(acme, email="one@acme.example")
    assert "code=" in zoom.sandbox.consent(zoom.authorize_url(), "one@acme.example")
    with pytest.raises(PreapprovalRequired):
        zoom.sandbox.consent(zoom.authorize_url(), "two@acme.example")


def test_withdrawn_approval_disables_tokens_with_4738(zoom, acme):
    zoom.sandbox.set_knobs(oauth_error_codes=True)
    zoom.sandbox.approve(acme)
    tokens = zoom.connect("rep@acme.example", account_id=acme)
    zoom.sandbox.withdraw_approval(acme)
    api = zoom.api("GET", "/users/me", tokens["access_token"])
    assert api.status_code == 401
    assert api.json()["code"] == 4738
    refresh = zoom.refresh(tokens["refresh_token"])
    assert refresh.status_code == 400
    assert refresh.json()["code"] == 4738


def test_withdrawing_one_users_approval_disables_only_that_users_tokens(zoom, acme):
    zoom.sandbox.create_user("one@acme.example", account_id=acme)
    zoom.sandbox.create_user("two@acme.example", account_id=acme)
    zoom.sandbox.approve(acme, email="one@acme.example")
    zoom.sandbox.approve(acme, email="two@acme.example")
    one = zoom.connect("one@acme.example")
    two = zoom.connect("two@acme.example")
    zoom.sandbox.withdraw_approval(acme, email="one@acme.example")
    assert zoom.api("GET", "/users/me", one["access_token"]).json()["code"] == 4738
    assert zoom.api("GET", "/users/me", two["access_token"]).status_code == 200


def test_accounts_without_pre_approval_need_no_approval(zoom):
    assert "code=" in zoom.sandbox.consent(zoom.authorize_url(), "solo@example.com")
