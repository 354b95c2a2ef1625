"""Sign-in is limited against guessing (the admin's login included), without letting anyone lock
a rep out by failing on purpose; sign-up can be closed or by invitation."""

import pytest

from accounts.models import User
from tests.factories import RepFactory

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def sign_in(client, email, password, address="198.51.100.1"):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_form_is_the_sites_rate_limited_one(client):
    admin = RepFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        response = client.post(
            "/admin/login/", {"username": admin.email, "password": RepFactory.PASSWORD}
        )
        # No password is checked there any more: it hands over to the site's login.
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert not signed_in(client)


def test_an_admin_signs_in_through_the_site_login_and_reaches_the_admin(client):
    admin = RepFactory(is_staff=True, is_superuser=True)
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": admin.email, "password": RepFactory.PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_wrong_passwords_are_stopped_even_when_one_finally_is_right(client, behind_proxy):
    rep = RepFactory()
    for _ in range(5):
        sign_in(client, rep.email, WRONG)
    response = sign_in(client, rep.email, RepFactory.PASSWORD)
    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_guessing_wrong_on_purpose_from_elsewhere_never_locks_the_rep_out(client, behind_proxy):
    rep = RepFactory()
    for _ in range(12):
        sign_in(client, rep.email, WRONG, address="203.0.113.66")
    sign_in(client, rep.email, RepFactory.PASSWORD, address="198.51.100.20")
    assert signed_in(client)


def test_one_address_guessing_many_accounts_is_stopped(client, behind_proxy):
    reps = [RepFactory() for _ in range(21)]
    for rep in reps[:20]:
        sign_in(client, rep.email, WRONG, address="203.0.113.66")
    response = sign_in(client, reps[20].email, RepFactory.PASSWORD, address="203.0.113.66")
    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_closed_sign_up_creates_no_account(client, settings):
    settings.ACCOUNT_SIGNUP_MODE = "closed"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "Str0ng-pass-word",
            "password2": "Str0ng-pass-word",
        },
    )
    assert b"Sign Up Closed" in response.content
    assert not User.objects.filter(email="new@example.org").exists()


def test_invite_only_sign_up_takes_invited_addresses_and_domains_only(client, settings):
    settings.ACCOUNT_SIGNUP_MODE = "invite"
    settings.ACCOUNT_SIGNUP_INVITED = ["boss@example.org", "@sales.example.com"]
    password = {
        "password1": "Str0ng-pass-word",
        "password2": "Str0ng-pass-word",
        "name": "Ann",
        "time_zone": "UTC",
    }
    refused = client.post("/accounts/signup/", {"email": "stranger@example.org", **password})
    assert "Sign-up is by invitation" in refused.content.decode()
    client.post("/accounts/signup/", {"email": "ann@sales.example.com", **password})
    assert list(User.objects.values_list("email", flat=True)) == ["ann@sales.example.com"]
