"""Django loads the app's models from here. Each model lives in its room: import it from there."""

from .company.models import ZoomCompanyAccount, ZoomCompanyMember
from .connection.models import ZoomConnection, ZoomDataErasure
from .webhooks.models import ZoomWebhookEvent

__all__ = [
    "ZoomCompanyAccount",
    "ZoomCompanyMember",
    "ZoomConnection",
    "ZoomDataErasure",
    "ZoomWebhookEvent",
]
