"""The booking's own pages for its guest, reached through the signed link in their emails: the
booking with its Zoom link, the .ics, reschedule, cancel, and the language switch. Shown in the
booking's language (the guest's), which the switch changes for every later email too."""

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import booking_limits, calendar_links, guest_access, ics, languages, selectors
from ..invite_deliveries import InviteDelivery
from ..models import Booking
from .changes import ChangePages, cancel_page, reschedule_page, zone_context, zone_query
from .public import too_many_requests
from .slots import time_zone_from


class LinkExpired(Exception):
    pass


def _guest_booking(token: str) -> Booking:
    public_id = guest_access.public_id_from(token)
    if public_id is None:
        raise Http404("This booking link is not valid.")
    try:
        booking = selectors.booking_by_public_id(public_id)
    except Booking.DoesNotExist:
        raise Http404("This booking does not exist.") from None
    if guest_access.link_expired(booking):
        raise LinkExpired
    return booking


def guest_page(view):
    """A page reached with the guest's link, given the booking it names, in the booking's
    language: never cached (the URL is the key), and gone once the link has expired."""

    @never_cache
    @wraps(view)
    def wrapper(request, token: str):
        try:
            booking = _guest_booking(token)
        except LinkExpired:
            language = languages.for_request(request)
            return languages.render_in(
                language, render, request, "meetings/public/link_expired.html", status=410
            )
        return languages.render_in(booking.language, view, request, booking, token)

    return wrapper


def _guest_zone(request, booking: Booking) -> str:
    """The zone the guest picked on these pages (`?tz=`), else the one they booked in."""
    return time_zone_from(request.GET.get("tz"), booking.guest_time_zone)


@guest_page
def guest_booking(request, booking: Booking, token: str):
    return render(
        request,
        "meetings/public/booking.html",
        {
            "booking": booking,
            "token": token,
            "guest_emailed": selectors.guest_was_emailed(booking),
            "google_url": calendar_links.google_url(booking),
            "outlook_url": calendar_links.outlook_url(booking),
            **zone_context(_guest_zone(request, booking)),
        },
    )


@guest_page
def guest_calendar(request, booking: Booking, token: str):
    """The booking as an .ics file, for calendars the guest adds it to by hand."""
    if booking.is_cancelled:
        raise Http404("This meeting is cancelled.")
    response = HttpResponse(
        ics.build_invite(booking, InviteDelivery.Method.REQUEST), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{booking.reference}.ics"'
    return response


@guest_page
def guest_link(request, booking: Booking, token: str):
    """The link panel alone, polled by the booking page until the link settles."""
    return render(
        request,
        "meetings/includes/guest_link.html",
        {"booking": booking, "token": token},
    )


def _change_pages(request, booking: Booking, token: str, time_zone: str) -> ChangePages:
    back_to = guest_access.manage_path(booking) + zone_query(time_zone)
    return ChangePages(
        by=Booking.Actor.GUEST,
        templates="meetings/public",
        back_to=back_to,
        tell=booking.rep.display_name,
        moved=gettext("Your meeting is moved. An updated invite is on its way."),
        cancelled=gettext("Your meeting is cancelled. We let the host know."),
        context={"token": token},
        admit=booking_limits.guest_reschedule_admission(request),
        refused=lambda refused: too_many_requests(request, refused, back_to),
    )


@guest_page
def guest_reschedule(request, booking: Booking, token: str):
    time_zone = _guest_zone(request, booking)
    pages = _change_pages(request, booking, token, time_zone)
    return reschedule_page(request, booking, pages, time_zone=time_zone)


@guest_page
def guest_cancel(request, booking: Booking, token: str):
    time_zone = _guest_zone(request, booking)
    pages = _change_pages(request, booking, token, time_zone)
    return cancel_page(request, booking, pages, time_zone=time_zone)


@require_POST
@guest_page
def guest_language(request, booking: Booking, token: str):
    """The guest picks their language on their booking's pages: the pages and every later email
    use it (a POST, so no link or prefetch changes it)."""
    language = languages.supported(request.POST.get("language"))
    if language and language != booking.language:
        Booking.objects.filter(pk=booking.pk).update(language=language)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = guest_access.manage_path(booking)
    return redirect(back)
