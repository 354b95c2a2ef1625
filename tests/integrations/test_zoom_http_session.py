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
