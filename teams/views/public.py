"""A team Meeting Type's booking pages: the same pages as a rep's, with the team's slots; or with
one member's, for a guest booking again with the rep they had."""

from functools import partial

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from meetings.meeting_types import MeetingType
from meetings.views.public import BookingPages, booking_page, confirm_page

from .. import selectors
from ..assignment import book_team_meeting
from ..availability import team_slots


def _team_pages(team: str, slug: str, rep: str | None = None) -> BookingPages | None:
    """The whole team's pages, or (`rep`) the pages of the member the link names; None when that
    member left the team or the type."""
    try:
        meeting_type = selectors.bookable_team_type(team, slug)
    except MeetingType.DoesNotExist:
        raise Http404("This booking page does not exist.") from None
    if rep is None:
        host_name, time_zone, only_rep_id = (
            meeting_type.team.name,
            meeting_type.team.time_zone,
            None,
        )
        steps, args = ("teams:team_book", "teams:team_book_confirm"), [team, meeting_type.slug]
    else:
        host = selectors.member_rep(meeting_type, rep)
        if host is None:
            return None
        host_name, time_zone, only_rep_id = host.display_name, host.time_zone, host.pk
        steps = ("teams:team_book_with", "teams:team_book_with_confirm")
        args = [team, meeting_type.slug, rep]
    return BookingPages(
        meeting_type,
        host_name=host_name,
        default_time_zone=time_zone,
        book_url=reverse(steps[0], args=args),
        confirm_url=reverse(steps[1], args=args),
        find_slots=partial(team_slots, meeting_type, only_rep_id=only_rep_id),
        book=partial(book_team_meeting, only_rep_id=only_rep_id),
    )


def team_book(request, team: str, meeting_type: str):
    return booking_page(request, _team_pages(team, meeting_type))


def team_book_confirm(request, team: str, meeting_type: str):
    return confirm_page(request, _team_pages(team, meeting_type))


def team_book_with(request, team: str, meeting_type: str, rep: str):
    """The team type's page with one member's times: a guest booking again with the rep they
    had (the link in the email to a guest who missed their meeting). A member gone sends the
    guest to the whole team's page."""
    pages = _team_pages(team, meeting_type, rep)
    if pages is None:
        return redirect("teams:team_book", team, meeting_type)
    return booking_page(request, pages)


def team_book_with_confirm(request, team: str, meeting_type: str, rep: str):
    pages = _team_pages(team, meeting_type, rep)
    if pages is None:
        return redirect("teams:team_book", team, meeting_type)
    return confirm_page(request, pages)
