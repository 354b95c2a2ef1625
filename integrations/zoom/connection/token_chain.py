"""The token chain: a Zoom authorization's encrypted tokens and health, shared by the rep's own
connection (`connection.models.ZoomConnection`) and the company's account connection
(`company.models.ZoomCompanyAccount`)."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from config.timestamps import timestamps

from ..api.reasons import ReconnectReason
from ..api.scopes import (
    CAPABILITIES,
    Capability,
    missing_capabilities,
    parse_scopes,
    scope_to_add,
    unavailable_capabilities,
)
from .fields import StrictEncryptedTextField

# The encrypted token columns: pages, the admin and emails never need them, and leaving them out of
# a query means they are never decrypted there.
TOKEN_FIELDS = ("access_token", "refresh_token")
# What a token grant (a connect, a refresh) writes.
GRANT_FIELDS = (*TOKEN_FIELDS, "access_token_expires_at", "scopes", "token_generation")
SUCCESS_WRITE_INTERVAL = timedelta(minutes=1)


class ZoomConnectionQuerySet(models.QuerySet):
    def without_tokens(self):
        return self.defer(*TOKEN_FIELDS)


class ZoomTokenChain(models.Model):
    """A Zoom authorization's encrypted tokens and health, shared by the rep's own connection and
    the company's account connection. Zoom rotates refresh tokens, so each row is one chain whose
    refreshes are serialized on the row (`session._refresh`); health changes go through the methods
    below, which write only the fields they own (workers share these rows).
    """

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        NEEDS_RECONNECT = "needs_reconnect", "Needs reconnecting"
        REMOVED = "removed", "Removed in Zoom"
        DISCONNECTED = "disconnected", "Not connected"

    # Which Marketplace app issued the tokens ("user": the per-rep app; "account": the company's
    # admin-managed app). The client refreshes with that app's credentials.
    zoom_app = "user"
    # Each kind of chain names the field saying whom its tokens act as (a Zoom user, a Zoom
    # account): a chain is usable once connected with that field filled.
    identity_field: str
    # What its app calls, with the scopes each call takes (`api/scopes.py`).
    capabilities: tuple[Capability, ...] = CAPABILITIES
    # What a connect refuses a grant without, among them (a rep's app: the essential ones).
    missing_from = staticmethod(missing_capabilities)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISCONNECTED)

    access_token = StrictEncryptedTextField(blank=True, default="")
    refresh_token = StrictEncryptedTextField(blank=True, default="")
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.TextField(blank=True, help_text="Granted scopes, space-separated.")
    # Bumped whenever the tokens change, so a worker holding old tokens can tell (compare-and-swap).
    token_generation = models.PositiveIntegerField(default=0)

    connected_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    needs_reconnect_reason = models.CharField(
        max_length=32, choices=ReconnectReason.choices, blank=True
    )
    needs_reconnect_detail = models.TextField(blank=True)
    # Endpoints ("GET /meetings/{meetingId}") Zoom refused for lack of a scope although the grant
    # may allow them (a read tried under classic `meeting:write`), or of a capability the product
    # does without: the connection stays healthy and the pages name the scope to add. A new
    # grant (connect, reconnect) tries them again.
    refused_endpoints = models.JSONField(default=list, blank=True)
    needs_reconnect_since = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    created_at, updated_at = timestamps()

    objects = ZoomConnectionQuerySet.as_manager()

    class Meta:
        abstract = True

    # Reads ------------------------------------------------------------------------------------

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.CONNECTED and bool(getattr(self, self.identity_field))

    @property
    def needs_reconnect(self) -> bool:
        return self.status == self.Status.NEEDS_RECONNECT

    @property
    def granted_scopes(self) -> frozenset[str]:
        return parse_scopes(self.scopes)

    @property
    def granted_scope_list(self) -> list[str]:
        return sorted(self.granted_scopes)

    @property
    def missing_capabilities(self) -> list[Capability]:
        return self.missing_from(self.granted_scopes)

    @property
    def unavailable_capabilities(self) -> list[Capability]:
        """What the product does without on this connection (the grant lacks it, or Zoom
        refused it)."""
        return unavailable_capabilities(
            self.granted_scopes, self.refused_endpoints or (), self.capabilities
        )

    def capability_unavailable(self, endpoint: str) -> bool:
        return any(c.endpoint == endpoint for c in self.unavailable_capabilities)

    @property
    def scopes_to_add(self) -> list[tuple[Capability, str]]:
        """Each unavailable capability with the scope that would allow it, in the grant's family
        (the advisory on My Integrations and the roster)."""
        granted = self.granted_scopes
        return [(c, scope_to_add(c, granted) or c.classic) for c in self.unavailable_capabilities]

    def access_token_expires_within(self, margin: timedelta) -> bool:
        expires_at = self.access_token_expires_at
        return expires_at is None or expires_at - timezone.now() <= margin

    # Transitions ------------------------------------------------------------------------------

    def store_refreshed_tokens(self, grant) -> None:
        self._store_grant(grant)
        self.last_refreshed_at = timezone.now()
        self.save(update_fields=[*GRANT_FIELDS, "last_refreshed_at", "updated_at"])

    def _store_grant(self, grant) -> None:
        self.access_token = grant.access_token
        self.refresh_token = grant.refresh_token
        self.access_token_expires_at = grant.expires_at
        self.scopes = " ".join(sorted(grant.scopes))
        self.token_generation = (self.token_generation or 0) + 1

    def mark_needs_reconnect(
        self, reason: ReconnectReason, detail: str = "", *, generation: int | None = None
    ) -> bool:
        """Connected → needs reconnect. With `generation`, only if the tokens are still the ones
        that failed: a worker holding old tokens must not break a connection just reconnected."""
        now = timezone.now()
        rows = type(self)._default_manager.filter(pk=self.pk, status=self.Status.CONNECTED)
        if generation is not None:
            rows = rows.filter(token_generation=generation)
        changed = rows.update(
            status=self.Status.NEEDS_RECONNECT,
            needs_reconnect_reason=reason,
            needs_reconnect_detail=detail[:1000],
            needs_reconnect_since=now,
            last_error=detail[:1000] or ReconnectReason(reason).label,
            last_error_at=now,
            updated_at=now,
        )
        self.refresh_from_db(fields=self.health_fields)
        return bool(changed)

    def record_refused_endpoint(self, endpoint: str) -> bool:
        """Zoom refused `endpoint` for lack of a scope: the product does without it from now on,
        and the connection stays healthy. Returns whether this call recorded it."""
        with transaction.atomic():
            row = type(self)._default_manager.select_for_update().only("refused_endpoints")
            refused = list(row.get(pk=self.pk).refused_endpoints or [])
            if endpoint in refused:
                self.refused_endpoints = refused
                return False
            refused.append(endpoint)
            type(self)._default_manager.filter(pk=self.pk).update(
                refused_endpoints=refused, updated_at=timezone.now()
            )
        self.refused_endpoints = refused
        return True

    def mark_removed(self) -> None:
        """The app was removed inside Zoom (deauthorization): forget everything Zoom gave us."""
        self._forget_zoom_data()
        self.status = self.Status.REMOVED
        self.removed_at = timezone.now()
        self.save()

    def mark_disconnected(self) -> None:
        """Disconnected here: forget everything Zoom gave us."""
        self._forget_zoom_data()
        self.status = self.Status.DISCONNECTED
        self.save()

    def _forget_zoom_data(self) -> None:
        """The tokens and why they broke; each kind of chain also forgets whom they acted as."""
        self.access_token = ""
        self.refresh_token = ""
        self.access_token_expires_at = None
        self.scopes = ""
        self.token_generation = (self.token_generation or 0) + 1
        self.needs_reconnect_reason = ""
        self.needs_reconnect_detail = ""
        self.needs_reconnect_since = None

    def _mark_healthy(self, now) -> None:
        """A new grant (connect, reconnect): healthy, and every capability worth trying again."""
        self.refused_endpoints = []
        self.status = self.Status.CONNECTED
        self.connected_at = now
        self.last_success_at = now
        self.last_error = ""
        self.last_error_at = None
        self.needs_reconnect_reason = ""
        self.needs_reconnect_detail = ""
        self.needs_reconnect_since = None
        self.removed_at = None

    def record_success(self) -> None:
        """A call worked. Busy connections succeed many times a second (every booking of the
        rep, or of every rep the company's account serves): a write a minute is plenty for the
        keep-alive's "idle" test and the roster, and spares the hot row a write per call."""
        now = timezone.now()
        since = now - SUCCESS_WRITE_INTERVAL
        if self.last_success_at and self.last_success_at >= since:
            return
        type(self)._default_manager.filter(pk=self.pk).filter(
            models.Q(last_success_at__isnull=True) | models.Q(last_success_at__lt=since)
        ).update(last_success_at=now)
        self.last_success_at = now

    def record_error(self, detail: str) -> None:
        now = timezone.now()
        type(self)._default_manager.filter(pk=self.pk).update(
            last_error=detail[:1000], last_error_at=now
        )
        self.last_error, self.last_error_at = detail[:1000], now

    # What a transition to "needs reconnect" changes (and a worker re-reads after making one).
    health_fields = [
        "status",
        "needs_reconnect_reason",
        "needs_reconnect_detail",
        "needs_reconnect_since",
        "last_error",
        "last_error_at",
        "token_generation",
    ]
