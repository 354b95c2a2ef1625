"""Handing an upcoming team booking to another member of its Meeting Type (an admin's, or a
teammate's with the permission): the booking's own change is
`meetings.services.bookings.change_host`; this module says who may do it and who may take it."""

from meetings.models import Booking
from meetings.services.bookings import BookingError, change_host
from meetings.zoom import hosting

from . import selectors
from .models import TeamMember

PERMISSION = "teams.reassign_team_booking"

# What an admin reads when the member's Zoom cannot make the meeting (meetings.zoom.hosting).
_CANNOT_HOST = {
    hosting.ZOOM_BROKEN: "{name}'s Zoom is not connected or needs reconnecting.",
    hosting.NOT_SERVED: "{name} is not served by the company's Zoom account.",
    hosting.ALLOWANCE_USED: "{name} has used up today's Zoom allowance.",
}


def may_reassign(user, booking: Booking) -> bool:
    """Staff with the permission, or a member of the booking's team with it."""
    team_id = booking.meeting_type.team_id
    if team_id is None or not user.is_active or not user.has_perm(PERMISSION):
        return False
    return user.is_staff or TeamMember.objects.filter(team_id=team_id, rep=user).exists()


def members_to_take(booking: Booking) -> list:
    """The type's active members other than the host, by name."""
    reps = [m.member.rep for m in selectors.members_of(booking.meeting_type)]
    return sorted(
        (rep for rep in reps if rep.pk != booking.rep_id), key=lambda r: r.display_name.lower()
    )


def reassign_booking(booking: Booking, to_rep, *, by) -> Booking:
    """Hands the booking to `to_rep`, who must be a member of its Meeting Type whose Zoom can
    make the meeting now (for a Zoom type). BookingError says why not."""

    def may_host(locked: Booking) -> None:
        if to_rep.pk not in {rep.pk for rep in members_to_take(locked)}:
            raise BookingError(f"{to_rep.display_name} does not take this Meeting Type's bookings.")
        if locked.is_zoom:
            refused = hosting.hosting_refusals([to_rep.pk], public=False).get(to_rep.pk)
            if refused:
                raise BookingError(_CANNOT_HOST[refused].format(name=to_rep.display_name))

    if not booking.meeting_type.is_team_type:
        raise BookingError("Only bookings of a team's Meeting Type can be reassigned.")
    return change_host(booking, to_rep, by=by, may_host=may_host)
