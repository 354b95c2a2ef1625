"""The capability table: every endpoint the client calls has its scope in both families, and a
grant missing any of them is caught when the rep connects."""

import re

import pytest
import responses

from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.scopes import (
    CAPABILITIES,
    CLASSIC_SCOPES,
    GRANULAR_SCOPES,
    OPTIONAL_CAPABILITIES,
    missing_capabilities,
    missing_scope_names,
)

API = "https://api.zoom.test/v2"


def _template(method: str, url: str) -> str:
    path = url.split("/v2", 1)[1].split("?")[0]
    path = re.sub(r"^/users/[^/]+", "/users/{userId}", path)
    path = re.sub(r"^/meetings/[^/]+", "/meetings/{meetingId}", path)
    path = re.sub(r"^/past_meetings/[^/]+", "/past_meetings/{meetingId}", path)
    return f"{method} {path}"


def test_every_endpoint_the_client_calls_is_in_the_capability_table(settings):
    settings.ZOOM_API_BASE_URL = API
    client = ZoomClient()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "PATCH", "DELETE"):
            mock.add(method, re.compile(rf"{re.escape(API)}/.*"), json={"id": 1, "meetings": []})
        client.get_me("t")
        client.get_user("t", "rep@example.com")
        client.get_user_settings("t")
        client.create_meeting("t", {})
        client.get_meeting("t", 1)
        client.update_meeting("t", 1, {})
        client.delete_meeting("t", 1)
        client.list_meetings("t")
        client.past_meeting_participants("t", "a/b==")
        called = {_template(c.request.method, c.request.url) for c in mock.calls}
    public = {
        name
        for name in vars(ZoomClient)
        if not name.startswith("_") and callable(getattr(ZoomClient, name))
    }
    rest_methods = public - {"authorize_url", "exchange_code", "refresh", "revoke"}
    assert len(rest_methods) == 9, (
        f"a new client method needs its capability: {sorted(rest_methods)}"
    )
    assert called == {c.endpoint for c in (*CAPABILITIES, *OPTIONAL_CAPABILITIES)}


def test_the_granular_listing_has_one_scope_per_endpoint_including_list_meetings():
    assert GRANULAR_SCOPES == (
        "user:read:user",
        "user:read:settings",
        "meeting:write:meeting",
        "meeting:update:meeting",
        "meeting:delete:meeting",
        "meeting:read:meeting",
        "meeting:read:list_meetings",
    )


def test_the_classic_listing_asks_for_meeting_read_too():
    assert CLASSIC_SCOPES == ("user:read", "meeting:write", "meeting:read")


@pytest.mark.parametrize("listing", [CLASSIC_SCOPES, GRANULAR_SCOPES])
def test_either_full_listing_grants_every_capability(listing):
    assert missing_capabilities(frozenset(listing)) == []


def test_the_documented_granular_six_miss_listing_meetings():
    six = frozenset(GRANULAR_SCOPES) - {"meeting:read:list_meetings"}
    assert [c.endpoint for c in missing_capabilities(six)] == ["GET /users/{userId}/meetings"]
    assert missing_scope_names(six) == ("meeting:read:list_meetings",)


def test_classic_write_alone_misses_the_reads_named_in_the_classic_family():
    assert missing_scope_names(frozenset({"user:read", "meeting:write"})) == ("meeting:read",)


def test_account_level_scopes_grant_the_capability_too():
    admin = frozenset({"user:read:admin", "meeting:write:admin", "meeting:read:admin"})
    assert missing_capabilities(admin) == []
