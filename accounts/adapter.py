"""allauth's hooks: who may sign up, and which address and account a failed sign-in counts for."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from config.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "not_invited": "Sign-up is by invitation: ask your admin to invite this email address.",
    }

    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_MODE != "closed"

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if settings.ACCOUNT_SIGNUP_MODE == "invite" and not self._invited(email):
            raise self.validation_error("not_invited")
        return email

    @staticmethod
    def _invited(email: str) -> bool:
        email = email.strip().lower()
        domain = "@" + email.rpartition("@")[2]
        return email in settings.ACCOUNT_SIGNUP_INVITED or domain in settings.ACCOUNT_SIGNUP_INVITED

    def get_client_ip(self, request) -> str:
        # X-Forwarded-For only as far as our own proxies vouch for it (config/client_address.py).
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed sign-ins per account ("key") and per address. Per account alone,
        # anyone could keep a rep locked out by failing on purpose; per (account, address), only
        # the guesser's own address is slowed, and the per-address limit still bounds guessing.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_address(request)}"
