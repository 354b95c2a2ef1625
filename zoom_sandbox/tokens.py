"""Authorization codes, token families and their rotation, revocation, and bearer authentication.

Zoom's rules this follows (docs/sandbox.md, ../shared/docs/zoom-facts.md): codes are single use,
live 5 minutes and are bound to the redirect URI and the PKCE challenge; every refresh returns a
new refresh token and the old one stops working; authorizing the same user again revokes that user's
earlier tokens (4741); a withdrawn admin pre-approval disables tokens (4738).
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import identifiers, knobs, listing, users
from .models import AccessToken, App, AuthorizationCode, Grant, RefreshToken, ZoomUser

INVALID_TOKEN = "Invalid Token!"


class OAuthError(Exception):
    """An error of the token or revoke endpoint, answered as Zoom's `{"reason", "error"}` body."""

    def __init__(
        self,
        reason: str,
        error: str = "invalid_request",
        *,
        code: int | None = None,
        status: int = 400,
    ):
        super().__init__(reason)
        self.reason, self.error, self.code, self.status = reason, error, code, status

    def body(self) -> dict:
        body = {"reason": self.reason, "error": self.error}
        if self.code is not None and knobs.get("oauth_error_codes"):
            body["code"] = self.code
        return body


class RefreshRefused(OAuthError):
    """A refused refresh. Zoom often answers these with nothing but HTTP 400
    {"reason": "Invalid Token!", "error": "invalid_grant"}, whatever the cause (zoom-facts.md, and
    reports on Zoom's developer forum); with the `oauth_error_codes` knob the documented reason and
    code (4711, 4735, 4738, 4741) are sent instead.
    https://developers.zoom.us/docs/integrations/oauth/#refreshing-an-access-token"""

    def __init__(self, reason: str = INVALID_TOKEN, *, code: int | None = None):
        super().__init__(reason, "invalid_grant", code=code)

    def body(self) -> dict:
        if knobs.get("oauth_error_codes") and self.code is not None:
            return {"reason": self.reason, "error": self.error, "code": self.code}
        return {"reason": INVALID_TOKEN, "error": self.error}


class ApiAuthError(Exception):
    """A REST request's bearer token was refused: `{"code", "message"}` with status 401."""

    def __init__(self, code: int, message: str, status: int = 401):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _expired_code():
    return OAuthError("Code is expired.", "invalid_grant", code=4733)


def _invalid_code():
    return OAuthError("Invalid authorization code.", "invalid_request", code=4734)


def _revoked_by_newer():
    return RefreshRefused("Token has been revoked. Use the latest token.", code=4741)


def _user_gone():
    return RefreshRefused("Owner of token does not exist.", code=4735)


def _disabled_by_admin():
    return RefreshRefused("The token is disabled by admin.", code=4738)


def _scopes_changed():
    # Scopes added to the app after a user authorized it: that user's refreshes fail until they
    # authorize again (4711 at the token endpoint; zoom-facts.md, "Scopes").
    return RefreshRefused("Invalid Token! The app's scopes have changed.", code=4711)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    scopes: str

    def response(self, api_url: str) -> dict:
        return {
            "access_token": self.access_token,
            "token_type": "bearer",
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "scope": self.scopes,
            "api_url": api_url,
        }


def authenticate_client(authorization_header: str) -> App:
    """HTTP Basic `base64(client_id:client_secret)`, the only client auth Zoom's endpoint takes."""
    scheme, _, value = authorization_header.partition(" ")
    if scheme.lower() != "basic" or not value:
        raise OAuthError(
            "Client ID or client secret is missing.", "invalid_client", code=4706, status=401
        )
    try:
        client_id, _, secret = base64.b64decode(value.strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError) as exc:
        raise OAuthError("Invalid client.", "invalid_client", code=4702, status=401) from exc
    app = App.objects.filter(client_id=client_id).first()
    if app is None or not hmac.compare_digest(app.client_secret.encode(), secret.encode()):
        raise OAuthError(
            "Invalid client_id or client_secret", "invalid_client", code=4702, status=401
        )
    return app


def listed_scopes(app: App) -> str:
    """What the app's Marketplace listing asks for now (it can change after users authorized)."""
    return " ".join(app.scopes.split()) or listing.scopes_of(knobs.get("scope_family"))


def granted_scopes(app: App) -> str:
    override = knobs.get("granted_scopes")
    value = override if override is not None else listed_scopes(app)
    if isinstance(value, list | tuple):
        value = " ".join(value)
    return " ".join(str(value).split())


def issue_code(
    app: App, user: ZoomUser, redirect_uri: str, code_challenge: str, code_challenge_method: str
) -> AuthorizationCode:
    return AuthorizationCode.objects.create(
        code=identifiers.authorization_code(),
        app=app,
        user=user,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        # Zoom assumes `plain` when a challenge comes without a method.
        code_challenge_method=(code_challenge_method or "plain") if code_challenge else "",
        scopes=granted_scopes(app),
    )


def _pkce_matches(code: AuthorizationCode, verifier: str) -> bool:
    if not code.code_challenge:
        return True
    if not verifier:
        return False
    if code.code_challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    else:
        expected = verifier
    return hmac.compare_digest(expected.encode(), code.code_challenge.encode())


def _issue(grant: Grant) -> IssuedTokens:
    values = knobs.current()
    access_lifetime = int(values["access_token_lifetime"])
    refresh_lifetime = int(values["refresh_token_lifetime"])
    now = timezone.now()
    claims = {
        "uid": grant.user.user_id,
        "aid": grant.user.account.account_id,
        "cid": grant.app.client_id,
        "tfid": grant.id,
    }
    access = AccessToken.objects.create(
        token=identifiers.jwt_token("access", claims, access_lifetime),
        grant=grant,
        expires_at=now + timedelta(seconds=access_lifetime),
    )
    refresh = RefreshToken.objects.create(
        token=identifiers.jwt_token("refresh", claims, refresh_lifetime),
        grant=grant,
        expires_at=now + timedelta(seconds=refresh_lifetime),
    )
    return IssuedTokens(access.token, refresh.token, access_lifetime, grant.scopes)


def exchange_code(app: App, code_value: str, redirect_uri: str, verifier: str) -> IssuedTokens:
    with transaction.atomic():
        code = (
            AuthorizationCode.objects.select_related("user__account")
            .filter(code=code_value, app=app)
            .first()
        )
        if code is None or code.used_at is not None:
            raise _invalid_code()
        if timezone.now() - code.created_at > timedelta(seconds=int(knobs.get("code_lifetime"))):
            raise _expired_code()
        if redirect_uri != code.redirect_uri:
            raise OAuthError("Redirect URI mismatch.", "invalid_request", code=4709)
        if not _pkce_matches(code, verifier):
            raise OAuthError("Invalid code_verifier.", "invalid_grant")
        # The conditional update makes the code single use even for two concurrent exchanges.
        claimed = AuthorizationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise _invalid_code()
        if code.user.deleted_at is not None:
            raise OAuthError("Owner of token does not exist.", "invalid_grant", code=4735)
        # A new authorization of the same user revokes that user's earlier tokens (4741). An
        # admin-managed app is installed once per account, so any admin's new authorization
        # replaces the account's earlier one (Zoom is silent on two admins: the stricter choice).
        earlier = Grant.objects.filter(app=app, revoked_at__isnull=True)
        if app.is_admin_managed:
            earlier = earlier.filter(user__account=code.user.account)
        else:
            earlier = earlier.filter(user=code.user)
        earlier.update(revoked_at=timezone.now(), revoked_reason=Grant.REVOKED_BY_NEWER)
        grant = Grant.objects.create(
            app=app, user=code.user, scopes=code.scopes, listing=listed_scopes(app)
        )
        return _issue(grant)


def _check_grant_usable(grant: Grant) -> None:
    if grant.user.deleted_at is not None:
        raise _user_gone()
    if grant.revoked_reason == Grant.REVOKED_BY_NEWER:
        raise _revoked_by_newer()
    if grant.revoked_at is not None:
        raise RefreshRefused()
    if not users.is_approved(grant.user, grant.app):
        raise _disabled_by_admin()
    if set(listed_scopes(grant.app).split()) - set(grant.listing.split()):
        raise _scopes_changed()


def refresh(app: App, token_value: str) -> IssuedTokens:
    with transaction.atomic():
        token = (
            RefreshToken.objects.select_related("grant__user__account", "grant__app")
            .filter(token=token_value, grant__app=app)
            .first()
        )
        if token is None:
            raise RefreshRefused()
        _check_grant_usable(token.grant)
        if token.used_at is not None or token.expires_at <= timezone.now():
            raise RefreshRefused()
        # Rotation: exactly one of two concurrent refreshes with this token wins this update.
        claimed = RefreshToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise RefreshRefused()
        grant = token.grant
        grant.refresh_count += 1
        grant.last_refreshed_at = timezone.now()
        grant.save(update_fields=["refresh_count", "last_refreshed_at"])
        return _issue(grant)


def revoke(app: App, token_value: str) -> None:
    """`POST /oauth/revoke` ends the whole authorization, whichever of its tokens is sent."""
    access = AccessToken.objects.filter(token=token_value, grant__app=app).first()
    refresh_token = RefreshToken.objects.filter(token=token_value, grant__app=app).first()
    token = access or refresh_token
    if token is None:
        raise OAuthError(INVALID_TOKEN, "invalid_request")
    Grant.objects.filter(pk=token.grant_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=Grant.REVOKED_BY_CLIENT
    )


def revoke_user_grants(app: App, user: ZoomUser, reason: str) -> int:
    """Removing an app ends the user's grants; removing an admin-managed app ends it for the
    whole account it was installed on."""
    grants = Grant.objects.filter(app=app, revoked_at__isnull=True)
    if app.is_admin_managed:
        grants = grants.filter(user__account=user.account)
    else:
        grants = grants.filter(user=user)
    return grants.update(revoked_at=timezone.now(), revoked_reason=reason)


def authenticate_bearer(authorization_header: str) -> AccessToken:
    scheme, _, value = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiAuthError(124, "Invalid access token.")
    token = (
        AccessToken.objects.select_related("grant__user__account", "grant__app")
        .filter(token=value.strip())
        .first()
    )
    if token is None:
        raise ApiAuthError(124, "Invalid access token.")
    grant = token.grant
    if grant.user.deleted_at is not None or grant.revoked_at is not None:
        # Zoom answers a dead authorization's access token with 124; the refresh then says why.
        raise ApiAuthError(124, "Invalid access token.")
    if not users.is_approved(grant.user, grant.app):
        raise ApiAuthError(4738, "The token is disabled by admin.")
    if token.expires_at <= timezone.now():
        raise ApiAuthError(124, "Access token is expired.")
    return token


def expire_access_tokens(user: ZoomUser) -> int:
    return AccessToken.objects.filter(grant__user=user, expires_at__gt=timezone.now()).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def active_grant(app: App, user: ZoomUser) -> Grant | None:
    return Grant.objects.filter(app=app, user=user, revoked_at__isnull=True).order_by("-id").first()


def stats(user: ZoomUser) -> dict:
    grants = list(Grant.objects.filter(user=user).select_related("app").order_by("id"))
    families = []
    for grant in grants:
        families.append(
            {
                "id": grant.id,
                "client_id": grant.app.client_id,
                "scope": grant.scopes,
                "created_at": grant.created_at.isoformat(),
                "refresh_count": grant.refresh_count,
                "last_refreshed_at": grant.last_refreshed_at.isoformat()
                if grant.last_refreshed_at
                else None,
                "revoked": grant.revoked_at is not None,
                "revoked_reason": grant.revoked_reason,
                "access_tokens_issued": grant.access_tokens.count(),
                "refresh_tokens_issued": grant.refresh_tokens.count(),
            }
        )
    active = [f for f in families if not f["revoked"]]
    return {
        "email": user.email,
        "families": families,
        "active_families": len(active),
        "refresh_count": sum(f["refresh_count"] for f in families),
        "access_tokens_issued": sum(f["access_tokens_issued"] for f in families),
    }
