from django.urls import path

from .company import views as company_views
from .connection import views

# These URLs are registered in the Zoom Marketplace apps: a contract (README "Zoom URLs").
app_name = "zoom"
urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("webhook/", views.webhook, name="webhook"),
    # The company's Zoom account (the admin-managed app).
    path("account/", company_views.company_page, name="account"),
    path("account/connect/", company_views.company_connect, name="account_connect"),
    path("account/callback/", company_views.company_callback, name="account_callback"),
    path("account/match/", company_views.company_match, name="account_match"),
    path("account/reps/<int:rep_id>/map/", company_views.company_map, name="account_map"),
    path("account/disconnect/", company_views.company_disconnect, name="account_disconnect"),
    path("account/webhook/", views.company_webhook, name="account_webhook"),
]
