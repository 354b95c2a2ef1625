"""Signals other apps listen to, so that integrations never imports them.

`zoom_meeting_changed(sender, meeting_id: str, change: str, details: dict)`: Zoom told us (webhook)
that a host changed ("updated") or removed ("deleted") a meeting inside Zoom. Receivers return
True when the meeting was theirs.
"""

from django.dispatch import Signal

zoom_meeting_changed = Signal()
