"""A rep's own Zoom connection, and the record that its Zoom data was erased."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import own_rep

from .token_chain import ZoomTokenChain
from .zoom_user import ZoomUser, ZoomUserType, zoom_user_constraints

PASSCODE_RULE_FIELDS = (
    "length",
    "have_letter",
    "have_number",
    "have_special_character",
    "only_allow_numeric",
    "have_upper_and_lower_characters",
    "consecutive_characters_length",
)


def passcode_rules_of(zoom_settings: dict) -> dict:
    """The passcode rules in a GET /users/{id}/settings answer, with only the fields we know and
    values of the right type. https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}/settings
    """
    schedule = zoom_settings.get("schedule_meeting") if isinstance(zoom_settings, dict) else None
    raw = (schedule or {}).get("meeting_password_requirement")
    if not isinstance(raw, dict):
        return {}
    rules = {}
    for name in PASSCODE_RULE_FIELDS:
        value = raw.get(name)
        if name in ("length", "consecutive_characters_length"):
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                rules[name] = value
        elif isinstance(value, bool):
            rules[name] = value
    return rules


# Zoom ends a Basic (free) user's meetings after 40 minutes.
BASIC_MEETING_LIMIT_MINUTES = 40
# How long after a Connect click with no return we still offer the "admin approval" explanation.
PENDING_CONNECT_WINDOW = timedelta(days=1)


class ZoomConnection(ZoomTokenChain, ZoomUser):
    """A rep's link to their own Zoom user: identity, encrypted tokens, and health.

    A row exists once a rep has started connecting; `status` says whether it works.
    """

    UserType = ZoomUserType
    identity_field = "zoom_user_id"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zoom_connection"
    )

    # Looked up by Zoom's events, which name the Zoom user.
    zoom_user_id = models.CharField(max_length=64, blank=True, db_index=True)
    zoom_account_id = models.CharField(max_length=64, blank=True)
    # The host's passcode rules (`schedule_meeting.meeting_password_requirement` of
    # GET /users/me/settings), read at connect and by the keep-alive; {} until read.
    passcode_rules = models.JSONField(default=dict, blank=True)

    # Set when the rep is sent to Zoom, cleared when Zoom sends them back. Zoom never sends back a
    # user it blocks for lack of admin approval, so a value that stays means "probably that".
    connect_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = zoom_user_constraints(
            Q(status="connected"),
            one_rep="zoom_user_connected_to_one_rep",
            known="zoom_connected_has_identity",
        )

    def __str__(self) -> str:
        return f"Zoom for {self.user_id}: {self.get_status_display()}"

    # Reads ------------------------------------------------------------------------------------

    @property
    def has_pending_connect(self) -> bool:
        """A Connect click that Zoom never answered (admin approval is the usual cause)."""
        return (
            self.connect_started_at is not None
            and timezone.now() - self.connect_started_at < PENDING_CONNECT_WINDOW
        )

    # Transitions ------------------------------------------------------------------------------

    def start_connect_attempt(self) -> None:
        self.connect_started_at = timezone.now()
        self.save(update_fields=["connect_started_at", "updated_at"])

    def end_connect_attempt(self) -> None:
        if self.connect_started_at is not None:
            self.connect_started_at = None
            self.save(update_fields=["connect_started_at", "updated_at"])

    def store_connection(self, grant, profile: dict, settings_: dict | None = None) -> None:
        """A completed connect or reconnect: new tokens, the Zoom identity (and the user's Zoom
        settings we use), healthy again."""
        self.passcode_rules = passcode_rules_of(settings_ or {})
        self.status = self.Status.CONNECTED
        self.zoom_user_id = str(profile["id"])
        self.zoom_account_id = str(profile.get("account_id", ""))
        self.zoom_email = profile.get("email", "")
        self.zoom_user_type = profile.get("type")
        self.zoom_timezone = profile.get("timezone", "")
        self._store_grant(grant)
        self._mark_healthy(timezone.now())
        self.connect_started_at = None
        self.save()

    def store_passcode_rules(self, zoom_settings: dict) -> None:
        rules = passcode_rules_of(zoom_settings)
        if rules != self.passcode_rules:
            self.passcode_rules = rules
            ZoomConnection.objects.filter(pk=self.pk).update(passcode_rules=rules)

    def _forget_zoom_data(self) -> None:
        super()._forget_zoom_data()
        self.zoom_user_id = ""
        self.zoom_account_id = ""
        self.zoom_email = ""
        self.zoom_user_type = None
        self.zoom_timezone = ""
        self.passcode_rules = {}
        self.connect_started_at = None


class ZoomApp(models.TextChoices):
    """The two Zoom Marketplace apps, named as bookings name the token chain each one gives
    (`meetings.zoom.state.ZoomChain`): the rep's own (user-managed) app and the company's
    (admin-managed) one. Removing one in Zoom erases what it gave, never the other's."""

    PERSONAL = "personal", "The rep's own Zoom app"
    COMPANY = "company", "The company's Zoom app"


class ZoomDataErasure(models.Model):
    """The record that Zoom data was erased after an app was removed in Zoom (Marketplace data
    rules ask for it within 10 days; we do it when the event is processed): a rep's own app (`rep`
    set), or the company's app for the whole Zoom account (`rep` empty). It holds no Zoom value
    itself: only which app, who, when, and how much."""

    zoom_app = models.CharField(max_length=10, choices=ZoomApp.choices, default=ZoomApp.PERSONAL)
    rep = own_rep("zoom_erasures")
    deauthorized_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(default=timezone.now)
    # Zoom's `user_data_retention`: true lets us keep what we hold (only the tokens went).
    retained = models.BooleanField(default=False)
    records_erased = models.PositiveIntegerField(default=0)
    payloads_erased = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-erased_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(zoom_app="company") | Q(rep__isnull=False),
                name="zoom_erasure_of_personal_app_names_rep",
            ),
        ]

    def __str__(self) -> str:
        kept = "kept (Zoom allowed it)" if self.retained else "erased"
        whose = "the company's Zoom app" if self.rep_id is None else f"rep {self.rep_id}"
        return f"Zoom data of {whose} {kept} at {self.erased_at:%Y-%m-%d %H:%M}"
