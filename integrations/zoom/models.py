"""Django loads the app's models from here. Each model lives in its room: import it from there."""

from .api.account_pace import ZoomAccountPace
from .company.models import ZoomCompanyAccount, ZoomCompanyMember
from .connection.models import ZoomConnection, ZoomDataErasure
from .webhooks.models import ZoomWebhookEvent

__all__ = [
    "ZoomAccountPace",
    "ZoomCompanyAccount",
    "ZoomCompanyMember",
    "ZoomConnection",
    "ZoomDataErasure",
    "ZoomWebhookEvent",
]
