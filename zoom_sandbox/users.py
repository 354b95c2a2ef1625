"""Sandbox Zoom accounts and users, and Marketplace pre-approval of apps by account admins."""

import copy

from django.db import transaction
from django.utils import timezone

from . import identifiers
from .models import Account, App, Approval, PreapprovalRequest, ZoomUser
from .timezones import is_zoom_time_zone

# What `GET /users/{id}/settings` answers before a user's own overrides (Zoom's shape, trimmed to
# the sections a scheduler reads).
DEFAULT_SETTINGS = {
    "schedule_meeting": {
        "host_video": False,
        "participants_video": False,
        "audio_type": "both",
        "join_before_host": False,
        "force_pmi_jbh_password": False,
        "pstn_password_protected": True,
        "use_pmi_for_scheduled_meetings": False,
        "use_pmi_for_instant_meetings": False,
        "require_password_for_scheduling_new_meetings": True,
        "require_password_for_scheduled_meetings": True,
        "default_password_for_scheduled_meetings": "",
        "require_password_for_instant_meetings": True,
        "require_password_for_pmi_meetings": "jbh_only",
        "mute_upon_entry": False,
        "personal_meeting": True,
        # Zoom documents no account defaults; a minimum length of 6 is the stricter reading.
        # https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}/settings
        "meeting_password_requirement": {
            "length": 6,
            "have_letter": False,
            "have_number": False,
            "have_special_character": False,
            "only_allow_numeric": False,
            "have_upper_and_lower_characters": False,
            "consecutive_characters_length": 0,
            "weak_enhance_detection": False,
        },
    },
    "in_meeting": {
        "waiting_room": False,
        "e2e_encryption": False,
        "chat": True,
        "screen_sharing": True,
        "who_can_share_screen": "host",
    },
    "email_notification": {"jbh_reminder": True, "cancel_meeting_reminder": True},
    "recording": {"local_recording": True, "cloud_recording": False, "auto_recording": "none"},
    "telephony": {"third_party_audio": False, "audio_conference_info": ""},
    "feature": {"meeting_capacity": 100, "large_meeting": False, "webinar": False},
    "meeting_security": {
        "auto_security": True,
        "waiting_room": False,
        "meeting_password": True,
        "embed_password_in_join_link": True,
    },
}


class DirectoryError(ValueError):
    pass


def merge(base: dict, overrides: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def user_settings(user: ZoomUser) -> dict:
    return merge(DEFAULT_SETTINGS, user.settings or {})


def get_or_create_account(
    account_id: str | None = None,
    *,
    name: str = "",
    requires_preapproval: bool | None = None,
    plan: str = Account.PRO,
) -> Account:
    account_id = account_id or identifiers.zoom_id()
    account, _ = Account.objects.get_or_create(
        account_id=account_id, defaults={"name": name or f"Account {account_id[:6]}", "plan": plan}
    )
    if requires_preapproval is not None and account.requires_preapproval != requires_preapproval:
        account.requires_preapproval = requires_preapproval
        account.save(update_fields=["requires_preapproval"])
    return account


def create_user(
    email: str,
    *,
    account_id: str | None = None,
    account_name: str = "",
    user_type: int = ZoomUser.LICENSED,
    requires_preapproval: bool | None = None,
    timezone_name: str = "America/New_York",
    first_name: str = "",
    last_name: str = "",
    is_admin: bool = False,
    settings: dict | None = None,
    hosting_disabled: bool = False,
    status: str = ZoomUser.ACTIVE,
    plan: str | None = None,
) -> ZoomUser:
    """Creates a sandbox Zoom user (and its account when new). An existing email is returned as
    is, so demos and tests can call this repeatedly. A new account's plan is `plan`, else Pro
    when its first user is Licensed and the free plan when Basic (a Licensed user is a paid
    seat)."""
    email = email.strip().lower()
    if "@" not in email:
        raise DirectoryError("Enter a valid email address.")
    if user_type not in (ZoomUser.BASIC, ZoomUser.LICENSED):
        raise DirectoryError("type must be 1 (Basic) or 2 (Licensed).")
    if plan is not None and plan not in dict(Account.PLANS):
        raise DirectoryError(f"plan must be one of {', '.join(dict(Account.PLANS))}.")
    # A Zoom user's time zone is picked from Zoom's list (timezones.py), so an app reading a host's
    # profile only ever sees one of those ids.
    if not is_zoom_time_zone(timezone_name):
        raise DirectoryError(f"Unknown time zone {timezone_name!r}: not on Zoom's time zone list.")
    with transaction.atomic():
        existing = ZoomUser.objects.filter(email=email, deleted_at__isnull=True).first()
        if existing:
            if requires_preapproval is not None:
                get_or_create_account(
                    existing.account.account_id, requires_preapproval=requires_preapproval
                )
                existing.refresh_from_db()
            return existing
        # A deleted user's email may be reused by a new user, as in Zoom.
        ZoomUser.objects.filter(email=email).update(
            email=f"deleted+{identifiers.zoom_id()}@sandbox"
        )
        account = get_or_create_account(
            account_id,
            name=account_name,
            requires_preapproval=requires_preapproval,
            plan=plan or (Account.PRO if user_type == ZoomUser.LICENSED else Account.FREE),
        )
        local = email.split("@")[0]
        return ZoomUser.objects.create(
            user_id=identifiers.zoom_id(),
            email=email,
            first_name=first_name or local.split(".")[0].title(),
            last_name=last_name or (local.split(".")[1].title() if "." in local else ""),
            account=account,
            type=user_type,
            timezone=timezone_name,
            pmi=identifiers.pmi(),
            is_admin=is_admin or not account.users.exists(),
            settings=settings or {},
            hosting_disabled=hosting_disabled,
            status=status,
        )


def set_status(user: ZoomUser, action: str) -> ZoomUser:
    """Zoom's `PUT /users/{userId}/status` with `action` "activate" or "deactivate"."""
    statuses = {"activate": ZoomUser.ACTIVE, "deactivate": ZoomUser.INACTIVE}
    if action not in statuses:
        raise DirectoryError("action must be 'activate' or 'deactivate'.")
    user.status = statuses[action]
    user.save(update_fields=["status"])
    return user


def find_user(email_or_id: str) -> ZoomUser | None:
    value = email_or_id.strip()
    users = ZoomUser.objects.filter(deleted_at__isnull=True).select_related("account")
    if "@" in value:
        return users.filter(email=value.lower()).first()
    return users.filter(user_id=value).first()


def delete_user(user: ZoomUser) -> None:
    """Zoom answers 4735 ("owner of token does not exist") for the tokens of deleted users."""
    user.deleted_at = timezone.now()
    user.save(update_fields=["deleted_at"])


# Pre-approval -----------------------------------------------------------------------------------


def is_approved(user: ZoomUser, app: App) -> bool:
    # Pre-approval is how admins let *users* add apps; an admin-managed app is added by an admin.
    if app.is_admin_managed or not user.account.requires_preapproval:
        return True
    return (
        Approval.objects.filter(account=user.account, app=app).filter(user__isnull=True).exists()
        or Approval.objects.filter(account=user.account, app=app, user=user).exists()
    )


def request_preapproval(user: ZoomUser, app: App) -> PreapprovalRequest:
    pending = PreapprovalRequest.objects.filter(user=user, app=app, resolved_at__isnull=True)
    return pending.first() or PreapprovalRequest.objects.create(user=user, app=app)


def approve(account: Account, app: App, user: ZoomUser | None = None) -> None:
    """Approves the app for every user of the account (user None) or for one user."""
    with transaction.atomic():
        Approval.objects.get_or_create(account=account, app=app, user=user)
        pending = PreapprovalRequest.objects.filter(
            app=app, user__account=account, resolved_at__isnull=True
        )
        if user is not None:
            pending = pending.filter(user=user)
        pending.update(resolved_at=timezone.now())


def withdraw_approval(account: Account, app: App, user: ZoomUser | None = None) -> None:
    """Withdraws every approval of the app in the account (user None), or one user's own approval.
    Tokens already issued then fail with 4738 "The token is disabled by admin"."""
    approvals = Approval.objects.filter(account=account, app=app)
    if user is not None:
        approvals = approvals.filter(user=user)
    approvals.delete()


def user_as_dict(user: ZoomUser) -> dict:
    return {
        "id": user.user_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "account_id": user.account.account_id,
        "account_name": user.account.name,
        "requires_preapproval": user.account.requires_preapproval,
        "plan": user.account.plan,
        "type": user.type,
        "timezone": user.timezone,
        "pmi": user.pmi,
        "is_admin": user.is_admin,
        "status": user.status,
        "deleted": user.deleted_at is not None,
    }
