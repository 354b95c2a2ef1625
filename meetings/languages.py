"""The guest's language: their pages, emails and invites (settings.LANGUAGES; rep pages stay in
English). Chosen from the browser (Accept-Language), switchable on the page (a cookie, set by
Django's `set_language`), and stored on the booking so every later email uses it."""

from functools import wraps

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

CODES = [code for code, _ in settings.LANGUAGES]
DEFAULT = "en"


def supported(code: str | None) -> str | None:
    """`code` as one of ours ('pt-BR' → 'pt'), or None."""
    if not code:
        return None
    try:
        variant = translation.get_supported_language_variant(code)
    except LookupError:
        return None
    base = variant.split("-")[0]
    return base if base in CODES else None


def for_request(request, stored: str | None = None) -> str:
    """The language a guest's page is shown in: the booking's (`stored`) on the pages of a
    booking, else the one picked on the page (the cookie), else the browser's, else English."""
    return (
        supported(stored)
        or supported(translation.get_language_from_request(request, check_path=False))
        or DEFAULT
    )


def remember_choice(response, code: str) -> None:
    """Keeps a language picked on the page, as Django's `set_language` does (the same cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def render_in(language: str, view, *args, **kwargs):
    """Calls `view` with `language` active and marks the response with it."""
    with translation.override(language):
        response = view(*args, **kwargs)
    response.headers.setdefault("Content-Language", language)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def guest_language(view):
    """A public page shown in the visitor's language (before a booking exists)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return render_in(for_request(request), view, request, *args, **kwargs)

    return wrapper
