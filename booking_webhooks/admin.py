from django import forms
from django.contrib import admin, messages

from config.admin_views import ViewOnlyAdmin
from config.celery import publish

from . import deliveries
from .models import DeliveryAttempt, EventType, WebhookDelivery, WebhookEndpoint
from .tasks import deliver_webhook


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple, initial=EventType.values
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["__str__", "url", "events", "is_active", "disabled_reason", "created_at"]
    readonly_fields = ["signing_secret", "disabled_reason", "created_at"]
    fieldsets = [
        (None, {"fields": ["url", "description", "event_types", "is_active", "disabled_reason"]}),
        (
            "Verifying deliveries",
            {
                "fields": ["signing_secret"],
                "description": "Every delivery is signed the Standard Webhooks way "
                "(https://www.standardwebhooks.com/): check webhook-signature with this secret, "
                "and drop repeats of a webhook-id you have seen.",
            },
        ),
    ]
    actions = ["roll_secret"]

    @admin.display(description="Events")
    def events(self, endpoint):
        # "Every event": it also gets events added later (README, Outgoing webhooks).
        chosen = set(endpoint.event_types)
        if chosen.issuperset(EventType.values):
            return "Every event"
        return ", ".join(label for value, label in EventType.choices if value in chosen)

    @admin.display(description="Signing secret")
    def signing_secret(self, endpoint):
        return endpoint.secret if endpoint.pk else "Shown once the endpoint is saved."

    def save_model(self, request, obj, form, change):
        if obj.is_active:
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Roll the signing secret (receivers must take the new one)",
        permissions=["change"],
    )
    def roll_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.roll_secret()
            endpoint.save(update_fields=["secret"])
            self.log_change(request, endpoint, "Rolled the signing secret.")
        self.message_user(request, "New secrets made: update the receivers.", messages.WARNING)


class AttemptInline(admin.StackedInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["attempted_at", "status_code", "error", "duration_ms", "response_excerpt"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The log is part of the delivery: whoever may read deliveries reads their attempts.
        return request.user.has_perm("booking_webhooks.view_webhookdelivery")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "booking",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type", "endpoint"]
    list_select_related = ["endpoint", "booking"]
    search_fields = ["message_id", "booking__guest_email"]
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_resend_permission(self, request):
        return request.user.has_perm("booking_webhooks.change_webhookendpoint")

    @admin.action(description="Send again (retries start over)", permissions=["resend"])
    def send_again(self, request, queryset):
        for delivery in queryset:
            deliveries.send_again(delivery, on_commit=lambda pk: publish(deliver_webhook, pk))
            self.log_change(request, delivery, "Sent again.")
        self.message_user(request, f"{queryset.count()} delivery(ies) sent again.")
