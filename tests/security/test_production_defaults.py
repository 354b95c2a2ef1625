"""Production's defaults are the safe ones: verified rep emails, no trust in a forwarded protocol
header unless a proxy is declared, a cache every process shares, and a Content-Security-Policy."""

import json
import re
from pathlib import Path

import pytest

from tests.foundation.test_configuration import manage_check
from tests.foundation.test_settings import PRODUCTION_ENV, read_settings, run_settings

ROOT = Path(__file__).resolve().parents[2]

FORGED_HTTPS = (
    "from django.test import Client; import json; "
    "r = Client().get('/', HTTP_HOST='sched.example.com', HTTP_X_FORWARDED_PROTO='https'); "
    "print(json.dumps([r.status_code, r.get('Location', '')]))"
)


def test_production_verifies_rep_emails_and_the_demo_does_not_have_to():
    assert read_settings(PRODUCTION_ENV, "ACCOUNT_EMAIL_VERIFICATION") == {
        "ACCOUNT_EMAIL_VERIFICATION": "mandatory"
    }
    assert read_settings({"DJANGO_DEBUG": "1"}, "ACCOUNT_EMAIL_VERIFICATION") == {
        "ACCOUNT_EMAIL_VERIFICATION": "optional"
    }


def test_a_plain_http_request_forging_x_forwarded_proto_is_still_redirected_to_https():
    result = run_settings(PRODUCTION_ENV, FORGED_HTTPS)
    assert result.returncode == 0, result.stderr
    status, location = json.loads(result.stdout)
    assert status == 301
    assert location == "https://sched.example.com/"


def test_behind_a_declared_tls_proxy_its_header_is_trusted():
    result = run_settings({**PRODUCTION_ENV, "DJANGO_BEHIND_TLS_PROXY": "true"}, FORGED_HTTPS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0] != 301


def test_production_refuses_a_cache_that_one_process_keeps_to_itself():
    result = manage_check({**PRODUCTION_ENV, "CACHE_URL": "locmemcache://"})
    assert result.returncode != 0
    assert "CACHE_URL must be shared" in result.stderr


def test_the_embedded_cache_holds_across_processes():
    backend = read_settings(PRODUCTION_ENV, "CACHES")["CACHES"]["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"


@pytest.mark.django_db
def test_every_page_carries_a_policy_that_runs_only_our_own_script_files(client, settings):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # Connect posts to us, then Zoom's consent page is a redirect of that form.
    assert settings.ZOOM_OAUTH_BASE_URL in directives["form-action"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    templates = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("*/templates/**/*.html"),
        *ROOT.glob("*/*/templates/**/*.html"),
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates
        if "zoom_sandbox" not in path.parts and "email" not in path.parts
        for text in [path.read_text()]
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or JS_URL.search(text)
    ]
    assert templates and offenders == []
