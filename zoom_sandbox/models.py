"""What the sandbox remembers: apps, Zoom accounts and users, grants and tokens, meetings, and
what it received and sent. One SQLite file (`--db`), so the demo keeps its state across restarts."""

from django.db import models
from django.utils.timezone import now


class App(models.Model):
    """A Marketplace app as the demo or a test registers it (client id, redirect URIs, webhook).

    Zoom's apps are either user-managed (each user adds it for themselves) or admin-managed (an
    account admin adds it once for the whole account, with `:admin` scopes only: "there's no app
    type that combines both"). https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/
    """

    USER_MANAGED, ADMIN_MANAGED = "user", "admin"
    MANAGEMENT = [(USER_MANAGED, "User-managed"), (ADMIN_MANAGED, "Admin-managed")]

    client_id = models.CharField(max_length=100, unique=True)
    client_secret = models.CharField(max_length=200)
    name = models.CharField(max_length=200, default="Scheduler for Zoom")
    redirect_uris = models.JSONField(default=list)
    webhook_url = models.CharField(max_length=500, blank=True)
    webhook_secret_token = models.CharField(max_length=200, blank=True)
    # What the listing asks for, space-separated; empty means the listing of the `scope_family`
    # knob's family (granular by default). The `granted_scopes` knob can grant something else.
    scopes = models.CharField(max_length=1000, blank=True, default="")
    management = models.CharField(max_length=10, choices=MANAGEMENT, default=USER_MANAGED)
    # The app's Event Subscriptions: the meeting events Zoom sends it. None subscribes to every
    # event the sandbox models; `app_deauthorized` is always sent.
    # https://developers.zoom.us/docs/api/webhooks/#configure-webhooks
    events = models.JSONField(null=True, blank=True, default=None)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return self.name

    @property
    def is_admin_managed(self) -> bool:
        return self.management == self.ADMIN_MANAGED

    def subscribes_to(self, event: str) -> bool:
        return self.events is None or event in self.events


class Account(models.Model):
    # Zoom's plans. Some APIs and events need "a Pro or higher plan" (Zoom's wording), e.g. `GET
    # /past_meetings/{meetingId}/participants` and `meeting.participant_jbh_waiting`.
    FREE, PRO, BUSINESS, ENTERPRISE = "free", "pro", "business", "enterprise"
    PLANS = [
        (FREE, "Basic (free)"),
        (PRO, "Pro"),
        (BUSINESS, "Business"),
        (ENTERPRISE, "Enterprise"),
    ]

    account_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    plan = models.CharField(max_length=12, choices=PLANS, default=PRO)
    # Multi-user Zoom accounts make admins pre-approve Marketplace apps before users may add them.
    requires_preapproval = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return self.name

    @property
    def is_paid(self) -> bool:
        return self.plan != self.FREE


class ZoomUser(models.Model):
    BASIC, LICENSED = 1, 2
    TYPES = [(BASIC, "Basic"), (LICENSED, "Licensed")]
    # `status` of `GET /users/{userId}`: an admin deactivates a user with
    # `PUT /users/{userId}/status {"action": "deactivate"}`; "pending" users have not accepted yet.
    ACTIVE, INACTIVE, PENDING = "active", "inactive", "pending"
    STATUSES = [(ACTIVE, "Active"), (INACTIVE, "Deactivated"), (PENDING, "Pending")]

    user_id = models.CharField(max_length=32, unique=True)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="users")
    type = models.PositiveSmallIntegerField(choices=TYPES, default=LICENSED)
    timezone = models.CharField(max_length=64, default="America/New_York")
    pmi = models.BigIntegerField()
    is_admin = models.BooleanField(default=False)
    # When set, the user may not host meetings (Zoom error 3161).
    hosting_disabled = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=STATUSES, default=ACTIVE)
    # Overrides deep-merged over the default settings of `GET /users/{id}/settings`.
    settings = models.JSONField(default=dict)
    # Deleted users keep their row so their old tokens fail with 4735, as Zoom's do.
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return self.email

    @property
    def display_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email


class Approval(models.Model):
    """An admin's pre-approval of an app: for the whole account (user is null) or for one user."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="approvals")
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    user = models.ForeignKey(ZoomUser, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "app", "user"], name="one_approval_per_scope"
            ),
        ]

    def __str__(self):
        return f"{self.app} approved in {self.account} for {self.user or 'all users'}"


class PreapprovalRequest(models.Model):
    user = models.ForeignKey(ZoomUser, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    requested_at = models.DateTimeField(default=now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} asks for {self.app}"


class AuthorizationCode(models.Model):
    code = models.CharField(max_length=100, unique=True)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    user = models.ForeignKey(ZoomUser, on_delete=models.CASCADE)
    redirect_uri = models.CharField(max_length=500)
    code_challenge = models.CharField(max_length=200, blank=True)
    code_challenge_method = models.CharField(max_length=10, blank=True)
    scopes = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"code for {self.user}"


class Grant(models.Model):
    """One authorization of an app by a user: a "token family" whose refresh tokens rotate."""

    REVOKED_BY_NEWER = "4741"
    REVOKED_BY_CLIENT = "revoked"
    DEAUTHORIZED = "deauthorized"

    app = models.ForeignKey(App, on_delete=models.CASCADE)
    user = models.ForeignKey(ZoomUser, on_delete=models.CASCADE, related_name="grants")
    scopes = models.CharField(max_length=1000)
    # The app's listing when the user authorized: scopes added to it since break the refresh.
    listing = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=now)
    refresh_count = models.PositiveIntegerField(default=0)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, blank=True)

    def __str__(self):
        return f"{self.app} for {self.user}"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class AccessToken(models.Model):
    token = models.CharField(max_length=2000, unique=True)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="access_tokens")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"access token of grant {self.grant_id}"


class RefreshToken(models.Model):
    token = models.CharField(max_length=2000, unique=True)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="refresh_tokens")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    # Set when the token is spent by a refresh: rotation makes every refresh token single use.
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"refresh token of grant {self.grant_id}"


class Meeting(models.Model):
    id = models.BigIntegerField(primary_key=True)
    uuid = models.CharField(max_length=40, unique=True)
    host = models.ForeignKey(ZoomUser, on_delete=models.CASCADE, related_name="meetings")
    topic = models.CharField(max_length=200, default="Zoom Meeting")
    type = models.PositiveSmallIntegerField(default=2)
    start_time = models.DateTimeField(null=True, blank=True)
    duration = models.PositiveIntegerField(default=60)
    timezone = models.CharField(max_length=64)
    agenda = models.TextField(blank=True)
    password = models.CharField(max_length=10, blank=True)
    encrypted_password = models.CharField(max_length=64, blank=True)
    settings = models.JSONField(default=dict)
    # Zoom's `status`: "waiting" until the host starts it, "started" while it runs, "ended" after.
    status = models.CharField(max_length=10, default="waiting")
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"{self.id} {self.topic}"


class MeetingInstance(models.Model):
    """One occurrence of a meeting: its own UUID, from the host starting it to its end.

    "Each instance of a meeting will have its own, unique meeting UUID. Once a meeting is held
    under a given meeting ID, the past instance of the meeting will remain the same and a new
    meeting UUID will be generated for the next instance" (Zoom's developer forum, "Understanding
    Meeting IDs and Meeting UUIDs"): the UUID a meeting is created with is its first instance's.
    The row outlives the meeting's deletion, as past meeting data does in Zoom.
    """

    uuid = models.CharField(max_length=40, unique=True)
    meeting_id = models.BigIntegerField(db_index=True)
    host = models.ForeignKey(ZoomUser, on_delete=models.CASCADE, related_name="instances")
    topic = models.CharField(max_length=200)
    type = models.PositiveSmallIntegerField(default=2)
    scheduled_start = models.DateTimeField(null=True, blank=True)
    duration = models.PositiveIntegerField(default=60)
    timezone = models.CharField(max_length=64)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"{self.meeting_id} instance {self.uuid}"

    @property
    def is_live(self) -> bool:
        return self.started_at is not None and self.ended_at is None


class Participant(models.Model):
    """One stay of one person in a meeting instance: waiting for the host, in the waiting room,
    in the meeting. Zoom lists a person who leaves and joins again as separate records."""

    WAITING_FOR_HOST, WAITING_ROOM, IN_MEETING, LEFT = "jbh", "waiting_room", "in_meeting", "left"
    STATES = [
        (WAITING_FOR_HOST, "Waiting for the host"),
        (WAITING_ROOM, "In the waiting room"),
        (IN_MEETING, "In the meeting"),
        (LEFT, "Left"),
    ]

    instance = models.ForeignKey(
        MeetingInstance, on_delete=models.CASCADE, related_name="participants"
    )
    # Zoom's per-meeting participant id ("user_id" in events and the past participants list).
    participant_id = models.CharField(max_length=20)
    # Stable for one person across their stays in the instance (events' `participant_uuid`).
    participant_uuid = models.CharField(max_length=40)
    # The Zoom user they are signed in as (None: joined without signing in).
    zoom_user = models.ForeignKey(ZoomUser, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=200)
    is_host = models.BooleanField(default=False)
    # "app" (the Zoom client) or "web" (the web client): Zoom sends jbh_waiting only for the app.
    client = models.CharField(max_length=5, default="app")
    state = models.CharField(max_length=12, choices=STATES)
    # The furthest this stay got (waiting for the host, the waiting room, the meeting): past
    # participants list stays that reached the waiting room or the meeting.
    reached = models.CharField(max_length=12, choices=STATES[:3], default=WAITING_FOR_HOST)
    arrived_at = models.DateTimeField(default=now)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "participant_id"], name="one_participant_id_per_instance"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_state_display()})"


class DailyUsage(models.Model):
    """Meeting create+update requests per host per UTC day (Zoom's 100/day per-host limit)."""

    user = models.ForeignKey(ZoomUser, on_delete=models.CASCADE)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_usage_per_day")]

    def __str__(self):
        return f"{self.user} {self.day}: {self.count}"


class Knobs(models.Model):
    """A single row of test and demo settings (latency, limits, lifetimes); see knobs.py."""

    values = models.JSONField(default=dict)

    def __str__(self):
        return "knobs"


class FailureRule(models.Model):
    """ "Fail the next `remaining` requests whose path contains `path_contains`, like this"."""

    path_contains = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    status = models.PositiveSmallIntegerField(default=500)
    # Empty means Zoom's usual body for the kind.
    body = models.TextField(blank=True)
    remaining = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"{self.kind} x{self.remaining} on {self.path_contains}"


class Call(models.Model):
    """A request the sandbox received on Zoom's own URLs (OAuth and REST)."""

    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    query = models.TextField(blank=True)
    status = models.PositiveSmallIntegerField(null=True)
    request_body = models.TextField(blank=True)
    response_body = models.TextField(blank=True)
    authorization = models.CharField(max_length=20, blank=True)
    client_id = models.CharField(max_length=100, blank=True)
    user_email = models.CharField(max_length=254, blank=True)
    injected = models.CharField(max_length=20, blank=True)
    started_at = models.DateTimeField(default=now)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"


class WebhookDelivery(models.Model):
    """A webhook the sandbox sent, with the app's answer (kept for redelivery and inspection)."""

    app = models.ForeignKey(App, on_delete=models.CASCADE)
    event = models.CharField(max_length=100)
    url = models.CharField(max_length=500)
    body = models.TextField()
    timestamp = models.CharField(max_length=20)
    signature = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField(null=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=now)
    # Zoom's retries of a failed delivery: 0 is the first attempt; `first` is that attempt for a
    # retry; `next_retry_at` is when Zoom sends the next one (None: none is due).
    attempt = models.PositiveSmallIntegerField(default=0)
    first = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="retries"
    )
    next_retry_at = models.DateTimeField(null=True, blank=True)
    # Meeting activity events the knobs make late (sent once this passes) or lost (never sent).
    held_until = models.DateTimeField(null=True, blank=True)
    lost = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.event} to {self.url}"
