from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .selectors import zoom_connection_needing_attention


def zoom(request):
    """`zoom_attention` for the site-wide banner (queried only when a template reads it) and the
    app facts the Marketplace-approval help shows."""
    user = getattr(request, "user", None)
    attention = None
    if user is not None and user.is_authenticated:
        attention = SimpleLazyObject(lambda: zoom_connection_needing_attention(user))
    return {
        "zoom_attention": attention,
        "zoom_app_name": settings.ZOOM_APP_NAME,
        "zoom_marketplace_url": settings.ZOOM_MARKETPLACE_URL,
    }
