"""A team Meeting Type's booking pages: the same pages as a rep's, with the team's slots."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from meetings import booking_limits
from meetings.meeting_types import MeetingType
from meetings.views.public import booking_page, confirm_page

from .. import selectors
from ..assignment import book_team_meeting
from ..availability import team_slots


def _team_type(team: str, slug: str) -> MeetingType:
    try:
        return selectors.bookable_team_type(team, slug)
    except MeetingType.DoesNotExist:
        raise Http404("This booking page does not exist.") from None


def team_book(request, team: str, meeting_type: str):
    meeting_type = _team_type(team, meeting_type)
    return booking_page(
        request,
        meeting_type,
        host_name=meeting_type.team.name,
        default_time_zone=meeting_type.team.time_zone,
        confirm_url=reverse("teams:team_book_confirm", args=[team, meeting_type.slug]),
        find_slots=lambda start, end: team_slots(meeting_type, start, end),
    )


def team_book_confirm(request, team: str, meeting_type: str):
    meeting_type = _team_type(team, meeting_type)
    return confirm_page(
        request,
        meeting_type,
        host_name=meeting_type.team.name,
        default_time_zone=meeting_type.team.time_zone,
        book_url=reverse("teams:team_book", args=[team, meeting_type.slug]),
        book=lambda **details: book_team_meeting(
            meeting_type,
            admission=booking_limits.PublicAdmission(request, details["guest_email"]),
            **details,
        ),
    )


def _member(meeting_type: MeetingType, rep: str):
    """The member the link names; None sends the guest to the whole team's page (they left the
    team or the type)."""
    return selectors.member_rep(meeting_type, rep)


def team_book_with(request, team: str, meeting_type: str, rep: str):
    """The team type's page with one member's times: a guest booking again with the rep they
    had (the link in the email to a guest who missed their meeting)."""
    meeting_type = _team_type(team, meeting_type)
    host = _member(meeting_type, rep)
    if host is None:
        return redirect("teams:team_book", team, meeting_type.slug)
    return booking_page(
        request,
        meeting_type,
        host_name=host.display_name,
        default_time_zone=host.time_zone,
        confirm_url=reverse("teams:team_book_with_confirm", args=[team, meeting_type.slug, rep]),
        find_slots=lambda start, end: team_slots(meeting_type, start, end, only_rep_id=host.pk),
    )


def team_book_with_confirm(request, team: str, meeting_type: str, rep: str):
    meeting_type = _team_type(team, meeting_type)
    host = _member(meeting_type, rep)
    if host is None:
        return redirect("teams:team_book", team, meeting_type.slug)
    return confirm_page(
        request,
        meeting_type,
        host_name=host.display_name,
        default_time_zone=host.time_zone,
        book_url=reverse("teams:team_book_with", args=[team, meeting_type.slug, rep]),
        book=lambda **details: book_team_meeting(
            meeting_type,
            admission=booking_limits.PublicAdmission(request, details["guest_email"]),
            only_rep_id=host.pk,
            **details,
        ),
    )
