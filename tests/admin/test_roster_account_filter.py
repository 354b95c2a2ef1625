"""The roster's Zoom account filter lists the accounts reps share, not every rep's account."""

import pytest

from integrations.zoom.admin.roster import SHARED_ACCOUNTS_LISTED
from tests.admin.conftest import ROSTER_URL
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


def account_choices(client, query: str = "") -> list[str]:
    response = client.get(ROSTER_URL + query)
    assert response.status_code == 200
    spec = next(
        f for f in response.context["cl"].filter_specs if f.parameter_name == "zoom_account"
    )
    return [value for value, _ in spec.lookup_choices]


def test_the_filter_lists_shared_accounts_most_reps_first(superuser_client):
    for _ in range(3):
        ZoomConnectionFactory(zoom_account_id="acct-big")
    for _ in range(2):
        ZoomConnectionFactory(zoom_account_id="acct-small")
    ZoomConnectionFactory(zoom_account_id="acct-alone")

    assert account_choices(superuser_client) == ["acct-big", "acct-small"]


def test_the_filter_lists_a_bounded_number_of_accounts(superuser_client):
    for index in range(SHARED_ACCOUNTS_LISTED + 5):
        for _ in range(2):
            ZoomConnectionFactory(zoom_account_id=f"acct-{index:03}")

    assert len(account_choices(superuser_client)) == SHARED_ACCOUNTS_LISTED


def test_an_account_chosen_from_its_link_shows_as_selected(superuser_client):
    alone = ZoomConnectionFactory(zoom_account_id="acct-alone")
    ZoomConnectionFactory(zoom_account_id="acct-other")

    response = superuser_client.get(ROSTER_URL + "?zoom_account=acct-alone")

    assert [e.pk for e in response.context["cl"].result_list] == [alone.user.pk]
    assert account_choices(superuser_client, "?zoom_account=acct-alone") == ["acct-alone"]
    # Named by its reps' email domain, never by Zoom's account id.
    label = dict(
        next(
            f for f in response.context["cl"].filter_specs if f.parameter_name == "zoom_account"
        ).lookup_choices
    )["acct-alone"]
    assert label == f"{alone.zoom_email.rpartition('@')[2]} (1 rep)"
    assert ">acct-alone" not in response.content.decode()
