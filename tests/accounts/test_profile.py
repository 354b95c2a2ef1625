import pytest

from tests.factories import RepFactory
from tests.meetings.factories import MeetingTypeFactory


def profile_form(rep, **changes):
    return {
        "name": rep.display_name,
        "time_zone": rep.time_zone,
        "booking_slug": rep.booking_slug,
        **changes,
    }


def test_profile_page_exists_for_a_signed_in_rep(rep_client, rep):
    response = rep_client.get("/accounts/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{rep.booking_slug}"' in body
    assert "selected>New York (UTC" in body


def test_profile_saves_name_time_zone_and_handle(rep_client, rep):
    response = rep_client.post(
        "/accounts/profile/",
        profile_form(rep, name="Dana Scully", time_zone="America/Chicago", booking_slug="dana"),
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.display_name, rep.time_zone, rep.booking_slug) == (
        "Dana Scully",
        "America/Chicago",
        "dana",
    )


def test_old_booking_links_redirect_to_the_new_handle(rep_client, rep, client):
    old = rep.booking_slug
    meeting_type = MeetingTypeFactory(rep=rep, slug="intro")
    rep_client.post("/accounts/profile/", profile_form(rep, booking_slug="dana"))
    response = client.get(f"/book/{old}/{meeting_type.slug}/?tz=Europe/Paris")
    assert response.status_code == 302
    assert response["Location"] == "/book/dana/intro/?tz=Europe/Paris"
    assert client.get(response["Location"]).status_code == 200


def test_a_handle_in_use_or_retired_by_another_rep_is_refused(rep_client, rep):
    other = RepFactory()
    retired = other.booking_slug
    other_client_post = profile_form(other, booking_slug="somebody-new")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    other_client.post("/accounts/profile/", other_client_post)

    for taken in ("somebody-new", retired):
        response = rep_client.post("/accounts/profile/", profile_form(rep, booking_slug=taken))
        assert response.status_code == 200
        assert "This handle is taken" in response.content.decode()


def test_a_rep_can_take_their_old_handle_back(rep_client, rep):
    old = rep.booking_slug
    rep_client.post("/accounts/profile/", profile_form(rep, booking_slug="dana"))
    rep.refresh_from_db()
    rep_client.post("/accounts/profile/", profile_form(rep, booking_slug=old))
    rep.refresh_from_db()
    assert rep.booking_slug == old
    assert list(rep.previous_booking_slugs.values_list("slug", flat=True)) == ["dana"]


@pytest.mark.parametrize("bad", ["", "   "])
def test_profile_needs_a_name(rep_client, rep, bad):
    response = rep_client.post("/accounts/profile/", profile_form(rep, name=bad))
    assert response.status_code == 200
    assert 'aria-describedby="id_name_error"' in response.content.decode()
