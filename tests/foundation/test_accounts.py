from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import RepFactory


def test_dashboard_needs_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_root_sends_anonymous_visitors_to_login(client, db):
    assert client.get("/")["Location"] == reverse("account_login")


def test_login_lands_on_the_dashboard_with_links(client, db):
    rep = RepFactory()
    response = client.post(
        "/accounts/login/", {"login": rep.email, "password": RepFactory.PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    body = response.content.decode()
    assert 'href="/integrations/"' in body
    assert "My Integrations" in body


def test_wrong_password_is_refused_with_a_message(client, db):
    rep = RepFactory()
    response = client.post("/accounts/login/", {"login": rep.email, "password": "nope-nope-1"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(rep_client):
    assert rep_client.get("/accounts/logout/").status_code == 200  # a confirmation page
    assert "_auth_user_id" in rep_client.session
    rep_client.post("/accounts/logout/")
    assert "_auth_user_id" not in rep_client.session
    assert rep_client.get("/dashboard/").status_code == 302


def test_signup_creates_a_rep_with_a_booking_handle(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.rep@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "name": "New Rep",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302
    rep = get_user_model().objects.get(email="new.rep@example.com")
    assert rep.booking_slug == "newrep"


def test_booking_handles_stay_unique(db):
    first = RepFactory.build(email="sam@one.example")
    second = RepFactory.build(email="sam@two.example")
    first.save()
    second.save()
    assert first.booking_slug == "sam"
    assert second.booking_slug.startswith("sam-") and second.booking_slug != "sam"


def test_password_reset_sends_an_email_with_a_link(client, db):
    rep = RepFactory()
    client.post("/accounts/password/reset/", {"email": rep.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
