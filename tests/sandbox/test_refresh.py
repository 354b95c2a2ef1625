"""grant_type=refresh_token: rotation, the race of two refreshes, lifetimes."""

from concurrent.futures import ThreadPoolExecutor

INVALID = {"reason": "Invalid Token!", "error": "invalid_grant"}


def test_refresh_returns_a_new_refresh_token(zoom):
    tokens = zoom.connect("ann@example.com")
    response = zoom.refresh(tokens["refresh_token"])
    body = response.json()
    assert response.status_code == 200
    assert body["refresh_token"] != tokens["refresh_token"]
    assert body["access_token"] != tokens["access_token"]
    assert body["scope"] == tokens["scope"]


def test_the_old_refresh_token_stops_working_after_a_refresh(zoom):
    tokens = zoom.connect("ann@example.com")
    zoom.refresh(tokens["refresh_token"])
    old = zoom.refresh(tokens["refresh_token"])
    assert old.status_code == 400
    assert old.json() == INVALID


def test_the_new_refresh_token_keeps_the_chain_going(zoom):
    tokens = zoom.connect("ann@example.com")
    for _ in range(3):
        tokens = zoom.refresh(tokens["refresh_token"]).json()
    assert zoom.api("GET", "/users/me", tokens["access_token"]).status_code == 200
    assert zoom.sandbox.token_stats("ann@example.com")["refresh_count"] == 3


def test_two_concurrent_refreshes_with_one_token_have_exactly_one_winner(zoom):
    tokens = zoom.connect("ann@example.com")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(zoom.refresh, [tokens["refresh_token"]] * 2))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 400]
    loser = next(r for r in results if r.status_code == 400)
    assert loser.json() == INVALID
    assert zoom.sandbox.token_stats("ann@example.com")["refresh_count"] == 1


def test_an_unknown_refresh_token_is_invalid(zoom):
    assert zoom.refresh("not-a-token").json() == INVALID


def test_access_token_lifetime_follows_the_knob(zoom):
    zoom.sandbox.set_knobs(access_token_lifetime=120)
    assert zoom.connect("ann@example.com")["expires_in"] == 120


def test_an_expired_refresh_token_is_invalid(zoom):
    zoom.sandbox.set_knobs(refresh_token_lifetime=0)
    tokens = zoom.connect("ann@example.com")
    assert zoom.refresh(tokens["refresh_token"]).json() == INVALID
