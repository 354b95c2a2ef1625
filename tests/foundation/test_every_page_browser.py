"""Every page of the app in headless Chromium, at 1280 px and on a 360 px phone: axe finds nothing
serious or critical and no page scrolls sideways on the phone. The pages are the URLconf's own
(prospect, guest, rep, Zoom admin and the Django admin's pages of every registered model), so a
new page fails here until it is visited: `NOT_PAGES` names what is no page of its own, and why."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from booking_webhooks.models import DeliveryAttempt, EventType, WebhookDelivery, WebhookEndpoint
from meetings import guest_access
from meetings.models import Booking
from meetings.questions import Question
from meetings.zoom.state import LinkState
from outcomes.models import MeetingOutcome, Source
from outcomes.rules import Outcome
from teams.models import TeamMember
from tests.factories import RepFactory
from tests.fixtures.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    horizontal_overflow,
    overflowing_elements,
)
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, ScheduleFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.browser

JOIN = "https://zoom.example/j/81234567890"

# URL names that are no page a person reads: they redirect, answer a form, serve a file or a
# fragment that pages poll (the page around it is checked), or are Zoom's to call.
NOT_PAGES = {
    "meetings:booking_link": "a fragment polled by the rep's booking page",
    "meetings:booking_retry": "POST only",
    "meetings:booking_create_anew": "POST only",
    "meetings:booking_start": "POST only (sends to Zoom)",
    "meetings:meeting_type_archive": "POST only",
    "meetings:guest_link": "a fragment polled by the guest's page",
    "meetings:guest_calendar": "an .ics file",
    "meetings:guest_language": "POST only",
    "outcomes:mark": "POST only",
    "integrations:zoom:connect": "a redirect to Zoom",
    "integrations:zoom:callback": "Zoom's redirect back (its pages are tested in the connect flow)",
    "integrations:zoom:disconnect": "POST only",
    "integrations:zoom:webhook": "Zoom's webhook",
    "integrations:zoom:account_connect": "POST only",
    "integrations:zoom:account_callback": "Zoom's redirect back",
    "integrations:zoom:account_match": "POST only",
    "integrations:zoom:account_map": "POST only",
    "integrations:zoom:account_disconnect": "POST only",
    "integrations:zoom:account_webhook": "Zoom's webhook",
    "home": "a redirect to the dashboard or the login page",
}
# allauth's pages, in the site's templates: before signing in, and a signed-in rep's.
SIGNED_OUT_ACCOUNT_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
]
SIGNED_IN_ACCOUNT_PAGES = ["account_change_password", "account_email", "account_logout"]


def app_url_names() -> set[str]:
    """The names of the app's own URLs (the admin's, allauth's, i18n's and the sandbox's apart)."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin", "zoom_sandbox"} or pattern.app_name == "admin":
                    continue
                inner = pattern.namespace
                walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    account_names = {n for n in names if n.startswith(("account_", "socialaccount_"))}
    return names - account_names - {"set_language"}


def seed(connect_zoom) -> dict:
    """A rep connected to the Zoom sandbox, a Meeting Type with questions, a schedule, bookings
    of every kind and a team; a staff member; webhook deliveries and outcomes for the admin; the
    URLs of every page they see."""
    rep = RepFactory(first_name="Riley", last_name="Rep")
    connect_zoom(rep)
    meeting_type = MeetingTypeFactory(rep=rep, name="Discovery call", slug="discovery")
    Question.objects.create(meeting_type=meeting_type, label="What brings you here?", required=True)
    Question.objects.create(
        meeting_type=meeting_type,
        label="Team size",
        kind=Question.Kind.CHOICE,
        choices="1–10\n11–50\n51+",
        position=1,
    )
    schedule = ScheduleFactory(rep=rep, name="Evenings")
    booked = BookingFactory(
        meeting_type=meeting_type,
        guest_name="Pat Prospect",
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url=JOIN,
        zoom_chain="personal",
        answers=[{"question": "What brings you here?", "answer": "Pricing"}],
        additional_guests=["grace@example.org"],
    )
    past_start = timezone.now() - timedelta(days=3)
    past = BookingFactory(
        meeting_type=meeting_type,
        guest_name="Earlier Prospect",
        start_at=past_start,
        end_at=past_start + timedelta(minutes=30),
        link_state=LinkState.READY,
        zoom_meeting_id="81234567891",
        zoom_join_url=JOIN + "1",
        zoom_chain="personal",
    )
    cancelled = BookingFactory(
        meeting_type=meeting_type, guest_name="Gone Prospect", start_at=next_slot(days=5)
    )
    cancelled.cancel(Booking.Actor.GUEST)
    cancelled.save()
    team = team_type(size=2, name="Product demo", slug="demo")
    TeamMember.objects.create(team=team.team, rep=rep)
    made_for = BookingFactory(meeting_type=meeting_type, booked_by=rep, start_at=next_slot(days=6))
    host = member_reps(team)[0]
    team_booking = BookingFactory(meeting_type=team, rep=host, start_at=next_slot(days=3))
    staff = RepFactory(email="ops@example.com", is_staff=True, is_superuser=True)
    MeetingOutcome.objects.create(
        booking=past,
        outcome=Outcome.HELD,
        source=Source.REP,
        decided_at=timezone.now(),
    )
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example/hooks")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type=EventType.CREATED,
        booking=booked,
        payload={},
        status=WebhookDelivery.Status.FAILED,
        attempts=1,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery, status_code=500, error="Server error", response_excerpt="Oops"
    )

    guest = guest_access.manage_path(booked)
    book = f"/book/{rep.booking_slug}/discovery/"
    start = next_slot(days=4).isoformat()
    rep_pages = {
        "dashboard": "/dashboard/",
        "profile": "/accounts/profile/",
        "integrations:index": "/integrations/",
        "meetings:meeting_type_list": "/meeting-types/",
        "meetings:meeting_type_create": "/meeting-types/new/",
        "meetings:meeting_type_edit": f"/meeting-types/{meeting_type.pk}/edit/",
        "meetings:meeting_type_delete": f"/meeting-types/{meeting_type.pk}/delete/",
        "meetings:schedule_list": "/availability/",
        "meetings:schedule_create": "/availability/new/",
        "meetings:schedule_edit": f"/availability/{schedule.pk}/edit/",
        "meetings:schedule_delete": f"/availability/{schedule.pk}/delete/",
        "meetings:booking_list": "/bookings/",
        "meetings:past_booking_list": "/bookings/past/",
        "meetings:booking_detail": f"/bookings/{booked.pk}/",
        "meetings:booking_detail (cancelled)": f"/bookings/{cancelled.pk}/",
        "meetings:booking_reschedule": f"/bookings/{booked.pk}/reschedule/",
        "meetings:booking_cancel": f"/bookings/{booked.pk}/cancel/",
        "teams:my_teams": "/teams/",
        "teams:book_for": f"/teams/book/{team.pk}/",
        "teams:booked_for": f"/teams/booked/{made_for.pk}/",
    }
    public_pages = {
        "meetings:book": book,
        "meetings:book_confirm": f"{book}confirm/?start={start}&tz=Europe/Paris",
        "meetings:guest_booking": guest,
        "meetings:guest_booking (cancelled)": guest_access.manage_path(cancelled),
        "meetings:guest_reschedule": guest + "reschedule/",
        "meetings:guest_cancel": guest + "cancel/",
        "teams:team_book": f"/team/{team.team.slug}/{team.slug}/",
        "teams:team_book_confirm": (
            f"/team/{team.team.slug}/{team.slug}/confirm/?start={next_slot(days=4).isoformat()}"
        ),
        "teams:team_book_with": f"/team/{team.team.slug}/{team.slug}/with/{host.booking_slug}/",
        "teams:team_book_with_confirm": (
            f"/team/{team.team.slug}/{team.slug}/with/{host.booking_slug}/confirm/"
            f"?start={next_slot(days=4).isoformat()}"
        ),
    }
    staff_pages = {
        "integrations:zoom:account": "/integrations/zoom/account/",
        "admin:teams_team_report": reverse("admin:teams_team_report", args=[team.team.pk]),
        "teams:reassign": f"/teams/reassign/{team_booking.pk}/",
    }
    return {
        "rep": rep,
        "staff": staff,
        "rep_pages": rep_pages,
        "public_pages": public_pages,
        "staff_pages": staff_pages,
    }


def admin_pages() -> dict[str, str]:
    """The admin's index and, for every registered model, its list, its add form and the change
    form of its first row."""
    pages = {"admin:index": reverse("admin:index")}
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages[f"admin:{info[0]}_{info[1]}_changelist"] = reverse(
            "admin:{}_{}_changelist".format(*info)
        )
        if model_admin.has_add_permission(_superuser_request()):
            pages[f"admin:{info[0]}_{info[1]}_add"] = reverse("admin:{}_{}_add".format(*info))
        first = model_admin.get_queryset(_superuser_request()).order_by("pk").first()
        if first is not None:
            pages[f"admin:{info[0]}_{info[1]}_change"] = reverse(
                "admin:{}_{}_change".format(*info), args=[first.pk]
            )
    return pages


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User.objects.filter(is_superuser=True).first()
    return request


def check(page, url: str, where: str, problems: list[str]) -> None:
    """Opens `url` at 1280 px and at 360 px; what axe or the sideways check finds is collected
    (every page is visited, then all findings are reported at once)."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    if response is None or response.status != 200:
        problems.append(f"{where}: {url} answered {response and response.status}")
        return
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        try:
            assert_accessible(page, f"{where} at {size['width']} px")
        except AssertionError as finding:
            problems.append(str(finding))
        if size is PHONE and (overflow := horizontal_overflow(page)) > 0:
            problems.append(
                f"{where} scrolls sideways by {overflow} px at 360 px: "
                + ", ".join(overflowing_elements(page))
            )


def sign_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(RepFactory.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")


def test_every_page_is_visited_here():
    seen = set(PAGE_NAMES) | set(NOT_PAGES)
    missing = app_url_names() - seen
    assert not missing, f"pages no accessibility check visits: {sorted(missing)}"


PAGE_NAMES = [
    "dashboard",
    "profile",
    "integrations:index",
    "integrations:zoom:account",
    "meetings:meeting_type_list",
    "meetings:meeting_type_create",
    "meetings:meeting_type_edit",
    "meetings:meeting_type_delete",
    "meetings:schedule_list",
    "meetings:schedule_create",
    "meetings:schedule_edit",
    "meetings:schedule_delete",
    "meetings:booking_list",
    "meetings:past_booking_list",
    "meetings:booking_detail",
    "meetings:booking_reschedule",
    "meetings:booking_cancel",
    "teams:my_teams",
    "teams:book_for",
    "teams:booked_for",
    "meetings:book",
    "meetings:book_confirm",
    "meetings:guest_booking",
    "meetings:guest_reschedule",
    "meetings:guest_cancel",
    "teams:team_book",
    "teams:team_book_confirm",
    "teams:team_book_with",
    "teams:team_book_with_confirm",
    "teams:reassign",
]


def test_no_page_has_a_serious_accessibility_finding_or_scrolls_sideways(
    live_server, page, connect_zoom
):
    data = seed(connect_zoom)
    assert set(PAGE_NAMES) <= {
        name.split(" (")[0]
        for group in ("rep_pages", "public_pages", "staff_pages")
        for name in data[group]
    }
    problems: list[str] = []

    for name in SIGNED_OUT_ACCOUNT_PAGES:
        check(page, live_server.url + reverse(name), name, problems)
    for name, url in data["public_pages"].items():
        check(page, live_server.url + url, name, problems)
    # The prospect's pages in another language (the browser's): words run longer.
    page.set_extra_http_headers({"Accept-Language": "de"})
    for name in ("meetings:book", "meetings:book_confirm", "meetings:guest_booking"):
        check(page, live_server.url + data["public_pages"][name], f"{name} in German", problems)
    page.set_extra_http_headers({})

    sign_in(page, live_server, data["rep"])
    for name, url in data["rep_pages"].items():
        check(page, live_server.url + url, name, problems)
    for name in SIGNED_IN_ACCOUNT_PAGES:
        check(page, live_server.url + reverse(name), name, problems)

    sign_in(page, live_server, data["staff"])
    for name, url in {**data["staff_pages"], **admin_pages()}.items():
        check(page, live_server.url + url, name, problems)

    assert not problems, "\n".join(problems)
