"""Why a rep's Zoom connection stopped working: stored on the connection and on reconnect notices,
carried by `errors.ZoomNeedsReconnect`, shown to reps and admins."""

from django.db import models


class ReconnectReason(models.TextChoices):
    """Why a connection stopped working and only the rep reconnecting can fix it."""

    INVALID_GRANT = (
        "invalid_grant",
        "Zoom no longer accepts this connection's authorization (it was revoked or expired, or "
        "the app's Zoom permissions changed): reconnect Zoom to authorize it again",
    )
    USER_GONE = "user_gone", "The Zoom user no longer exists"
    APPROVAL_WITHDRAWN = "approval_withdrawn", "Your Zoom admin withdrew the app's approval"
    AUTHORIZED_ELSEWHERE = (
        "authorized_elsewhere",
        "This Zoom user authorized the app again somewhere else",
    )
    MISSING_SCOPES = "missing_scopes", "The connection lacks permissions the app needs"
    SCOPES_CHANGED = (
        "scopes_changed",
        "The app's Zoom permissions changed since you connected: reconnect Zoom to approve them",
    )
    REAUTHORIZE = "reauthorize", "Zoom asks you to authorize the app again"
    REFRESH_REFUSED = (
        "refresh_refused",
        "Zoom refused to renew this connection's authorization: reconnect Zoom",
    )
