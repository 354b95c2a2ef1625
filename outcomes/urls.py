from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("bookings/<int:pk>/outcome/", views.mark, name="mark"),
]
