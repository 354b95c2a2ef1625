from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail

SIGNUP = {
    "email": "casey@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "name": "  Casey   Jones ",
    "time_zone": "America/Chicago",
}


def test_signup_keeps_the_reps_name_and_time_zone(client, db):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    rep = get_user_model().objects.get(email="casey@example.com")
    assert rep.display_name == "Casey Jones"
    assert rep.time_zone == "America/Chicago"


def test_signup_without_a_name_is_refused_and_keeps_what_was_typed(client, db):
    response = client.post("/accounts/signup/", {**SIGNUP, "name": ""})
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    body = response.content.decode()
    assert 'value="casey@example.com"' in body
    assert 'id="id_name_error"' in body  # the id the input's aria-describedby names


def test_signup_refuses_a_made_up_time_zone(client, db):
    response = client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_signup_page_offers_current_zones_with_offsets_and_no_aliases(client, db):
    body = client.get("/accounts/signup/").content.decode()
    assert 'data-detect=""' in body
    assert ">Chicago (UTC−0" in body
    assert 'value="Etc/GMT+5"' not in body
    assert 'value="US/Eastern"' not in body


def test_site_emails_carry_the_product_name(client, db, settings):
    assert Site.objects.get_current().name == settings.PRODUCT_NAME
    client.post("/accounts/signup/", SIGNUP)
    client.post("/accounts/logout/")
    client.post("/accounts/password/reset/", {"email": SIGNUP["email"]})
    # The sign-up's own confirmation email goes out too (every test starts with an empty cache,
    # so allauth's confirmation cooldown from an earlier test no longer hides it).
    (reset,) = [m for m in mail.outbox if "Password Reset" in m.subject]
    assert reset.subject.startswith(f"[{settings.PRODUCT_NAME}] ")
    assert "example.com" not in reset.body.replace(SIGNUP["email"], "")
