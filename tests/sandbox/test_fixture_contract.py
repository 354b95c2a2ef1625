"""The fixtures other tests build on: the app's settings point at a freshly reset sandbox."""


def test_sandbox_points_the_app_settings_at_the_sandbox(sandbox, settings):
    assert sandbox.url == settings.ZOOM_OAUTH_BASE_URL
    assert f"{sandbox.url}/v2" == settings.ZOOM_API_BASE_URL
    assert f"{sandbox.url}/marketplace/app" == settings.ZOOM_MARKETPLACE_URL
    assert sandbox.url.startswith("http://localhost:")


def test_sandbox_starts_each_test_empty(sandbox):
    sandbox.create_user("leftover@example.com")
    sandbox.reset()
    assert sandbox.user("leftover@example.com") is None
    assert sandbox.calls() == []


def test_consent_returns_the_callback_with_code_and_state(zoom):
    location = zoom.sandbox.consent(zoom.authorize_url(state="abc"), "rep@example.com")
    assert location.startswith(zoom.redirect_uri + "?")
    assert "code=" in location and "state=abc" in location
