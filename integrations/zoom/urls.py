from django.urls import path

from . import account_views, views

# These URLs are registered in the Zoom Marketplace apps: a contract (README "Zoom URLs").
app_name = "zoom"
urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("webhook/", views.webhook, name="webhook"),
    # The company's Zoom account (the admin-managed app).
    path("account/", account_views.account_page, name="account"),
    path("account/connect/", account_views.account_connect, name="account_connect"),
    path("account/callback/", account_views.account_callback, name="account_callback"),
    path("account/match/", account_views.account_match, name="account_match"),
    path("account/reps/<int:rep_id>/map/", account_views.account_map, name="account_map"),
    path("account/disconnect/", account_views.account_disconnect, name="account_disconnect"),
    path("account/webhook/", views.account_webhook, name="account_webhook"),
]
