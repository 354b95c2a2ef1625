"""Registering the app whose Zoom this sandbox plays: from the demo's environment at start-up, or
from a test through the control API."""

import os

from .models import App


class RegistrationError(ValueError):
    pass


def register_app(
    *,
    client_id: str,
    client_secret: str,
    redirect_uris: list[str],
    webhook_url: str = "",
    webhook_secret_token: str = "",
    name: str | None = None,
    scopes: str | None = None,
    management: str | None = None,
    events: list[str] | None = None,
) -> App:
    """Registers (or updates) an app. An admin-managed app lists only `:admin` scopes: Zoom has
    "no app type that combines both" (https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/).
    `events` are the app's Event Subscriptions (None: every event the sandbox sends)."""
    management = management or App.USER_MANAGED
    if management not in (App.USER_MANAGED, App.ADMIN_MANAGED):
        raise RegistrationError("management must be 'user' or 'admin'.")
    if management == App.ADMIN_MANAGED:
        listed = (scopes or "").split()
        if not listed or any(not scope.endswith(":admin") for scope in listed):
            raise RegistrationError("An admin-managed app lists only ':admin' scopes.")
    app, _ = App.objects.get_or_create(
        client_id=client_id, defaults={"client_secret": client_secret}
    )
    app.client_secret = client_secret
    app.redirect_uris = list(redirect_uris)
    app.webhook_url = webhook_url
    app.webhook_secret_token = webhook_secret_token
    if name:
        app.name = name
    if scopes:
        app.scopes = " ".join(scopes.split())
    app.management = management
    if events is not None and (
        not isinstance(events, list) or not all(isinstance(e, str) for e in events)
    ):
        raise RegistrationError("events must be a list of event names.")
    app.events = events
    app.save()
    return app


def register_from_environment() -> App | None:
    """The demo passes its apps as variables (scripts/demo.py): the reps' app as ZOOM_SANDBOX_*,
    and the company-wide, admin-managed app as ZOOM_SANDBOX_ACCOUNT_*."""
    client_id = os.environ.get("ZOOM_SANDBOX_CLIENT_ID")
    if not client_id:
        return None
    account_client_id = os.environ.get("ZOOM_SANDBOX_ACCOUNT_CLIENT_ID")
    if account_client_id:
        register_app(
            client_id=account_client_id,
            **_app_from_environment("ZOOM_SANDBOX_ACCOUNT_"),
            management=App.ADMIN_MANAGED,
        )
    return register_app(
        client_id=client_id,
        **_app_from_environment("ZOOM_SANDBOX_"),
        name=os.environ.get("ZOOM_APP_NAME") or None,
    )


def _app_from_environment(prefix: str) -> dict:
    return {
        "client_secret": os.environ.get(f"{prefix}CLIENT_SECRET", ""),
        "redirect_uris": os.environ.get(f"{prefix}REDIRECT_URIS", "").split(),
        "webhook_url": os.environ.get(f"{prefix}WEBHOOK_URL", ""),
        "webhook_secret_token": os.environ.get(f"{prefix}WEBHOOK_SECRET_TOKEN", ""),
        "scopes": os.environ.get(f"{prefix}SCOPES") or None,
        "events": os.environ[f"{prefix}EVENTS"].split()
        if os.environ.get(f"{prefix}EVENTS")
        else None,
    }


def default_app() -> App | None:
    """The app a page or control call means when it names none: the newest user-managed app (a
    product registers its admin-managed app beside it), else the newest app."""
    apps = App.objects.order_by("-id")
    return apps.filter(management=App.USER_MANAGED).first() or apps.first()


def as_dict(app: App) -> dict:
    return {
        "client_id": app.client_id,
        "name": app.name,
        "redirect_uris": app.redirect_uris,
        "webhook_url": app.webhook_url,
        "scopes": app.scopes,
        "management": app.management,
        "events": app.events,
    }
