from django.urls import path

from .views import bookings, meeting_types, public

app_name = "meetings"
urlpatterns = [
    path("meeting-types/", meeting_types.meeting_type_list, name="meeting_type_list"),
    path("meeting-types/new/", meeting_types.meeting_type_create, name="meeting_type_create"),
    path("meeting-types/<int:pk>/edit/", meeting_types.meeting_type_edit, name="meeting_type_edit"),
    path(
        "meeting-types/<int:pk>/archive/",
        meeting_types.meeting_type_archive,
        name="meeting_type_archive",
    ),
    path(
        "meeting-types/<int:pk>/delete/",
        meeting_types.meeting_type_delete,
        name="meeting_type_delete",
    ),
    path("bookings/", bookings.booking_list, name="booking_list"),
    path("bookings/past/", bookings.past_booking_list, name="past_booking_list"),
    path("bookings/<int:pk>/", bookings.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/link/", bookings.booking_link, name="booking_link"),
    path("bookings/<int:pk>/reschedule/", bookings.booking_reschedule, name="booking_reschedule"),
    path("bookings/<int:pk>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/retry/", bookings.booking_retry, name="booking_retry"),
    path("bookings/<int:pk>/start/", bookings.booking_start, name="booking_start"),
    # The guest's pages: the signed token is the only key.
    path("bookings/guest/<str:token>/", public.guest_booking, name="guest_booking"),
    path("bookings/guest/<str:token>/link/", public.guest_link, name="guest_link"),
    path("bookings/guest/<str:token>/calendar.ics", public.guest_calendar, name="guest_calendar"),
    path(
        "bookings/guest/<str:token>/reschedule/",
        public.guest_reschedule,
        name="guest_reschedule",
    ),
    path("bookings/guest/<str:token>/cancel/", public.guest_cancel, name="guest_cancel"),
    path("book/<slug:rep>/<slug:meeting_type>/", public.book, name="book"),
    path("book/<slug:rep>/<slug:meeting_type>/confirm/", public.book_confirm, name="book_confirm"),
]
