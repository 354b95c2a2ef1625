"""What the app needs from Zoom, in Zoom's scope names and in plain words.

Scopes live on the Marketplace app, never in the authorize URL. Apps created before 2024 have
classic scopes (`user:read`, `meeting:write`); newer apps have granular ones
(`meeting:write:meeting`, …). Either family is accepted, per capability, so a mixed grant works too.
https://developers.zoom.us/docs/integrations/oauth-scopes-granular/
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    label: str
    classic: str
    granular: str
    # Broader scopes that also allow it (admin-level grants of an account-wide install).
    also: tuple[str, ...] = ()

    def granted_by(self, scopes: frozenset[str]) -> bool:
        return bool({self.classic, self.granular, *self.also} & scopes)


CAPABILITIES = (
    Capability("Read your Zoom profile", "user:read", "user:read:user", ("user:read:admin",)),
    Capability("Read your Zoom settings", "user:read", "user:read:settings", ("user:read:admin",)),
    Capability(
        "Create meetings", "meeting:write", "meeting:write:meeting", ("meeting:write:admin",)
    ),
    Capability(
        "Update meetings", "meeting:write", "meeting:update:meeting", ("meeting:write:admin",)
    ),
    Capability(
        "Delete meetings", "meeting:write", "meeting:delete:meeting", ("meeting:write:admin",)
    ),
    Capability(
        "Read meetings",
        "meeting:write",
        "meeting:read:meeting",
        ("meeting:read", "meeting:write:admin", "meeting:read:admin"),
    ),
)

# What the Marketplace listing asks for, as the help article and the admin message name them.
CLASSIC_SCOPES = ("user:read", "meeting:write")
GRANULAR_SCOPES = tuple(dict.fromkeys(c.granular for c in CAPABILITIES))

# What the app may view and manage, in the Marketplace listing's own words.
PERMISSIONS_VIEW = (
    ("Profile & contact information", "your name, email address, account and user ID"),
    ("Settings", "whether a passcode or a waiting room is required, and similar meeting defaults"),
)
PERMISSIONS_MANAGE = (
    ("Registration & scheduling", "create, update and delete the meetings booked with you"),
)


# The company's account-level app (admin-managed) acts for other users of the Zoom account, so
# every endpoint needs its `:admin` scope: classic (`meeting:write:admin`) or granular
# (`meeting:write:meeting:admin`), one per endpoint the product calls on a rep's behalf.
ACCOUNT_CAPABILITIES = (
    Capability("Look up users of the account", "user:read:admin", "user:read:user:admin"),
    Capability("Read users' meeting settings", "user:read:admin", "user:read:settings:admin"),
    Capability("Create meetings for users", "meeting:write:admin", "meeting:write:meeting:admin"),
    Capability("Update users' meetings", "meeting:write:admin", "meeting:update:meeting:admin"),
    Capability("Delete users' meetings", "meeting:write:admin", "meeting:delete:meeting:admin"),
    Capability("Read users' meetings", "meeting:read:admin", "meeting:read:meeting:admin"),
    Capability("List users' meetings", "meeting:read:admin", "meeting:read:list_meetings:admin"),
)
ACCOUNT_CLASSIC_SCOPES = tuple(dict.fromkeys(c.classic for c in ACCOUNT_CAPABILITIES))
ACCOUNT_GRANULAR_SCOPES = tuple(dict.fromkeys(c.granular for c in ACCOUNT_CAPABILITIES))


def parse_scopes(value: str | None) -> frozenset[str]:
    """Zoom returns granted scopes space-separated in the token response's `scope`."""
    return frozenset((value or "").split())


def missing_capabilities(granted: frozenset[str]) -> list[Capability]:
    return [c for c in CAPABILITIES if not c.granted_by(granted)]


def missing_account_capabilities(granted: frozenset[str]) -> list[Capability]:
    return [c for c in ACCOUNT_CAPABILITIES if not c.granted_by(granted)]
