"""Whether reps can host a Zoom meeting made now, and if not why: their Zoom (their own connection,
or the company's account) and their daily Zoom allowance, for many reps at once. A team Meeting
Type passes over a member who cannot, and offers no slot that no member can host."""

from integrations.zoom.api.quota import allowance_spent
from integrations.zoom.connection.hosts import HostLookup, zoom_hosts_for

# Why a rep cannot host: no Zoom, or the connection (their own or the company's) needs a
# reconnect; in the company's account but not as a user it may make meetings for; Zoom's daily
# creates and updates used up (the public share of them, for a prospect's booking).
ZOOM_BROKEN = "zoom_broken"
NOT_SERVED = "zoom_not_served"
ALLOWANCE_USED = "zoom_allowance"


def hosting_refusals(rep_ids, *, public: bool) -> dict[int, str]:
    """Each rep among `rep_ids` who cannot host a Zoom meeting made now, with the reason; the reps
    who can are left out. `public`: for a prospect's booking, which may not use the part of the
    daily allowance kept for the rep's own work. Two queries and one cache round trip."""
    return refusals_of(zoom_hosts_for(rep_ids), public=public)


def refusals_of(hosts: dict[int, HostLookup], *, public: bool) -> dict[int, str]:
    """`hosting_refusals` of reps whose hosts are known, by rep id (zoom_hosts_for, or
    zoom_hosts_of for reps read with their Zoom state): one cache round trip."""
    refusals: dict[int, str] = {}
    usable = []
    for rep_id, (host, member) in hosts.items():
        if host is not None and host.is_usable:
            usable.append(rep_id)
        elif host is None and member is not None and not member.is_served:
            # No connection of their own, and the company's account has no Zoom user for them
            # that may host (none, a Basic user, deactivated).
            refusals[rep_id] = NOT_SERVED
        else:
            # Their own connection, or the company's account serving them, needs a reconnect.
            refusals[rep_id] = ZOOM_BROKEN
    for rep_id in allowance_spent(usable, public=public):
        refusals[rep_id] = ALLOWANCE_USED
    return refusals
