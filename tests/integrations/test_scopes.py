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
    scope_to_add,
    unavailable_capabilities,
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


def test_the_classic_listing_is_the_help_articles_pair():
    assert CLASSIC_SCOPES == ("user:read", "meeting:write")


@pytest.mark.parametrize("listing", [CLASSIC_SCOPES, GRANULAR_SCOPES])
def test_either_full_listing_grants_every_essential_capability_and_loses_none(listing):
    assert missing_capabilities(frozenset(listing)) == []
    assert unavailable_capabilities(frozenset(listing)) == []


def test_the_documented_granular_six_connect_and_do_without_listing_meetings():
    six = frozenset(GRANULAR_SCOPES) - {"meeting:read:list_meetings"}
    assert missing_capabilities(six) == []
    [without] = unavailable_capabilities(six)
    assert without.endpoint == "GET /users/{userId}/meetings"
    assert scope_to_add(without, six) == "meeting:read:list_meetings"


def test_the_classic_pair_tries_the_reads_and_names_meeting_read_once_zoom_refuses_them():
    pair = frozenset({"user:read", "meeting:write"})
    assert unavailable_capabilities(pair) == []
    refused = unavailable_capabilities(pair, refused=["GET /meetings/{meetingId}"])
    assert [(c.endpoint, scope_to_add(c, pair)) for c in refused] == [
        ("GET /meetings/{meetingId}", "meeting:read")
    ]


@pytest.mark.parametrize(
    ("granted", "missing"),
    [
        ("meeting:write", ("user:read",)),
        ("user:read", ("meeting:write",)),
        ("user:read:user user:read:settings meeting:read:meeting", ("meeting:write:meeting",)),
    ],
)
def test_only_a_grant_without_user_read_or_create_is_refused_named_in_its_family(granted, missing):
    assert missing_scope_names(frozenset(granted.split())) == missing


def test_a_granular_grant_without_update_or_delete_connects_and_does_without_them():
    grant = frozenset(GRANULAR_SCOPES) - {"meeting:update:meeting", "meeting:delete:meeting"}
    assert missing_capabilities(grant) == []
    assert [c.endpoint for c in unavailable_capabilities(grant)] == [
        "PATCH /meetings/{meetingId}",
        "DELETE /meetings/{meetingId}",
    ]


def test_account_level_scopes_grant_the_capability_too():
    admin = frozenset({"user:read:admin", "meeting:write:admin", "meeting:read:admin"})
    assert missing_capabilities(admin) == []
