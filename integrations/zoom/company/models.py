"""The company's Zoom account, connected once by a Zoom admin, and the reps it serves.

Zoom's account-level integration is a second, admin-managed Marketplace app: an account admin
authorizes it once with `:admin` scopes, and its one token chain then acts for every user of that
Zoom account (`POST /users/{userId}/meetings`). Admin-managed and user-managed apps are separate
apps ("there's no app type that combines both":
https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import done_by

from ..api.scopes import ACCOUNT_CAPABILITIES, missing_account_capabilities
from ..connection.token_chain import ZoomTokenChain
from ..connection.zoom_user import ZoomUser, zoom_user_constraints

COMPANY = "company"


class ZoomCompanyAccount(ZoomTokenChain):
    """The one connection to the company's Zoom account (one row at most: `key` is constant).

    Every served rep's Zoom calls spend this row's tokens, so its refresh is the hottest
    serialized write of the product (one row lock for everyone, see `connection.session._refresh`).
    """

    zoom_app = "account"
    capabilities = ACCOUNT_CAPABILITIES
    missing_from = staticmethod(missing_account_capabilities)
    identity_field = "zoom_account_id"

    key = models.CharField(max_length=20, default=COMPANY, unique=True, editable=False)
    zoom_account_id = models.CharField(max_length=64, blank=True)
    # The Zoom admin who authorized the app (Zoom's `GET /users/me` of the account token).
    admin_zoom_user_id = models.CharField(max_length=64, blank=True)
    admin_zoom_email = models.EmailField(blank=True)
    connected_by = done_by(
        help_text="The staff user who connected the company's Zoom account here."
    )

    class Meta:
        # The table keeps the name it was created under (the model was ZoomCompanyAccount).
        db_table = "zoom_zoomaccountconnection"
        verbose_name = "company Zoom account"
        permissions = [
            ("manage_zoom_account", "Can connect the company's Zoom account and map reps to it"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(key=COMPANY), name="one_company_zoom_account"),
            models.CheckConstraint(
                condition=~Q(status="connected") | ~Q(zoom_account_id=""),
                name="zoom_account_connected_has_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"Company Zoom account: {self.get_status_display()}"

    def store_connection(self, grant, profile: dict, staff_user) -> None:
        self.zoom_account_id = str(profile.get("account_id") or "")
        self.admin_zoom_user_id = str(profile["id"])
        self.admin_zoom_email = profile.get("email", "")
        self.connected_by = staff_user
        self._store_grant(grant)
        self._mark_healthy(timezone.now())
        self.save()

    def _forget_zoom_data(self) -> None:
        super()._forget_zoom_data()
        self.zoom_account_id = ""
        self.admin_zoom_user_id = ""
        self.admin_zoom_email = ""
        # The reps' Zoom user ids, emails and types came from Zoom too.
        self.members.all().delete()


class ZoomCompanyMember(ZoomUser):
    """A rep as the company's Zoom account knows them: the Zoom user their meetings are created
    for, or why there is none."""

    class State(models.TextChoices):
        SERVED = "served", "Served"
        NO_ZOOM_USER = "no_zoom_user", "No Zoom user with this email in the company's account"
        BASIC_USER = "basic_user", "A Basic (free) Zoom user: meetings end after 40 minutes"
        DEACTIVATED = "deactivated", "The Zoom user is deactivated"
        LEFT_ACCOUNT = "left_account", "No longer a user of the company's Zoom account"
        INVITATION_PENDING = (
            "invitation_pending",
            "Invited to the company's Zoom account: the invitation is pending (or expired)",
        )
        EMAIL_UNVERIFIED = (
            "email_unverified",
            "Their email address is not verified yet: it cannot claim a Zoom user",
        )
        ZOOM_USER_TAKEN = "zoom_user_taken", "That Zoom user already serves another rep"
        LOOKUP_FAILED = "lookup_failed", "Zoom could not be asked: try again"
        CANNOT_HOST = "cannot_host", "Zoom does not let this Zoom user host meetings"

    account = models.ForeignKey(
        ZoomCompanyAccount, on_delete=models.CASCADE, related_name="members"
    )
    rep = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zoom_company_member"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    # What the admin typed when the rep's Zoom email differs from their email here.
    mapped_by_hand_to = models.CharField(max_length=254, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table keeps the name it was created under (the model was ZoomCompanyMember).
        db_table = "zoom_zoomaccountmember"
        constraints = zoom_user_constraints(
            Q(state="served"),
            one_rep="zoom_account_user_serves_one_rep",
            known="zoom_account_served_has_user",
        )

    def __str__(self) -> str:
        return f"{self.rep_id} on the company's Zoom: {self.get_state_display()}"

    @property
    def is_served(self) -> bool:
        return self.state == self.State.SERVED and bool(self.zoom_user_id)

    def mark_left(self) -> bool:
        """Zoom answered 1001 for this rep's Zoom user: they left the company's Zoom account."""
        return self.mark_unserved(self.State.LEFT_ACCOUNT)

    def mark_unserved(self, state: str) -> bool:
        """The rep's Zoom user can no longer host for them (left the account, deactivated,
        deleted, not allowed to host): only this rep stops being served, with the reason.
        Returns whether this call made the change."""
        changed = ZoomCompanyMember.objects.filter(pk=self.pk, state=self.State.SERVED).update(
            state=state,
            zoom_user_id="",
            zoom_timezone="",
            checked_at=timezone.now(),
        )
        self.refresh_from_db()
        return bool(changed)
