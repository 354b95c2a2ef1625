from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

# Admins sign in through the site's login, so its failed-login limits (accounts/adapter.py) guard
# the admin too; the admin's own form had none.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    # Django's set_language: the guest's language switch (a POST; a cookie).
    path("i18n/", include("django.conf.urls.i18n")),
    path("integrations/", include("integrations.urls")),
    path("", include("meetings.urls")),
    path("", include("teams.urls")),
    path("", include("outcomes.urls")),
    path("admin/", admin.site.urls),
]
