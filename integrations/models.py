"""This app's tables are the Zoom admin's (the roster's permissions, the reconnect notices): they
are defined with the rest of Zoom, in `integrations.zoom.models`, under this app's label, which
their tables and permission names keep. Importing them here gives the app its models module, which
Django needs to create their content types and permissions."""

from integrations.zoom.models import ReconnectNotice, ZoomRosterEntry

__all__ = ["ReconnectNotice", "ZoomRosterEntry"]
