from django.urls import include, path

from .views import members, public, reassign


def _page(route: str, view):
    """Each URL is named after its view."""
    return path(route, view, name=view.__name__)


team_booking_page = [_page("", public.team_book), _page("confirm/", public.team_book_confirm)]
# One member's times of a team type: a guest booking again with the rep they had.
team_member_booking_page = [
    _page("", public.team_book_with),
    _page("confirm/", public.team_book_with_confirm),
]

member_pages = [
    _page("", members.my_teams),
    _page("book/<int:pk>/", members.book_for),
    _page("booked/<int:pk>/", members.booked_for),
    _page("reassign/<int:pk>/", reassign.reassign),
]

app_name = "teams"
urlpatterns = [
    path("teams/", include(member_pages)),
    path("team/<slug:team>/<slug:meeting_type>/", include(team_booking_page)),
    path(
        "team/<slug:team>/<slug:meeting_type>/with/<slug:rep>/",
        include(team_member_booking_page),
    ),
]
