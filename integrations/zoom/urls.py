from django.urls import path

from . import views

# These URLs are registered in the Zoom Marketplace app: a contract (README "Zoom URLs").
app_name = "zoom"
urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("webhook/", views.webhook, name="webhook"),
]
