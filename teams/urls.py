from django.urls import include, path

from .views import public


def _page(route: str, view):
    """Each URL is named after its view."""
    return path(route, view, name=view.__name__)


team_booking_page = [_page("", public.team_book), _page("confirm/", public.team_book_confirm)]

app_name = "teams"
urlpatterns = [
    path("team/<slug:team>/<slug:meeting_type>/", include(team_booking_page)),
]
