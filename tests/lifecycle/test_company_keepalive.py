"""The hourly keep-alive of the company's Zoom account: an idle chain is refreshed, reps new to the
Zoom account are served, and a chain Zoom no longer accepts is marked and the Zoom admins told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations.zoom.company.keepalive import keep_company_account_alive
from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from integrations.zoom.connection.keepalive import Health
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin

pytestmark = pytest.mark.django_db


def age(company, hours=48):
    old = timezone.now() - timedelta(hours=hours)
    ZoomCompanyAccount.objects.filter(pk=company.pk).update(
        connected_at=old, last_refreshed_at=old, last_success_at=old
    )


def test_an_idle_company_chain_is_refreshed_and_new_zoom_users_are_served(sandbox):
    company = connected_company(sandbox, "ann@corp.example")
    age(company)
    late = RepFactory(email="late@corp.example")
    sandbox.create_user("late@corp.example", account_id=company.zoom_account_id)

    assert keep_company_account_alive() == Health.HEALTHY

    assert sandbox.token_stats("admin@corp.example")["refresh_count"] == 1
    company.refresh_from_db()
    assert company.is_usable and company.last_refreshed_at > timezone.now() - timedelta(minutes=1)
    assert ZoomCompanyMember.objects.get(rep=late).is_served


def test_a_company_chain_zoom_refuses_is_marked_and_the_zoom_admins_told(
    sandbox, django_capture_on_commit_callbacks
):
    admin = zoom_admin()
    company = connected_company(sandbox)
    age(company)
    # Zoom's numeric codes come only sometimes (the sandbox's default is the bare invalid_grant).
    sandbox.set_knobs(oauth_error_codes=True)
    sandbox.delete_user("admin@corp.example")  # the authorizing admin left: refresh says 4735
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert keep_company_account_alive() == Health.BROKEN

    company.refresh_from_db()
    assert company.status == company.Status.NEEDS_RECONNECT
    assert company.needs_reconnect_reason == "user_gone"
    [notice] = mail.outbox
    assert "needs reconnecting" in notice.subject and admin.email in notice.to
