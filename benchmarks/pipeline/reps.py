"""The run's reps: each connected to Zoom through the sandbox's real OAuth flow (or served by the
company's Zoom account), each with one Zoom Meeting Type bookable every day 09:00–17:00."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SHARED_ACCOUNT = "bench-shared-account"
SLOTS_PER_DAY = 16  # half-hour slots in 09:00–17:00


@dataclass(frozen=True)
class Page:
    """A rep's booking page and what a booking on it needs."""

    path: str
    rep_id: int
    meeting_type_id: int


def prepare(args, sandbox_url: str) -> list[Page]:
    """Migrates, registers the app, connects every rep through the real flow."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from scripts.sandbox import CALLBACK_PATH, WEBHOOK_PATH, SandboxControl

    setup_test_environment()  # the test client acts as each rep's browser (testserver)
    call_command("migrate", verbosity=0)
    sandbox = SandboxControl(sandbox_url)
    sandbox.reset()
    sandbox.register_app(
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + CALLBACK_PATH],
        webhook_url=settings.SITE_URL + WEBHOOK_PATH,
        webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
    )
    # The daily quota per host is not what is measured.
    sandbox.set_knobs(latency_ms=0, daily_meeting_limit=1_000_000, qps_limit=1000)
    if args.company_account:
        return _served_by_company_account(args, sandbox)
    return _connected_personally(args, sandbox)


def _connected_personally(args, sandbox) -> list[Page]:
    from django.test import Client

    from tests.factories import RepFactory
    from tests.integrations import steps
    from tests.meetings.factories import MeetingTypeFactory

    print(f"Connecting {args.reps} reps…", flush=True)
    pages = []
    for index in range(args.reps):
        rep = RepFactory()
        email = f"bench{index}@example.com"
        account = {"account_id": SHARED_ACCOUNT} if args.one_account else {}
        sandbox.create_user(email, **account)
        browser = Client()
        browser.force_login(rep)
        assert steps.connect(browser, sandbox, email).status_code == 302
        pages.append(_page(rep, MeetingTypeFactory(rep=rep)))
    return pages


def _served_by_company_account(args, sandbox) -> list[Page]:
    """Every rep a user of one Zoom account; a Zoom admin connects the company's account once
    through the real flow and the reps are matched to their Zoom users (none connects)."""
    from django.conf import settings

    from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES
    from integrations.zoom.company import services as company_services
    from integrations.zoom.company.models import ZoomCompanyAccount
    from scripts.sandbox import ACCOUNT_CALLBACK_PATH
    from tests.factories import RepFactory
    from tests.integrations.company_steps import company_account, connect_company
    from tests.meetings.factories import MeetingTypeFactory

    sandbox.register_app(
        client_id=settings.ZOOM_ACCOUNT_CLIENT_ID,
        client_secret=settings.ZOOM_ACCOUNT_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + ACCOUNT_CALLBACK_PATH],
        scopes=" ".join(ACCOUNT_GRANULAR_SCOPES),
        management="admin",
    )
    admin = company_account(sandbox, account_id=SHARED_ACCOUNT)
    print(f"Serving {args.reps} reps from one company Zoom account…", flush=True)
    pages = []
    for index in range(args.reps):
        email = f"bench{index}@corp.example"
        sandbox.create_user(email, account_id=admin["account_id"])
        rep = RepFactory(email=email)
        pages.append(_page(rep, MeetingTypeFactory(rep=rep)))
    response, _ = connect_company(sandbox)
    assert response.status_code == 302, response
    counts = company_services.match_reps(ZoomCompanyAccount.objects.get())
    assert counts == {"served": args.reps}, counts
    return pages


def _page(rep, meeting_type) -> Page:
    return Page(f"/book/{rep.booking_slug}/{meeting_type.slug}/confirm/", rep.pk, meeting_type.pk)


def write_tokens(path: Path) -> None:
    """{access token: Zoom account}, for the lean Zoom to know whose call it answers."""
    from integrations.zoom.connection.models import ZoomConnection

    tokens = {c.access_token: c.zoom_account_id for c in ZoomConnection.objects.all()}
    path.write_text(json.dumps(tokens))


class Slots:
    """Hands out each rep's free half-hour starts in order (every day 09:00–17:00 New York, from
    the day after tomorrow), across the steps of a run."""

    def __init__(self, pages: list[Page]):
        self.pages = pages
        self.taken = 0

    def take(self, count: int) -> list[tuple[Page, datetime]]:
        from tests.meetings.factories import next_slot

        plan = []
        for number in range(self.taken, self.taken + count):
            page = self.pages[number % len(self.pages)]
            day, slot = divmod(number // len(self.pages), SLOTS_PER_DAY)
            # Each day's 09:00 in the rep's zone, so a change of daylight saving moves nothing.
            start = next_slot(days=2 + day, hour=9) + timedelta(minutes=30 * slot)
            plan.append((page, start))
        self.taken += count
        return plan
