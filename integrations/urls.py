from django.urls import include, path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.my_integrations, name="index"),
    path("zoom/", include("integrations.zoom.urls")),
]
