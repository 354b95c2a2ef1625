from django.urls import path, re_path
from django.views.static import serve

from . import api, control, control_live, oauth, pages
from .settings import BASE_DIR

urlpatterns = [
    # Zoom's OAuth server (zoom.us).
    path("oauth/authorize", oauth.authorize, name="authorize"),
    path("oauth/token", oauth.token, name="token"),
    path("oauth/revoke", oauth.revoke, name="revoke"),
    path("oauth/signin", oauth.signin, name="signin"),
    path("oauth/signout", oauth.signout, name="signout"),
    path("oauth/preapproval", oauth.request_preapproval, name="request_preapproval"),
    # Zoom's REST API (api.zoom.us/v2).
    path("v2/users/<str:user>", api.user_detail),
    path("v2/users/<str:user>/settings", api.user_settings),
    path("v2/users/<str:user>/meetings", api.user_meetings),
    path("v2/meetings/<str:meeting_id>", api.meeting_detail),
    # A UUID may hold "/" (base64): everything between the two fixed parts is the meeting.
    re_path(r"^v2/past_meetings/(?P<meeting_id>.+)/participants$", api.past_meeting_participants),
    re_path(r"^v2/(?P<rest>.*)$", api.not_found),
    # The Marketplace and Zoom's web pages.
    path("marketplace/app", pages.marketplace_app, name="marketplace_app"),
    path("marketplace/app/<str:client_id>", pages.marketplace_app, name="marketplace_listing"),
    path(
        "marketplace/app/<str:client_id>/install",
        pages.marketplace_install,
        name="marketplace_install",
    ),
    path("marketplace/manage", pages.manage_apps, name="manage_apps"),
    path("marketplace/manage/<str:client_id>/remove", pages.remove_app, name="remove_app"),
    path("j/<int:meeting_id>", pages.join, name="join"),
    path("s/<int:meeting_id>", pages.join, name="start"),
    # The sandbox's own pages.
    path("", pages.home, name="home"),
    path("admin/accounts/<str:account_id>", pages.admin_account, name="admin_account"),
    path(
        "admin/accounts/<str:account_id>/action",
        pages.admin_account_action,
        name="admin_account_action",
    ),
    path("meetings", pages.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>", pages.meeting_edit, name="meeting_edit"),
    path("webhooks", pages.webhook_list, name="webhook_list"),
    path("webhooks/validate", pages.webhook_validate, name="webhook_validate"),
    path("webhooks/<int:delivery_id>/redeliver", pages.webhook_redeliver, name="webhook_redeliver"),
    path("knobs", pages.knobs_page, name="knobs"),
    path("calls", pages.call_list, name="call_list"),
    re_path(
        r"^_static/(?P<path>.*)$", serve, {"document_root": BASE_DIR / "static" / "zoom_sandbox"}
    ),
    # The control API for tests and scripts.
    path("_sandbox/health", control.health),
    path("_sandbox/reset", control.reset),
    path("_sandbox/apps", control.register_app),
    path("_sandbox/apps/scopes", control.app_scopes),
    path("_sandbox/users", control.users_view),
    path("_sandbox/users/<str:email>/settings", control.user_settings),
    path("_sandbox/users/<str:email>/delete", control.delete_user),
    path("_sandbox/users/<str:email>/tokens", control.token_stats),
    path("_sandbox/users/<str:email>/expire-access-tokens", control.expire_tokens),
    path("_sandbox/users/<str:email>/daily-usage", control.daily_usage),
    path("_sandbox/users/<str:email>/uninstall", control.uninstall),
    path("_sandbox/users/<str:email>/status", control.user_status),
    path("_sandbox/accounts/<str:account_id>/approve", control.approve),
    path("_sandbox/accounts/<str:account_id>/withdraw", control.withdraw),
    path("_sandbox/preapproval-requests", control.preapproval_requests),
    path("_sandbox/knobs", control.knobs_view),
    path("_sandbox/failures", control.failures),
    path("_sandbox/calls", control.calls_view),
    path("_sandbox/meetings", control.meetings_view),
    path("_sandbox/meetings/<str:meeting_id>/update", control.update_meeting),
    path("_sandbox/meetings/<str:meeting_id>/delete", control.delete_meeting),
    path("_sandbox/meetings/<str:meeting_id>/status", control.meeting_status),
    path("_sandbox/meetings/<str:meeting_id>/start", control_live.start),
    path("_sandbox/meetings/<str:meeting_id>/join", control_live.join),
    path("_sandbox/meetings/<str:meeting_id>/admit", control_live.admit),
    path("_sandbox/meetings/<str:meeting_id>/leave", control_live.leave),
    path("_sandbox/meetings/<str:meeting_id>/end", control_live.end),
    path("_sandbox/meetings/<str:meeting_id>/participants", control_live.participants),
    path("_sandbox/accounts/<str:account_id>/plan", control_live.account_plan),
    path("_sandbox/accounts/<str:account_id>/daily-usage", control_live.account_daily_usage),
    path("_sandbox/page-tokens/age", control_live.age_page_tokens),
    path("_sandbox/webhooks", control.deliveries),
    path("_sandbox/webhooks/url-validation", control.url_validation),
    path("_sandbox/webhooks/held/send", control_live.send_held),
    path("_sandbox/webhooks/<int:delivery_id>/redeliver", control.redeliver),
    path("_sandbox/webhooks/<int:delivery_id>/retry", control.retry_delivery),
]
