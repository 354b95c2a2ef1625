"""Which address a request counts for: the peer, or what our own proxies vouch for."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.client_address import client_address
from config.rate_limits import Rate, parse_rates


def request(remote="203.0.113.5", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(xff="1.2.3.4")) == "203.0.113.5"


def test_with_two_trusted_proxies_the_second_from_last_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(xff="6.6.6.6, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


@pytest.mark.parametrize("xff", ["", "not-an-address", "10.0.0.2"])
def test_a_header_shorter_than_the_proxy_chain_or_garbage_falls_back_to_the_peer(settings, xff):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(xff=xff)) == "203.0.113.5"


def test_rates_read_counts_and_periods():
    assert parse_rates("5/m, 30/d,10/5m") == [Rate(5, 60), Rate(30, 86400), Rate(10, 300)]
    assert parse_rates("") == []
    with pytest.raises(ImproperlyConfigured):
        parse_rates("5 per minute")
