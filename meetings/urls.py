from django.urls import path

from .views import bookings, guest, meeting_types, public, schedules


def _page(route: str, view):
    """Each URL is named after its view."""
    return path(route, view, name=view.__name__)


# The guest's pages: the signed token is the only key.
GUEST = "bookings/guest/<str:token>/"
BOOKING_PAGE = "book/<slug:rep>/<slug:meeting_type>/"


def _actions(prefix: str, views, noun: str, actions: str) -> list:
    """`prefix` + "<action>/" for each of the space-separated `actions`, served by the view
    `<noun>_<action>` (a dash in the route is an underscore in the view's name)."""
    return [
        _page(f"{prefix}{action}/", getattr(views, f"{noun}_{action.replace('-', '_')}"))
        for action in actions.split()
    ]


app_name = "meetings"
urlpatterns = [
    _page("meeting-types/", meeting_types.meeting_type_list),
    _page("meeting-types/new/", meeting_types.meeting_type_create),
    *_actions("meeting-types/<int:pk>/", meeting_types, "meeting_type", "edit archive delete"),
    _page("availability/", schedules.schedule_list),
    _page("availability/new/", schedules.schedule_create),
    *_actions("availability/<int:pk>/", schedules, "schedule", "edit delete"),
    _page(GUEST, guest.guest_booking),
    _page(GUEST + "calendar.ics", guest.guest_calendar),
    *_actions(GUEST, guest, "guest", "link reschedule cancel language"),
    _page("bookings/", bookings.booking_list),
    _page("bookings/past/", bookings.past_booking_list),
    _page("bookings/<int:pk>/", bookings.booking_detail),
    *_actions(
        "bookings/<int:pk>/", bookings, "booking", "link reschedule cancel retry create-anew start"
    ),
    _page(BOOKING_PAGE, public.book),
    _page(BOOKING_PAGE + "confirm/", public.book_confirm),
]
