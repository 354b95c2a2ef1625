"""The Zoom sandbox seen from outside: the client of its control API (`SandboxControl`), a sandbox
process for the length of a block (`running_sandbox`), and the product's two apps registered in it
the way the app's settings say (`register_product_apps`). The test fixtures
(tests/fixtures/sandbox.py) and the benchmarks use these.

SandboxControl (plain HTTP calls to the sandbox's control API under /_sandbox/)
--------------------------------------------------------------------------------
- `url` — the sandbox root, e.g. "http://localhost:40123".
- `reset()`; `register_app(*, client_id, client_secret, redirect_uris, webhook_url="",
  webhook_secret_token="", name=None, scopes=None) -> dict`.
- `create_user(email, *, account_id=None, user_type=2, requires_preapproval=False,
  timezone="America/New_York", **extra) -> dict` — idempotent per email; the dict has `id, email,
  account_id, type, timezone, pmi, …`. extra: first_name, last_name, account_name, is_admin,
  hosting_disabled, settings (overrides of GET /users/{id}/settings). `requires_preapproval=True`
  makes the user's account require admin pre-approval (False leaves the account as it is).
- `user(email) -> dict | None`; `delete_user(email)` (the user's tokens then fail with 4735);
  `set_user_status(email, "deactivate" | "activate")` (Zoom's `PUT /users/{id}/status`).
- `set_user_settings(email, **sections)` — deep-merges into what `GET /users/{id}/settings`
  answers, e.g. `schedule_meeting={"meeting_password_requirement": {"only_allow_numeric": True}}`.
- `set_app_scopes(scopes)` — the developer edits the app's listing (space-separated; "" = the
  `scope_family` knob's listing). Scopes added since a user authorized break that user's refreshes.
- `consent(authorize_url, email, allow=True) -> str` — what a browser does: opens the authorize URL,
  signs in as `email` (created if missing), clicks Allow or Decline, and returns the Location the
  sandbox redirects to (the app's callback with `code`&`state`, or `error=access_denied`&`state`).
  If the user already authorized the app, Zoom (and the sandbox) redirects straight back with a
  code. Raises `PreapprovalRequired` when the sandbox shows the "You cannot authorize …" wall and
  `SandboxError` for an authorize error page.
- `approve(account_id, email=None)`, `withdraw_approval(account_id, email=None)` (for all users, or
  one user; after a withdrawal the tokens fail with 4738); `preapproval_requests() -> list[dict]`.
- `set_knobs(**knobs) -> dict`, `knobs() -> dict`. Knobs: latency_ms, latency_p99_ms (0: fixed;
  above latency_ms: log-normal with that p99), access_token_lifetime (3599),
  refresh_token_lifetime, code_lifetime (300), daily_meeting_limit (100), qps_limit (None: the
  plan's limits per category),
  retry_after_header (True), scope_family ("granular" | "classic"), classic_write_grants_read
  (False), granted_scopes (None = the app's listing; e.g. "user:read"), oauth_error_codes (False:
  token errors carry no numeric `code`), missing_scope_code (4711 | 4700), timeout_seconds (30),
  webhooks_for_api_changes (False), webhook_retry_timestamp ("original" | "fresh").
- `fail_next(path_contains, status=500, count=1, body=None, kind="status")` — kind is "status",
  "non_json" (an HTML error page), "drop" (connection closed, no answer) or "timeout" (no answer for
  `timeout_seconds`, then closed); `clear_failures()`.
- `calls(path_contains=None, *, path=None) -> list[dict]` (`path`: exactly that path; method, path,
  query, status, request_body, response_body, authorization, client_id, user_email, injected,
  duration_ms).
- `meetings(host_email=None) -> list[dict]` (Zoom's meeting object plus host_email).
- `token_stats(email) -> dict` (families, active_families, refresh_count, access_tokens_issued).
- `expire_access_tokens(email) -> int`; `set_daily_usage(email, count)`; `age_page_tokens(seconds)`;
  `set_account_daily_usage(account_id, category, count)`.
- `uninstall(email, client_id=None, user_data_retention=False) -> dict` — the user removes the app
  in Zoom (by default the user-managed app; an admin removing an admin-managed app removes it for
  the whole account): tokens revoked, a signed `app_deauthorized` is POSTed to the app's webhook URL
  (`user_data_retention` "false", or "true" when asked); returns the delivery (status,
  response_body…).
- `set_meeting_status(meeting_id, status)` — sets the meeting's status ("started", "ended")
  without anyone joining and without events: PATCH/DELETE then answer 3002 / 3007.
- Meetings that happen (each returns {"participant", "participants", "deliveries"}; the events
  go to the apps subscribed to them, late or lost as the knobs `activity_event_delay_seconds` and
  `activity_events_lost` say): `start_meeting(meeting_id)` (the host opens the start link),
  `join_meeting(meeting_id, name="Guest", as_="guest", email="", client="app")` (`email`: the
  Zoom user the person is signed in as; empty = not signed in), `admit(meeting_id, as_="guest")`
  (from the waiting room), `leave_meeting(meeting_id, as_="guest" | "host")` or
  `leave_meeting(meeting_id, participant_id=…)`, `end_meeting(meeting_id)`;
  `meeting_participants(meeting_id) -> list[dict]` (the latest instance, unblanked);
  `send_held_events(order="happened" | "reverse") -> int` (late events arrive now).
- `set_account_plan(account_id, plan)` — "free", "pro", "business" or "enterprise" (a new
  account is Pro when its first user is Licensed, free when Basic).
- `update_meeting_in_zoom(meeting_id, **fields) -> dict`, `delete_meeting_in_zoom(meeting_id) ->
  dict` — the host changes the meeting inside Zoom; `meeting.updated` / `meeting.deleted` are sent
  to the apps the host authorized; returns {"deliveries": [...], …}.
- `trigger_url_validation() -> dict` — sends `endpoint.url_validation`; returns {"ok", "status",
  "plain_token", "expected_encrypted_token", "response", …}.
- `webhook_deliveries(event=None) -> list[dict]` (with `attempt`, `first_id`, `next_retry_at`),
  `redeliver(delivery_id) -> dict` (a manual resend: the same body, freshly signed),
  `retry_delivery(delivery_id, late_by_seconds=0) -> dict` (Zoom's next scheduled retry of a failed
  delivery, sent now; its timestamp follows the `webhook_retry_timestamp` knob).
"""

import os
import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import requests

from scripts.launchers import free_port, serve_command, stop_process

ROOT = Path(__file__).resolve().parent.parent
CALLBACK_PATH = "/integrations/zoom/callback/"
WEBHOOK_PATH = "/integrations/zoom/webhook/"
ACCOUNT_CALLBACK_PATH = "/integrations/zoom/account/callback/"
ACCOUNT_WEBHOOK_PATH = "/integrations/zoom/account/webhook/"
_TIMEOUT = 30
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PAGE_RE = re.compile(r'data-sandbox-page="([^"]+)"')
_ERROR_RE = re.compile(r'id="error-message">([^<]*)<')


class SandboxError(Exception):
    pass


class PreapprovalRequired(SandboxError):
    """The sandbox showed Zoom's "You cannot authorize …" page and redirected nowhere."""


class SandboxControl:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self._http = requests.Session()

    def _call(self, method: str, path: str, *, json=None, params=None):
        response = self._http.request(
            method, f"{self.url}/_sandbox/{path}", json=json, params=params, timeout=_TIMEOUT
        )
        if not response.ok:
            raise SandboxError(f"{method} /_sandbox/{path}: {response.status_code} {response.text}")
        return response.json()

    # Setup -------------------------------------------------------------------------------------

    def reset(self) -> None:
        self._call("POST", "reset")

    def register_app(
        self,
        *,
        client_id,
        client_secret,
        redirect_uris,
        webhook_url="",
        webhook_secret_token="",
        name=None,
        scopes=None,
        management=None,
        events=None,
    ) -> dict:
        return self._call(
            "POST",
            "apps",
            json={
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uris": list(redirect_uris),
                "webhook_url": webhook_url,
                "webhook_secret_token": webhook_secret_token,
                "name": name,
                "scopes": scopes,
                "management": management,
                "events": events,
            },
        )

    def create_user(
        self,
        email,
        *,
        account_id=None,
        user_type=2,
        requires_preapproval=False,
        timezone="America/New_York",
        **extra,
    ) -> dict:
        body = {
            "email": email,
            "account_id": account_id,
            "type": user_type,
            "timezone": timezone,
            **extra,
        }
        if requires_preapproval:
            body["requires_preapproval"] = True
        return self._call("POST", "users", json=body)

    def set_app_scopes(self, scopes: str) -> dict:
        return self._call("POST", "apps/scopes", json={"scopes": scopes})

    def set_user_settings(self, email: str, **sections) -> dict:
        return self._call("POST", f"users/{email}/settings", json=sections)

    def user(self, email) -> dict | None:
        found = self._call("GET", "users", params={"email": email})
        return found[0] if found else None

    def delete_user(self, email) -> None:
        self._call("POST", f"users/{email}/delete")

    def set_user_status(self, email, action) -> dict:
        return self._call("POST", f"users/{email}/status", json={"action": action})

    # OAuth ---------------------------------------------------------------------------------------

    def consent(self, authorize_url: str, email: str, allow: bool = True) -> str:
        if self.user(email) is None:
            self.create_user(email)
        browser = requests.Session()
        page = browser.get(authorize_url, allow_redirects=False, timeout=_TIMEOUT)
        if _page_id(page) == "signin":
            next_url = urlsplit(authorize_url)
            signed_in = browser.post(
                f"{self.url}/oauth/signin",
                data={
                    "csrfmiddlewaretoken": _csrf(page),
                    "action": "signin",
                    "email": email,
                    "next": f"{next_url.path}?{next_url.query}",
                },
                allow_redirects=False,
                timeout=_TIMEOUT,
            )
            if signed_in.status_code != 302:
                raise SandboxError(f"Signing in as {email} failed: {_error_text(signed_in)}")
            page = browser.get(authorize_url, allow_redirects=False, timeout=_TIMEOUT)
        if page.is_redirect:
            return page.headers["Location"]
        kind = _page_id(page)
        if kind == "preapproval":
            raise PreapprovalRequired(f"{email} may not authorize the app: pre-approval needed.")
        if kind != "consent":
            raise SandboxError(f"The authorize URL showed an error: {_error_text(page)}")
        decided = browser.post(
            authorize_url,
            data={"csrfmiddlewaretoken": _csrf(page), "decision": "allow" if allow else "decline"},
            allow_redirects=False,
            timeout=_TIMEOUT,
        )
        if not decided.is_redirect:
            raise SandboxError(f"Consent did not redirect: {_error_text(decided)}")
        return decided.headers["Location"]

    def approve(self, account_id: str, email: str | None = None) -> None:
        self._call("POST", f"accounts/{account_id}/approve", json={"email": email})

    def withdraw_approval(self, account_id: str, email: str | None = None) -> None:
        self._call("POST", f"accounts/{account_id}/withdraw", json={"email": email})

    def preapproval_requests(self) -> list[dict]:
        return self._call("GET", "preapproval-requests")

    # Knobs and failures --------------------------------------------------------------------------

    def set_knobs(self, **knobs) -> dict:
        return self._call("POST", "knobs", json=knobs)

    def knobs(self) -> dict:
        return self._call("GET", "knobs")

    def fail_next(
        self,
        path_contains: str,
        status: int = 500,
        count: int = 1,
        body: str | None = None,
        kind: str = "status",
    ) -> None:
        self._call(
            "POST",
            "failures",
            json={
                "path_contains": path_contains,
                "status": status,
                "count": count,
                "body": body,
                "kind": kind,
            },
        )

    def clear_failures(self) -> None:
        self._call("DELETE", "failures")

    # What the sandbox received and holds ---------------------------------------------------------

    def calls(self, path_contains: str | None = None, *, path: str | None = None) -> list[dict]:
        found = self._call("GET", "calls", params={"path_contains": path_contains or path or ""})
        return [call for call in found if path is None or call["path"] == path]

    def meetings(self, host_email: str | None = None) -> list[dict]:
        return self._call("GET", "meetings", params={"host_email": host_email or ""})

    def token_stats(self, email: str) -> dict:
        return self._call("GET", f"users/{email}/tokens")

    def expire_access_tokens(self, email: str) -> int:
        return self._call("POST", f"users/{email}/expire-access-tokens")["expired"]

    def set_account_daily_usage(self, account_id: str, category: str, count: int) -> None:
        """Requests an account made today in a rate-limit category ("Light" or "Medium"): the
        Free plan caps them per day."""
        self._call(
            "POST",
            f"accounts/{account_id}/daily-usage",
            json={"category": category, "count": count},
        )

    def age_page_tokens(self, seconds: float) -> None:
        """Every `next_page_token` issued so far becomes `seconds` older (they expire after 15
        minutes)."""
        self._call("POST", "page-tokens/age", json={"seconds": seconds})

    def set_daily_usage(self, email: str, count: int) -> None:
        self._call("POST", f"users/{email}/daily-usage", json={"count": count})

    # Things that happen inside Zoom --------------------------------------------------------------

    def uninstall(
        self, email: str, client_id: str | None = None, *, user_data_retention: bool = False
    ) -> dict:
        return self._call(
            "POST",
            f"users/{email}/uninstall",
            json={"client_id": client_id, "user_data_retention": user_data_retention},
        )

    def update_meeting_in_zoom(self, meeting_id, **fields) -> dict:
        return self._call("POST", f"meetings/{meeting_id}/update", json=fields)

    def delete_meeting_in_zoom(self, meeting_id) -> dict:
        return self._call("POST", f"meetings/{meeting_id}/delete")

    def set_meeting_status(self, meeting_id, status: str) -> dict:
        return self._call("POST", f"meetings/{meeting_id}/status", json={"status": status})

    def start_meeting(self, meeting_id) -> dict:
        return self._call("POST", f"meetings/{meeting_id}/start")

    def join_meeting(
        self, meeting_id, name="Guest", *, as_="guest", email="", client="app"
    ) -> dict:
        return self._call(
            "POST",
            f"meetings/{meeting_id}/join",
            json={"as": as_, "name": name, "email": email, "client": client},
        )

    def admit(self, meeting_id, *, as_="guest", participant_id=None) -> dict:
        return self._call(
            "POST",
            f"meetings/{meeting_id}/admit",
            json={"as": as_, "participant_id": participant_id},
        )

    def leave_meeting(self, meeting_id, *, as_="guest", participant_id=None) -> dict:
        return self._call(
            "POST",
            f"meetings/{meeting_id}/leave",
            json={"as": as_, "participant_id": participant_id},
        )

    def end_meeting(self, meeting_id) -> dict:
        return self._call("POST", f"meetings/{meeting_id}/end")

    def meeting_participants(self, meeting_id) -> list[dict]:
        return self._call("GET", f"meetings/{meeting_id}/participants")

    def send_held_events(self, order: str = "happened") -> int:
        return self._call("POST", "webhooks/held/send", json={"order": order})["sent"]

    def set_account_plan(self, account_id: str, plan: str) -> dict:
        return self._call("POST", f"accounts/{account_id}/plan", json={"plan": plan})

    def trigger_url_validation(self) -> dict:
        return self._call("POST", "webhooks/url-validation")

    def webhook_deliveries(self, event: str | None = None) -> list[dict]:
        return self._call("GET", "webhooks", params={"event": event or ""})

    def redeliver(self, delivery_id: int) -> dict:
        return self._call("POST", f"webhooks/{delivery_id}/redeliver")

    def retry_delivery(self, delivery_id: int, *, late_by_seconds: int = 0) -> dict:
        return self._call(
            "POST", f"webhooks/{delivery_id}/retry", json={"late_by_seconds": late_by_seconds}
        )


def _page_id(response: requests.Response) -> str:
    match = _PAGE_RE.search(response.text)
    return match.group(1) if match else ""


def _csrf(response: requests.Response) -> str:
    match = _CSRF_RE.search(response.text)
    if not match:
        raise SandboxError("The sandbox page has no form.")
    return match.group(1)


def _error_text(response: requests.Response) -> str:
    match = _ERROR_RE.search(response.text)
    return match.group(1) if match else f"HTTP {response.status_code}"


@contextmanager
def running_sandbox(workdir: Path):
    """A sandbox process serving from `workdir` (its database and log) until the block ends;
    yields its `SandboxControl`. The session fixture and benchmarks/create_path.py use it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_SANDBOX_")}
    log = (workdir / "sandbox.log").open("w")
    process = subprocess.Popen(
        serve_command(port, workdir / "sandbox.sqlite3"),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    control = SandboxControl(f"http://localhost:{port}")
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{control.url}/_sandbox/health", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                "The Zoom sandbox did not start:\n" + (workdir / "sandbox.log").read_text()
            )
        time.sleep(0.1)
    try:
        yield control
    finally:
        stop_process(process, timeout=10)
        log.close()


def register_product_apps(
    control: SandboxControl, settings, family: str = "granular"
) -> SandboxControl:
    """Resets the sandbox, registers the app and the company-wide app from `settings` (apps of
    `family`: "granular" or "classic" scopes) and points `settings`' Zoom URLs at the sandbox.
    Needs Django set up (it reads the product's events and scopes); the rest of this module does
    not, so a process that only drives a sandbox can use it as it starts."""
    from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES
    from integrations.zoom.webhooks.deliveries import HANDLED_EVENTS

    # Both product apps subscribe to exactly the events the product handles, as their Marketplace
    # listings do (app_deauthorized is always sent).
    product_events = sorted(HANDLED_EVENTS - {"app_deauthorized"})
    control.reset()
    if family != "granular":
        control.set_knobs(scope_family=family)
    control.register_app(
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + CALLBACK_PATH],
        webhook_url=settings.SITE_URL + WEBHOOK_PATH,
        webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
        name=getattr(settings, "ZOOM_APP_NAME", None),
        events=product_events,
    )
    # The company-wide app: admin-managed, its own credentials, redirect URI and webhook.
    control.register_app(
        client_id=settings.ZOOM_ACCOUNT_CLIENT_ID,
        client_secret=settings.ZOOM_ACCOUNT_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + ACCOUNT_CALLBACK_PATH],
        webhook_url=settings.SITE_URL + ACCOUNT_WEBHOOK_PATH,
        webhook_secret_token=settings.ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN,
        name="Scheduler for Zoom (company)",
        scopes=" ".join(ACCOUNT_GRANULAR_SCOPES),
        management="admin",
        events=product_events,
    )
    settings.ZOOM_OAUTH_BASE_URL = control.url
    settings.ZOOM_API_BASE_URL = f"{control.url}/v2"
    settings.ZOOM_MARKETPLACE_URL = f"{control.url}/marketplace/app"
    return control
