"""One HTTP session to Zoom per thread: a worker thread's calls reuse its kept-alive connections,
and threads never share a session (requests' Session is not thread-safe)."""

import threading

from integrations.zoom.api.client import ZoomClient


def test_clients_in_one_thread_share_its_http_session():
    assert ZoomClient().session is ZoomClient(account_id="acct").session


def test_each_thread_has_its_own_http_session():
    sessions = []
    threads = [threading.Thread(target=lambda: sessions.append(ZoomClient().session))]
    threads.append(threading.Thread(target=lambda: sessions.append(ZoomClient().session)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sessions[0] is not sessions[1]
    assert ZoomClient().session not in sessions


def test_the_environments_proxy_settings_still_apply(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "zoom.internal")
    # A session made after the variables are set, as a worker thread's first call makes one.
    session = type(ZoomClient().session)()

    through_proxy = session.merge_environment_settings(
        "https://api.zoom.us/v2", {}, None, None, None
    )
    bypassed = session.merge_environment_settings("https://zoom.internal/v2", {}, None, None, None)

    assert through_proxy["proxies"]["https"] == "http://proxy.example:3128"
    assert "https" not in bypassed["proxies"]
