"""Zoom's OAuth server: the authorize page (sign-in, consent, the pre-approval wall), the token
endpoint and the revoke endpoint. https://developers.zoom.us/docs/integrations/oauth/"""

import functools
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import listing, tokens, users
from .models import Account, App, ZoomUser

SESSION_USER = "zoom_user_id"


class AuthorizeRequestError(Exception):
    """The authorize request itself is wrong: Zoom shows an error page and redirects nowhere."""


def _authorize_request(params) -> tuple[App, str]:
    app = App.objects.filter(client_id=params.get("client_id", "")).first()
    if app is None:
        raise AuthorizeRequestError(f"Invalid client_id: {params.get('client_id', '')} (4,700)")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in app.redirect_uris:
        raise AuthorizeRequestError(f"Invalid redirect: {redirect_uri} (4,709)")
    if params.get("response_type") != "code":
        raise AuthorizeRequestError("Unsupported response type (4,700)")
    if "scope" in params:
        # Scopes live on the Marketplace app; Zoom rejects authorize requests that carry one.
        raise AuthorizeRequestError(
            "Invalid scope: scopes are set on the app, not the request (4,700)"
        )
    if params.get("code_challenge_method", "") not in ("", "S256", "plain"):
        raise AuthorizeRequestError("Invalid code_challenge_method (4,700)")
    return app, redirect_uri


def redirect_with(redirect_uri: str, **params) -> str:
    scheme, netloc, path, query, fragment = urlsplit(redirect_uri)
    merged = parse_qsl(query, keep_blank_values=True) + [
        (k, v) for k, v in params.items() if v is not None
    ]
    return urlunsplit((scheme, netloc, path, urlencode(merged), fragment))


def signed_in_user(request) -> ZoomUser | None:
    user_id = request.session.get(SESSION_USER)
    return users.find_user(user_id) if user_id else None


def _code_redirect(app, user, redirect_uri, params) -> HttpResponseRedirect:
    code = tokens.issue_code(
        app,
        user,
        redirect_uri,
        params.get("code_challenge", ""),
        params.get("code_challenge_method", ""),
    )
    # Installs from the Marketplace listing carry no state: the redirect then has none either.
    return HttpResponseRedirect(
        redirect_with(redirect_uri, code=code.code, state=params.get("state"))
    )


@require_http_methods(["GET", "POST"])
def authorize(request):
    params = request.GET
    try:
        app, redirect_uri = _authorize_request(params)
    except AuthorizeRequestError as exc:
        return render(request, "zoom_sandbox/oauth_error.html", {"message": str(exc)}, status=400)
    user = signed_in_user(request)
    if user is not None and app.is_admin_managed and not user.is_admin:
        # "Admin-managed apps: Admins must add these apps" and "account-level apps must be
        # authorized by a user with the corresponding account-level permissions"
        # (https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/,
        # https://developers.zoom.us/docs/integrations/end-user-auth/). Zoom documents no
        # redirect for a member who tries: the stricter choice is an error page and no redirect.
        return render(
            request,
            "zoom_sandbox/oauth_error.html",
            {"message": f"Only an account admin can add {app.name} (admin-managed app)."},
            status=403,
        )
    if user is None:
        return render(
            request,
            "zoom_sandbox/signin.html",
            {
                "next": request.get_full_path(),
                "app": app,
                "existing_users": ZoomUser.objects.filter(deleted_at__isnull=True)
                .select_related("account")
                .order_by("email"),
                "accounts": Account.objects.order_by("name"),
            },
        )
    if not users.is_approved(user, app):
        # Zoom's wall for unapproved apps: no redirect back to the app, documented error or not.
        return render(
            request,
            "zoom_sandbox/preapproval.html",
            {
                "app": app,
                "user": user,
                "next": request.get_full_path(),
            },
        )
    if request.method == "POST":
        if request.POST.get("decision") == "allow":
            return _code_redirect(app, user, redirect_uri, params)
        # Zoom documents nothing for Decline; RFC 6749 says access_denied with the state.
        return HttpResponseRedirect(
            redirect_with(redirect_uri, error="access_denied", state=params.get("state"))
        )
    if tokens.active_grant(app, user) is not None:
        # Already authorized: Zoom skips the consent page and redirects straight back.
        return _code_redirect(app, user, redirect_uri, params)
    return render(
        request,
        "zoom_sandbox/consent.html",
        {
            "app": app,
            "user": user,
            "action": request.get_full_path(),
            "can_view": listing.CAN_VIEW,
            "can_manage": listing.CAN_MANAGE,
            "scopes": tokens.granted_scopes(app).split(),
        },
    )


@require_POST
def signin(request):
    next_url = request.POST.get("next", "/")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    try:
        if request.POST.get("action") == "create":
            account_id = request.POST.get("account_id") or None
            user = users.create_user(
                request.POST.get("email", ""),
                account_id=None if account_id == "new" else account_id,
                account_name=request.POST.get("account_name", ""),
                user_type=int(request.POST.get("type") or ZoomUser.LICENSED),
                requires_preapproval=(request.POST.get("requires_preapproval") == "on")
                if account_id in (None, "new")
                else None,
                timezone_name=request.POST.get("timezone") or "America/New_York",
            )
        else:
            user = users.find_user(request.POST.get("email", ""))
            if user is None:
                raise users.DirectoryError("No sandbox Zoom user has that email: create one.")
    except (users.DirectoryError, ValueError) as exc:
        return render(
            request,
            "zoom_sandbox/oauth_error.html",
            {"message": str(exc), "back": next_url},
            status=400,
        )
    request.session[SESSION_USER] = user.user_id
    return HttpResponseRedirect(next_url)


@require_POST
def signout(request):
    request.session.pop(SESSION_USER, None)
    next_url = request.POST.get("next", "/")
    return HttpResponseRedirect(next_url if next_url.startswith("/") else "/")


@require_POST
def request_preapproval(request):
    user = signed_in_user(request)
    app = App.objects.filter(client_id=request.POST.get("client_id", "")).first()
    if user is None or app is None:
        return render(
            request,
            "zoom_sandbox/oauth_error.html",
            {"message": "Sign in to request pre-approval."},
            status=400,
        )
    users.request_preapproval(user, app)
    return render(
        request, "zoom_sandbox/preapproval.html", {"app": app, "user": user, "requested": True}
    )


def _api_root(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _client_endpoint(view):
    """Zoom's token and revoke endpoints: POST, the client authenticated with HTTP Basic, the
    parameters in the form body (RFC 6749 §4.1.3, §6; Zoom's OAuth guide sends them as
    application/x-www-form-urlencoded). Zoom may also read the query string, but nothing documents
    it: the sandbox reads the body only (the stricter choice). The view returns the JSON answer.
    https://developers.zoom.us/docs/integrations/oauth/#step-2-request-access-token"""

    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def wrapper(request):
        try:
            app = tokens.authenticate_client(request.META.get("HTTP_AUTHORIZATION", ""))
            return JsonResponse(view(request, app, request.POST.dict()))
        except tokens.OAuthError as exc:
            return JsonResponse(exc.body(), status=exc.status)

    return wrapper


@_client_endpoint
def token(request, app: App, params: dict) -> dict:
    grant_type = params.get("grant_type", "")
    if grant_type == "authorization_code":
        issued = tokens.exchange_code(
            app,
            params.get("code", ""),
            params.get("redirect_uri", ""),
            params.get("code_verifier", ""),
        )
    elif grant_type == "refresh_token":
        issued = tokens.refresh(app, params.get("refresh_token", ""))
    else:
        raise tokens.OAuthError("Unsupported grant type", "unsupported_grant_type", code=4705)
    return issued.response(_api_root(request))


@_client_endpoint
def revoke(request, app: App, params: dict) -> dict:
    tokens.revoke(app, params.get("token", ""))
    return {"status": "success"}
