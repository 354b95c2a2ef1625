"""The Marketplace listing's words: what an app may view and manage, as Zoom shows them on the
consent page and the listing (copied from the app's help article, ../shared/product/)."""

# A scheduler's listing in each family: every scope the endpoints it calls need (api.py).
CLASSIC_SCOPES = "user:read meeting:write meeting:read"
GRANULAR_SCOPES = (
    "user:read:user user:read:settings meeting:write:meeting meeting:update:meeting "
    "meeting:delete:meeting meeting:read:meeting meeting:read:list_meetings"
)


def scopes_of(family: str) -> str:
    return CLASSIC_SCOPES if family == "classic" else GRANULAR_SCOPES


CAN_VIEW = (
    (
        "Profile & Contact Information",
        "May include user name, display name, picture, email address, phone number, job "
        "information, stated locale, account, user ID, contact lists added by the account or user "
        "(which may include contact information a user imports from a third-party app), and other "
        "profile information.",
    ),
    (
        "Settings",
        "Preferences and settings, which may include whether a passcode or a waiting room is "
        "required, permitted event capacity, screen sharing settings, and other settings and "
        "configuration information.",
    ),
    (
        "Product Usage",
        "Information about how people and their devices interact with Zoom products, which may "
        "include when participants join/leave, whether participants sent messages and who they "
        "message with, performance data, and other usage information and metrics.",
    ),
)
CAN_MANAGE = (
    (
        "Content",
        "Manage content and information generated in the context of Zoom experiences, which may "
        "include audio, video, messages, meeting or chat name, agenda, transcriptions, and "
        "responses to polls and Q&A.",
    ),
    (
        "Participants",
        "Manage participants, which may include assigning participants to specific breakout "
        "rooms and specifying an interpreter for the session.",
    ),
    (
        "Registration & Scheduling",
        "Manage registration information, which may include scheduling Zoom experiences or "
        "adding or deleting registrants.",
    ),
)
