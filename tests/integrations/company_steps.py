"""Steps for the company's Zoom account: a Zoom admin (staff with the permission) connects it
through our page and the sandbox's consent screen, over real HTTP. Tests using them run tasks
inline (`tasks_run_inline`) or with real workers: the reps are matched by a task."""

from django.contrib.auth.models import Permission
from django.test import Client, TestCase

from integrations.zoom.company import services as company_services
from integrations.zoom.company.models import ZoomCompanyAccount, ZoomCompanyMember
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until

from .steps import local

ACCOUNT_PAGE = "/integrations/zoom/account/"
ACCOUNT_CONNECT = "/integrations/zoom/account/connect/"


def zoom_admin():
    """A staff user allowed to manage the company's Zoom account (and nothing else)."""
    staff = RepFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="manage_zoom_account"))
    return staff


def company_account(sandbox, admin_email="admin@corp.example", **zoom_user) -> dict:
    """The company's Zoom account with an admin: the sandbox user dict of the admin."""
    zoom_user.setdefault("account_name", "Corp")
    return sandbox.create_user(admin_email, is_admin=True, **zoom_user)


def connect_company(sandbox, admin_email="admin@corp.example", *, browser=None):
    """The Zoom admin clicks "Connect the company's Zoom account", consents as `admin_email`;
    returns (our callback's response, the browser)."""
    if browser is None:
        browser = Client()
        browser.force_login(zoom_admin())
    started = browser.post(ACCOUNT_CONNECT)
    assert started.status_code == 302, started
    back = sandbox.consent(started["Location"], admin_email)
    # The reps are matched by a task after the commit (inline in tests without workers).
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = browser.get(local(back))
    return response, browser


def connected_company(sandbox, *reps_in_zoom: str) -> ZoomCompanyAccount:
    """A connected company account whose Zoom account holds `reps_in_zoom` (emails) as users."""
    admin = company_account(sandbox)
    for email in reps_in_zoom:
        sandbox.create_user(email, account_id=admin["account_id"])
    response, _ = connect_company(sandbox)
    assert response.status_code == 302, response
    company = ZoomCompanyAccount.objects.get()
    assert company.is_usable
    wait_until(
        lambda: ZoomCompanyMember.objects.count() == company_services.reps().count(),
        message="every rep matched",
    )
    return company
