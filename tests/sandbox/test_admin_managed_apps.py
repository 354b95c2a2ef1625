"""Admin-managed apps: installed once by an account admin, acting for every user of the account
with `:admin` scopes, removed for the whole account, sharing the account's per-second limit."""

import pytest

from scripts.sandbox import SandboxError

from .conftest import ZoomFlow

ADMIN_CLIENT_ID = "admin-app-client-id"
ADMIN_SCOPES = (
    "user:read:user:admin user:read:settings:admin meeting:write:meeting:admin "
    "meeting:update:meeting:admin meeting:delete:meeting:admin meeting:read:meeting:admin "
    "meeting:read:list_meetings:admin"
)
MEETING = {"topic": "Intro", "type": 2, "start_time": "2030-01-15T15:00:00Z", "duration": 30}


class AdminFlow(ZoomFlow):
    """The company-wide app: its own client and redirect URI."""

    def __init__(self, sandbox, settings, *, scopes=ADMIN_SCOPES, webhook_url=""):
        super().__init__(sandbox, settings)
        self.client_id = ADMIN_CLIENT_ID
        self.client_secret = "admin-app-secret"
        self.redirect_uri = settings.SITE_URL + "/integrations/zoom/account/callback/"
        self.register_app(
            webhook_url=webhook_url,
            webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
            name="Scheduler for Zoom (company)",
            scopes=scopes,
            management="admin",
        )


@pytest.fixture
def company(sandbox):
    admin = sandbox.create_user("admin@corp.example", is_admin=True, account_name="Corp")
    account_id = admin["account_id"]
    sandbox.create_user("rep@corp.example", account_id=account_id)
    return account_id


@pytest.fixture
def admin_app(sandbox, settings, company):
    return AdminFlow(sandbox, settings)


@pytest.fixture
def account_token(admin_app):
    return admin_app.connect("admin@corp.example")["access_token"]


def test_an_admin_managed_app_accepts_only_admin_scopes(sandbox, settings):
    with pytest.raises(SandboxError, match="only ':admin' scopes"):
        AdminFlow(sandbox, settings, scopes="user:read:user meeting:write:meeting:admin")


def test_an_account_admin_installs_it_and_gets_the_admin_scopes(admin_app, company):
    tokens = admin_app.connect("admin@corp.example")
    assert set(tokens["scope"].split()) == set(ADMIN_SCOPES.split())


def test_a_member_who_is_not_an_admin_cannot_install_it(admin_app, company):
    with pytest.raises(SandboxError, match="Only an account admin"):
        admin_app.code_for("rep@corp.example")


def test_pre_approval_does_not_stand_in_the_admins_way(sandbox, admin_app, company):
    sandbox.create_user("admin@corp.example", requires_preapproval=True)
    assert admin_app.connect("admin@corp.example")["access_token"]


def test_the_account_token_creates_a_meeting_for_a_colleague_by_id_and_by_email(
    sandbox, admin_app, account_token
):
    rep = sandbox.user("rep@corp.example")
    by_id = admin_app.api("POST", f"/users/{rep['id']}/meetings", account_token, json=MEETING)
    by_email = admin_app.api(
        "POST", "/users/rep@corp.example/meetings", account_token, json=MEETING
    )
    assert by_id.status_code == by_email.status_code == 201
    assert {m["host_email"] for m in sandbox.meetings()} == {"rep@corp.example"}


def test_colleagues_are_looked_up_by_id_or_email_with_type_and_status(
    sandbox, admin_app, account_token
):
    sandbox.create_user(
        "basic@corp.example", account_id=sandbox.user("rep@corp.example")["account_id"], user_type=1
    )
    rep = sandbox.user("rep@corp.example")
    by_email = admin_app.api("GET", "/users/rep@corp.example", account_token).json()
    by_id = admin_app.api("GET", f"/users/{rep['id']}", account_token).json()
    assert by_email["id"] == by_id["id"] == rep["id"]
    assert (by_email["type"], by_email["status"]) == (2, "active")
    assert admin_app.api("GET", "/users/basic@corp.example", account_token).json()["type"] == 1


def test_users_of_other_accounts_and_unknown_emails_do_not_exist_for_the_account(
    sandbox, admin_app, account_token
):
    sandbox.create_user("someone@elsewhere.example")
    for who in ("someone@elsewhere.example", "nobody@corp.example"):
        response = admin_app.api("GET", f"/users/{who}", account_token)
        assert (response.status_code, response.json()["code"]) == (404, 1001)


def test_a_deactivated_colleague_shows_inactive_and_cannot_host(sandbox, admin_app, account_token):
    sandbox.set_user_status("rep@corp.example", "deactivate")
    assert admin_app.api("GET", "/users/rep@corp.example", account_token).json()["status"] == (
        "inactive"
    )
    created = admin_app.api("POST", "/users/rep@corp.example/meetings", account_token, json=MEETING)
    assert (created.status_code, created.json()["code"]) == (400, 3161)


def test_a_colleague_removed_from_the_account_is_user_not_found(sandbox, admin_app, account_token):
    sandbox.delete_user("rep@corp.example")
    created = admin_app.api("POST", "/users/rep@corp.example/meetings", account_token, json=MEETING)
    assert (created.status_code, created.json()["code"]) == (404, 1001)


def test_each_endpoint_needs_its_own_admin_scope(sandbox, settings, company):
    narrow = AdminFlow(sandbox, settings, scopes="user:read:user:admin meeting:write:meeting:admin")
    token = narrow.connect("admin@corp.example")["access_token"]
    meeting = narrow.api("POST", "/users/rep@corp.example/meetings", token, json=MEETING).json()
    refused = [
        narrow.api("GET", "/users/rep@corp.example/settings", token),
        narrow.api("GET", "/users/rep@corp.example/meetings", token),
        narrow.api("PATCH", f"/meetings/{meeting['id']}", token, json={"topic": "Moved"}),
        narrow.api("DELETE", f"/meetings/{meeting['id']}", token),
    ]
    assert [r.json()["code"] for r in refused] == [4711] * 4
    assert "meeting:update:meeting:admin" in refused[2].json()["message"]


def test_a_second_admins_authorization_replaces_the_accounts_first(sandbox, admin_app, company):
    sandbox.create_user("admin2@corp.example", account_id=company, is_admin=True)
    first = admin_app.connect("admin@corp.example")
    admin_app.connect("admin2@corp.example")
    refused = admin_app.refresh(first["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_removing_it_ends_the_whole_accounts_authorization_and_tells_the_app(
    sandbox, settings, company, webhook_receiver
):
    app = AdminFlow(sandbox, settings, webhook_url=webhook_receiver.url)
    token = app.connect("admin@corp.example")["access_token"]
    delivery = sandbox.uninstall("admin@corp.example", client_id=ADMIN_CLIENT_ID)
    assert delivery["status"] == 200
    payload = delivery["body"]["payload"]
    assert payload["account_id"] == company and payload["client_id"] == ADMIN_CLIENT_ID
    assert payload["user_id"] == sandbox.user("admin@corp.example")["id"]
    assert app.api("GET", "/users/rep@corp.example", token).json()["code"] == 124


def test_only_an_admin_can_remove_it(sandbox, admin_app, account_token):
    with pytest.raises(SandboxError, match="Only an account admin"):
        sandbox.uninstall("rep@corp.example", client_id=ADMIN_CLIENT_ID)


def test_meeting_events_of_any_user_reach_the_accounts_app(
    sandbox, settings, company, webhook_receiver
):
    app = AdminFlow(sandbox, settings, webhook_url=webhook_receiver.url)
    token = app.connect("admin@corp.example")["access_token"]
    meeting = app.api("POST", "/users/rep@corp.example/meetings", token, json=MEETING).json()
    sandbox.delete_meeting_in_zoom(meeting["id"])
    assert webhook_receiver.events("meeting.deleted")


def test_the_per_second_limit_is_shared_by_every_app_of_the_account(
    sandbox, zoom, admin_app, account_token
):
    personal = zoom.connect("rep@corp.example")["access_token"]
    sandbox.set_knobs(qps_limit=4)
    answers = [
        admin_app.api("GET", "/users/rep@corp.example", account_token).status_code for _ in range(2)
    ] + [zoom.api("GET", "/users/me", personal).status_code for _ in range(3)]
    assert answers[:4] == [200] * 4 and answers[4] == 429
