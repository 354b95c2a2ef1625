"""What the app needs from Zoom: one capability per endpoint the client calls, with the scope each
family names for it, in Zoom's words and in plain words.

Scopes live on the Marketplace app, never in the authorize URL. Apps created before 2024 have
classic scopes (`user:read`, `meeting:write`, `meeting:read`); newer apps have granular ones, one
per endpoint (`meeting:write:meeting`, …). Either family is accepted, per capability, so a mixed
grant works too. Every endpoint `client.py` calls is in CAPABILITIES (a test holds the two
together).

The help article's app has exactly the classic pair `user:read meeting:write`, which is what the
product must work with. Zoom calls classic `meeting:write` "View and manage your meetings" (and
Cal.com's Zoom app creates, updates and deletes with it alone), but its reference names only
`meeting:read` for reading a meeting and listing meetings. So connecting refuses only a grant
without an *essential* capability (reading the user, creating meetings). The reads are tried
under classic `meeting:write`; where Zoom refuses one (or a grant lacks a non-essential scope)
the connection records the capability as unavailable, stays healthy, and names the scope to add
(`scope_to_add`), while the product does without it: a move without an update makes a new
meeting, a cancel without a delete tells the rep to remove the meeting in Zoom.
Granular scopes: https://developers.zoom.us/docs/integrations/oauth-scopes-granular/
Per-endpoint scopes: each endpoint's page under https://developers.zoom.us/docs/api/meetings/ and
https://developers.zoom.us/docs/api/users/ (classic names as in Zoom's OpenAPI spec).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    label: str
    # "METHOD /path" as the client calls it, e.g. "GET /users/{userId}/meetings".
    endpoint: str
    classic: str
    granular: str
    # Without it the product cannot work: connecting refuses a grant that lacks it. The others
    # are used when Zoom allows them, and done without otherwise.
    essential: bool = True
    # A classic scope the call is tried under although Zoom's reference names only `classic`
    # for it; Zoom's answer (a 4711) tells whether it allows the call.
    tried_under: str = ""

    @property
    def admin_scopes(self) -> tuple[str, ...]:
        # The account-level forms also allow the call (an admin-managed, account-wide install).
        return (f"{self.classic}:admin", f"{self.granular}:admin")

    def granted_by(self, scopes: frozenset[str]) -> bool:
        return bool({self.classic, self.granular, *self.admin_scopes} & scopes)

    def may_be_granted_by(self, scopes: frozenset[str]) -> bool:
        """Granted, or worth trying: the grant holds the scope it is tried under."""
        if self.granted_by(scopes):
            return True
        tried = self.tried_under
        return bool(tried) and bool({tried, f"{tried}:admin"} & scopes)


CAPABILITIES = (
    Capability("Read your Zoom profile", "GET /users/{userId}", "user:read", "user:read:user"),
    Capability(
        "Read your Zoom settings (passcode rules, waiting room)",
        "GET /users/{userId}/settings",
        "user:read",
        "user:read:settings",
    ),
    Capability(
        "Create meetings", "POST /users/{userId}/meetings", "meeting:write", "meeting:write:meeting"
    ),
    Capability(
        "Update meetings (without it, a moved booking gets a new meeting)",
        "PATCH /meetings/{meetingId}",
        "meeting:write",
        "meeting:update:meeting",
        essential=False,
    ),
    Capability(
        "Delete meetings (without it, the rep removes a cancelled meeting in Zoom)",
        "DELETE /meetings/{meetingId}",
        "meeting:write",
        "meeting:delete:meeting",
        essential=False,
    ),
    # Zoom's reference names only `meeting:read` for the two reads (Zoom's OpenAPI spec,
    # `meeting` and `meetings`: "Scopes: meeting:read:admin, meeting:read"); whether classic
    # `meeting:write` allows them is not documented, so they are tried under it.
    Capability(
        "Read a meeting (the host's start link, the dial-in numbers after a move)",
        "GET /meetings/{meetingId}",
        "meeting:read",
        "meeting:read:meeting",
        essential=False,
        tried_under="meeting:write",
    ),
    Capability(
        "List your meetings (to find one a lost answer left unrecorded)",
        "GET /users/{userId}/meetings",
        "meeting:read",
        "meeting:read:list_meetings",
        essential=False,
        tried_under="meeting:write",
    ),
)

# What the product uses where the grant allows it and does without otherwise: a grant without it
# connects and works, and the pages name the scope to add. Not among the scopes connecting checks.
# Zoom's OpenAPI spec names the classic pair for it ("Scopes: meeting:read:admin, meeting:read").
PAST_PARTICIPANTS = Capability(
    "See who joined your booked meetings (held or no-show)",
    "GET /past_meetings/{meetingId}/participants",
    "meeting:read",
    "meeting:read:list_past_participants",
)
OPTIONAL_CAPABILITIES = (PAST_PARTICIPANTS,)


def scope_names(capabilities) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The classic and the granular scope names the capabilities ask for, each once, in order:
    a classic read tried under a write scope asks for that write scope only."""
    return (
        tuple(dict.fromkeys(c.tried_under or c.classic for c in capabilities)),
        tuple(dict.fromkeys(c.granular for c in capabilities)),
    )


# What the Marketplace listing asks for, as the help article and the admin message name them:
# the article's classic pair `user:read meeting:write`, or the granular scope of every endpoint.
CLASSIC_SCOPES, GRANULAR_SCOPES = scope_names(CAPABILITIES)
# Classic `meeting:read` is not needed, but a classic app that has it reads meetings for sure.
CLASSIC_OPTIONAL_SCOPES = ("meeting:read",)

# What the app may view and manage, in the Marketplace listing's own words.
PERMISSIONS_VIEW = (
    ("Profile & contact information", "your name, email address, account and user ID"),
    (
        "Settings",
        "whether a passcode or a waiting room is required, the passcode rules, and similar "
        "meeting defaults",
    ),
)
PERMISSIONS_MANAGE = (
    (
        "Registration & scheduling",
        "create, read, list, update and delete the meetings booked with you",
    ),
)


# The company's account-level app (admin-managed) acts for other users of the Zoom account, so
# every endpoint needs its `:admin` scope: classic (`meeting:write:admin`) or granular
# (`meeting:write:meeting:admin`), one per endpoint the product calls on a rep's behalf. Only the
# labels differ from the rep's own app.
_ACCOUNT_LABELS = {
    "GET /users/{userId}": "Look up users of the account",
    "GET /users/{userId}/settings": "Read users' meeting settings",
    "POST /users/{userId}/meetings": "Create meetings for users",
    "PATCH /meetings/{meetingId}": "Update users' meetings",
    "DELETE /meetings/{meetingId}": "Delete users' meetings",
    "GET /meetings/{meetingId}": "Read users' meetings",
    "GET /users/{userId}/meetings": "List users' meetings",
}
ACCOUNT_CAPABILITIES = tuple(
    Capability(
        _ACCOUNT_LABELS[c.endpoint],
        c.endpoint,
        *c.admin_scopes,
        essential=c.essential,
        tried_under=f"{c.tried_under}:admin" if c.tried_under else "",
    )
    for c in CAPABILITIES
)
ACCOUNT_CLASSIC_SCOPES, ACCOUNT_GRANULAR_SCOPES = scope_names(ACCOUNT_CAPABILITIES)
ACCOUNT_PAST_PARTICIPANTS = Capability(
    "See who joined users' booked meetings",
    PAST_PARTICIPANTS.endpoint,
    *PAST_PARTICIPANTS.admin_scopes,
)


def parse_scopes(value: str | None) -> frozenset[str]:
    """Zoom returns granted scopes space-separated in the token response's `scope`."""
    return frozenset((value or "").split())


def missing_capabilities(granted: frozenset[str]) -> list[Capability]:
    """The essential capabilities the grant lacks: connecting refuses it."""
    return [c for c in CAPABILITIES if c.essential and not c.granted_by(granted)]


def capability_for(endpoint: str, capabilities=CAPABILITIES) -> Capability | None:
    return next((c for c in capabilities if c.endpoint == endpoint), None)


def unavailable_capabilities(
    granted: frozenset[str], refused=(), capabilities=CAPABILITIES
) -> list[Capability]:
    """The capabilities the product does without on this grant: not granted and not worth
    trying, or tried and refused by Zoom (`refused`: their endpoints)."""
    return [
        c
        for c in capabilities
        if not c.essential and (c.endpoint in refused or not c.may_be_granted_by(granted))
    ]


def missing_scope_names(granted: frozenset[str]) -> tuple[str, ...]:
    """The missing capabilities named in the family the grant is mostly in (granular by
    default), so the admin is told scopes that exist on their app."""
    missing = missing_capabilities(granted)
    classic = len(granted & set(CLASSIC_SCOPES)) > len(granted & set(GRANULAR_SCOPES))
    return tuple(dict.fromkeys(c.classic if classic else c.granular for c in missing))


def missing_account_capabilities(granted: frozenset[str]) -> list[Capability]:
    """The company's admin-managed app is listed with every granular `:admin` scope, so its
    connect still checks them all."""
    return [c for c in ACCOUNT_CAPABILITIES if not c.granted_by(granted)]


def scope_to_add(capability: Capability, granted: frozenset[str]) -> str:
    """The scope that would allow `capability`, in the family the grant is in (classic scopes
    have two parts, `meeting:read`; granular ones three); empty when it is granted."""
    if capability.granted_by(granted):
        return ""
    classic = any(len(scope.removesuffix(":admin").split(":")) == 2 for scope in granted)
    return capability.classic if classic else capability.granular
