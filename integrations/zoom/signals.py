"""Signals other apps (and the Zoom admin layer) listen to, so that the Zoom core never imports
them.

`zoom_meeting_changed(sender, meeting_id: str, change: str, details: dict, occurred_at)`: Zoom told
us (webhook) that a host changed ("updated") or removed ("deleted") a meeting inside Zoom, at
`occurred_at` (an aware datetime, or None). Receivers return True when the meeting was theirs.

`zoom_meeting_activity(sender, event: str, meeting_id: str, details: dict, occurred_at)`: Zoom
told us (webhook) that something happened in a meeting: it started or ended, someone joined, left,
waited for the host or in the waiting room (`event` is Zoom's event name, `details` the event's
`object`, `occurred_at` Zoom's `event_ts` as an aware datetime, or None). Receivers return True
when the meeting was theirs.

`zoom_meeting_created(sender, meeting_id: str, host_id: str)`: Zoom told us (webhook) that a
meeting was made for the Zoom user `host_id` (by us or by the host); what it said is kept a while
(`webhooks.deliveries.meetings_created_by`). Receivers return True when a booking of theirs may be
waiting for it (a create whose answer was lost).

`zoom_connection_restored(sender=ZoomConnection, connection: ZoomConnection, previous_status: str)`:
a rep's connect or reconnect has just committed and the connection works (the rep is
`connection.user`). `previous_status` is what it was before, a `ZoomConnection.Status` value
("needs_reconnect" and "removed" mean work parked for the rep can resume now). Sent after the
commit, with `send_robust`: a failing receiver is logged and never undoes the rep's reconnect.

`zoom_connection_broke(sender=ZoomConnection, connection_id: int)`: a connection has just stopped
working ("needs reconnect", or "removed" in Zoom), sent once, after the commit that recorded it.
The reconnect email listens (`tasks`, then `notifications`).

`zoom_data_erasure_due(sender=ZoomDataErasure, zoom_app: ZoomApp, rep)`: an app was removed in Zoom
and Zoom did not allow us to keep its data (`app_deauthorized` without `user_data_retention`):
the rep's own app (`zoom_app="personal"`, `rep` the rep), or the company's app for the whole Zoom
account (`zoom_app="company"`, `rep` None). Receivers erase every value they hold that came from
that app (meeting ids, links, passcodes, dial-in numbers, participant data), past and future, and
nothing of the other app's; keep their own records; and return how many records they changed.
Sent inside the transaction that removes the app's tokens: a failing receiver rolls the erasure
back and the delivery is processed again.

The company's Zoom account (the admin-managed app):

`zoom_reps_served(sender=ZoomCompanyAccount, rep_ids: list[int])`: the account serves these
reps now (connected, reconnected, or matched again), after the commit: parked work can resume.

`zoom_company_rep_unserved(sender=ZoomCompanyMember, rep_id: int)`: the company's account stopped
serving this rep (their Zoom user left the account, was deactivated or deleted, or may not host),
inside the transaction that recorded it: the meetings it made for them cannot be moved through it.

`zoom_company_account_notice(sender=ZoomCompanyAccount, kind: str, detail: dict)`: something the
Zoom admins must hear about (`company.notices.KINDS`), after the commit. The admin email listens.

`zoom_company_needs_matching(sender=ZoomCompanyAccount, rep_id: int | None)`: every rep (or the one
rep) should be looked up in the Zoom account again (it was just connected, an admin asked, or a
rep's email was verified or changed), after the commit.
"""

from django.dispatch import Signal

zoom_meeting_changed = Signal()
zoom_meeting_activity = Signal()
zoom_meeting_created = Signal()
zoom_connection_restored = Signal()
zoom_connection_broke = Signal()
zoom_data_erasure_due = Signal()
zoom_reps_served = Signal()
zoom_company_rep_unserved = Signal()
zoom_company_account_notice = Signal()
zoom_company_needs_matching = Signal()
