"""Django loads the app's models from here. Each model lives in its room: import it from there."""

from .company.models import ZoomAccountConnection, ZoomAccountMember
from .connection.models import ZoomConnection, ZoomDataErasure
from .webhooks.models import ZoomWebhookEvent

__all__ = [
    "ZoomAccountConnection",
    "ZoomAccountMember",
    "ZoomConnection",
    "ZoomDataErasure",
    "ZoomWebhookEvent",
]
