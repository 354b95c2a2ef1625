from django.urls import path

from .views import bookings, guest, meeting_types, public, schedules


def _page(route: str, view):
    """Each URL is named after its view."""
    return path(route, view, name=view.__name__)


# The guest's pages: the signed token is the only key.
GUEST = "bookings/guest/<str:token>/"
BOOKING_PAGE = "book/<slug:rep>/<slug:meeting_type>/"

app_name = "meetings"
urlpatterns = [
    _page("meeting-types/", meeting_types.meeting_type_list),
    _page("meeting-types/new/", meeting_types.meeting_type_create),
    _page("meeting-types/<int:pk>/edit/", meeting_types.meeting_type_edit),
    _page("meeting-types/<int:pk>/archive/", meeting_types.meeting_type_archive),
    _page("meeting-types/<int:pk>/delete/", meeting_types.meeting_type_delete),
    _page("availability/", schedules.schedule_list),
    _page("availability/new/", schedules.schedule_create),
    _page("availability/<int:pk>/edit/", schedules.schedule_edit),
    _page("availability/<int:pk>/delete/", schedules.schedule_delete),
    _page(GUEST, guest.guest_booking),
    _page(GUEST + "link/", guest.guest_link),
    _page(GUEST + "calendar.ics", guest.guest_calendar),
    _page(GUEST + "reschedule/", guest.guest_reschedule),
    _page(GUEST + "cancel/", guest.guest_cancel),
    _page(GUEST + "language/", guest.guest_language),
    _page("bookings/", bookings.booking_list),
    _page("bookings/past/", bookings.past_booking_list),
    _page("bookings/<int:pk>/", bookings.booking_detail),
    _page("bookings/<int:pk>/link/", bookings.booking_link),
    _page("bookings/<int:pk>/reschedule/", bookings.booking_reschedule),
    _page("bookings/<int:pk>/cancel/", bookings.booking_cancel),
    _page("bookings/<int:pk>/retry/", bookings.booking_retry),
    _page("bookings/<int:pk>/create-anew/", bookings.booking_create_anew),
    _page("bookings/<int:pk>/start/", bookings.booking_start),
    _page(BOOKING_PAGE, public.book),
    _page(BOOKING_PAGE + "confirm/", public.book_confirm),
]
