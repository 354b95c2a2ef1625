"""The reconnect emails reps were sent, in the Django admin (view only)."""

from django.contrib import admin

from config.admin_views import ViewOnlyAdmin
from integrations.models import ReconnectNotice


@admin.register(ReconnectNotice)
class ReconnectNoticeAdmin(ViewOnlyAdmin):
    """The reconnect emails reps were sent: support's answer to "were they told?"."""

    list_display = ("rep", "email", "connection_status", "reason", "sent_at", "sent_by")
    list_filter = ("connection_status", "reason")
    search_fields = ("rep__email", "email")
    list_select_related = ("rep", "sent_by")

    # A log (view only): nobody writes or erases it; deleting one would lift the daily limit.
    readonly_fields = ("rep", "email", "connection_status", "reason", "sent_at", "sent_by")
