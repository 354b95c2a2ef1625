from django.urls import include, path

from .views import bookings, guest, meeting_types, public, schedules


def _page(route: str, view):
    """Each URL is named after its view."""
    return path(route, view, name=view.__name__)


meeting_type_pages = [
    _page("", meeting_types.meeting_type_list),
    _page("new/", meeting_types.meeting_type_create),
    _page("<int:pk>/edit/", meeting_types.meeting_type_edit),
    _page("<int:pk>/archive/", meeting_types.meeting_type_archive),
    _page("<int:pk>/delete/", meeting_types.meeting_type_delete),
]
schedule_pages = [
    _page("", schedules.schedule_list),
    _page("new/", schedules.schedule_create),
    _page("<int:pk>/edit/", schedules.schedule_edit),
    _page("<int:pk>/delete/", schedules.schedule_delete),
]
booking_pages = [
    _page("", bookings.booking_list),
    _page("past/", bookings.past_booking_list),
    _page("<int:pk>/", bookings.booking_detail),
    _page("<int:pk>/link/", bookings.booking_link),
    _page("<int:pk>/reschedule/", bookings.booking_reschedule),
    _page("<int:pk>/cancel/", bookings.booking_cancel),
    _page("<int:pk>/retry/", bookings.booking_retry),
    _page("<int:pk>/create-anew/", bookings.booking_create_anew),
    _page("<int:pk>/start/", bookings.booking_start),
]
# The guest's pages: the signed token is the only key.
guest_pages = [
    _page("", guest.guest_booking),
    _page("link/", guest.guest_link),
    _page("calendar.ics", guest.guest_calendar),
    _page("reschedule/", guest.guest_reschedule),
    _page("cancel/", guest.guest_cancel),
    _page("language/", guest.guest_language),
]
booking_page = [_page("", public.book), _page("confirm/", public.book_confirm)]

app_name = "meetings"
urlpatterns = [
    path("meeting-types/", include(meeting_type_pages)),
    path("availability/", include(schedule_pages)),
    path("bookings/guest/<str:token>/", include(guest_pages)),
    path("bookings/", include(booking_pages)),
    path("book/<slug:rep>/<slug:meeting_type>/", include(booking_page)),
]
