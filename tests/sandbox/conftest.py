"""Helpers for the sandbox's own tests: an OAuth client as the app would drive it, over HTTP."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

TIMEOUT = 10


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


class ZoomFlow:
    """What the app does with Zoom, written out by hand so the tests see every byte."""

    def __init__(self, sandbox, settings):
        self.sandbox = sandbox
        self.client_id = settings.ZOOM_CLIENT_ID
        self.client_secret = settings.ZOOM_CLIENT_SECRET
        self.redirect_uri = settings.SITE_URL + "/integrations/zoom/callback/"
        self.webhook_secret = settings.ZOOM_WEBHOOK_SECRET_TOKEN
        self.verifier = secrets.token_urlsafe(48)

    def authorize_url(self, *, state="state-123", challenge=None, method="S256", **extra):
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": state,
            "code_challenge": s256(self.verifier) if challenge is None else challenge,
            "code_challenge_method": method,
            **extra,
        }
        params = {k: v for k, v in params.items() if v is not None}
        return f"{self.sandbox.url}/oauth/authorize?{urlencode(params)}"

    def register_app(self, **fields) -> dict:
        """Registers this app again with `fields`; what they leave out (webhook, scopes) falls back
        to the sandbox's defaults."""
        return self.sandbox.register_app(
            client_id=self.client_id,
            client_secret=self.client_secret,
            redirect_uris=[self.redirect_uri],
            **fields,
        )

    def sign_in(self, browser: requests.Session, email: str, next_url: str = "/") -> None:
        """Signs `browser` in to the sandbox's Zoom web pages (it holds the CSRF cookie already)."""
        browser.post(
            f"{self.sandbox.url}/oauth/signin",
            data={
                "csrfmiddlewaretoken": browser.cookies["zoom_sandbox_csrftoken"],
                "action": "signin",
                "email": email,
                "next": next_url,
            },
            timeout=TIMEOUT,
        )

    def code_for(self, email, **kwargs) -> str:
        location = self.sandbox.consent(self.authorize_url(**kwargs), email)
        return query_of(location)["code"]

    def token(self, data: dict, auth=None) -> requests.Response:
        return requests.post(
            f"{self.sandbox.url}/oauth/token",
            data=data,
            auth=auth if auth is not None else (self.client_id, self.client_secret),
            timeout=TIMEOUT,
        )

    def exchange(self, code: str, *, verifier=None, redirect_uri=None) -> requests.Response:
        return self.token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri or self.redirect_uri,
                "code_verifier": self.verifier if verifier is None else verifier,
            }
        )

    def connect(self, email: str, **user) -> dict:
        """Creates the user if needed, consents, exchanges the code: the token response."""
        self.sandbox.create_user(email, **user)
        response = self.exchange(self.code_for(email))
        assert response.status_code == 200, response.text
        return response.json()

    def refresh(self, refresh_token: str) -> requests.Response:
        return self.token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def api(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        return requests.request(
            method,
            f"{self.sandbox.url}/v2{path}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=kwargs.pop("timeout", TIMEOUT),
            **kwargs,
        )

    def create_meeting(self, token: str, **fields) -> requests.Response:
        body = {
            "topic": "Intro call",
            "type": 2,
            "start_time": "2030-01-15T15:00:00Z",
            "duration": 30,
            "timezone": "America/New_York",
            "default_password": True,
            **fields,
        }
        return self.api("POST", "/users/me/meetings", token, json=body)


@pytest.fixture
def zoom(sandbox, settings):
    return ZoomFlow(sandbox, settings)


class WebhookReceiver:
    """A stand-in for the app's webhook endpoint: records raw requests, answers like the app."""

    def __init__(self):
        self.requests: list[dict] = []
        self.secret = ""
        self.answer_validation = True
        self.status = 200
        received = self.requests
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append({"headers": dict(self.headers), "body": body})
                payload = json.loads(body)
                answer = b"{}"
                if payload.get("event") == "endpoint.url_validation" and receiver.answer_validation:
                    plain = payload["payload"]["plainToken"]
                    encrypted = hmac.new(
                        receiver.secret.encode(), plain.encode(), hashlib.sha256
                    ).hexdigest()
                    answer = json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/integrations/zoom/webhook/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, name: str) -> list[dict]:
        return [
            json.loads(r["body"]) for r in self.requests if json.loads(r["body"])["event"] == name
        ]


@pytest.fixture
def webhook_receiver(sandbox, settings):
    receiver = WebhookReceiver()
    receiver.secret = settings.ZOOM_WEBHOOK_SECRET_TOKEN
    sandbox.register_app(
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + "/integrations/zoom/callback/"],
        webhook_url=receiver.url,
        webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
    )
    yield receiver
    receiver.server.shutdown()
