"""The Zoom API: the client (the only code that talks HTTP to Zoom), its typed errors, the pacing
of calls per Zoom account, the scopes each call needs, each host's daily allowance and passcode
rules. Nothing here knows a rep, a booking or a page."""
