from django.conf import settings


def zoom(request):
    """The app facts the Marketplace-approval help shows. (The site-wide Zoom banner reads the
    rep's Zoom as every page does: templates/includes/banners.html.)"""
    return {
        "zoom_app_name": settings.ZOOM_APP_NAME,
        "zoom_marketplace_url": settings.ZOOM_MARKETPLACE_URL,
    }
