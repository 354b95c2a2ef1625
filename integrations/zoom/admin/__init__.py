"""The Zoom admin: the raw connections, the roster of every rep (`roster_admin`) with its actions
(`roster_actions`), the reconnect emails reps were sent (`notices`), the overview on the admin
index (`overview`, `templatetags.zoom_admin`).

The Zoom core never imports this layer."""

from django.contrib import admin

from config.admin_views import ViewOnlyAdmin

from ..api.account_pace import ZoomAccountPace, forget_cached
from ..connection.models import ZoomConnection, ZoomDataErasure
from ..connection.services import revoke_before_delete
from . import notices, roster_admin  # noqa: F401 - registers the reconnect notices, the roster


@admin.register(ZoomConnection)
class ZoomConnectionAdmin(admin.ModelAdmin):
    """Read-mostly: tokens are never loaded, shown or editable here."""

    list_display = ("user", "status", "zoom_email", "zoom_user_type", "last_success_at")
    list_filter = ("status", "zoom_user_type", "needs_reconnect_reason")
    search_fields = ("user__email", "zoom_email", "zoom_user_id", "zoom_account_id")
    exclude = ("access_token", "refresh_token")
    readonly_fields = (
        "user",
        "status",
        "zoom_user_id",
        "zoom_account_id",
        "zoom_email",
        "zoom_user_type",
        "zoom_timezone",
        "passcode_rules",
        "access_token_expires_at",
        "scopes",
        "token_generation",
        "connected_at",
        "last_success_at",
        "last_refreshed_at",
        "last_error",
        "last_error_at",
        "needs_reconnect_reason",
        "needs_reconnect_detail",
        "needs_reconnect_since",
        "removed_at",
        "connect_started_at",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).without_tokens()

    def has_module_permission(self, request):
        # The roster is the one list of connections; a second list beside it only offered
        # "Delete selected". Each connection's read-only page stays reachable by its URL.
        return False

    def has_add_permission(self, request):
        # Connections are made by the rep through Zoom's consent screen, never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting the row alone would leave the grant active at Zoom: it is revoked first.
    def delete_model(self, request, obj):
        revoke_before_delete(obj.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for connection in queryset:
            revoke_before_delete(connection.user)
        super().delete_queryset(request, queryset)


@admin.register(ZoomDataErasure)
class ZoomDataErasureAdmin(ViewOnlyAdmin):
    """The record of each erasure after an app was removed in Zoom: evidence, never edited."""

    list_display = ("zoom_app", "rep", "erased_at", "retained", "records_erased", "payloads_erased")
    list_filter = ("zoom_app", "retained")
    search_fields = ("rep__email",)


@admin.register(ZoomAccountPace)
class ZoomAccountPaceAdmin(admin.ModelAdmin):
    """How fast calls to each Zoom account go: learned from Zoom's 429s, or set here (a Free
    account allows 2 Medium requests a second, Business 60)."""

    list_display = ("zoom_account_id", "effective_rate", "admin_rate", "learned_rate", "learned_at")
    search_fields = ("zoom_account_id",)
    fields = (
        "zoom_account_id",
        "admin_rate",
        "learned_rate",
        "learned_limit",
        "learned_category",
        "learned_at",
    )
    readonly_fields = ("learned_rate", "learned_limit", "learned_category", "learned_at")

    @admin.display(description="Paced at (requests/s)")
    def effective_rate(self, pace):
        return f"{pace.rate:g}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_cached(obj.zoom_account_id)
