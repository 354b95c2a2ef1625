"""The services a deployment is built on (database, broker, cache, email), each chosen in the
environment.

Each has an embedded stand-in that needs no server (SQLite, a broker and a cache in files under
DJANGO_VAR_DIR, email printed to the console): the demo runs on them, and so can one small machine.
With debug on an unset variable means the stand-in. With debug off nothing is assumed: each one is
a URL or, for the first three, the word `embedded` (the one-small-machine choice, said out loud), so
a second host that forgets a variable cannot quietly get a database or rate limits of its own. What
was left unset is listed here and refused by the system checks (health.configuration): `check
--deploy`, `migrate`, and every web, worker and beat process at its start.
"""

import environ

EMBEDDED = "embedded"


class ServiceChoices:
    def __init__(self, env: environ.Env, *, debug: bool):
        self.env = env
        self.debug = debug
        # Variables left unset with debug off, in the order they were read.
        self.unchosen: list[str] = []
        # Variables set to `embedded`.
        self.embedded: list[str] = []

    def url(self, name: str, embedded_url: str, *, embedded_word: bool = True) -> str:
        """The URL `name` chose; `embedded_url` when it chose the stand-in, or was left unset
        (then, with debug off, it is recorded as unchosen and nothing may start)."""
        value = self.env.str(name, default="").strip()
        if embedded_word and value == EMBEDDED:
            self.embedded.append(name)
            return embedded_url
        if value:
            return value
        if not self.debug:
            self.unchosen.append(name)
        return embedded_url

    def chose(self, name: str) -> bool:
        """Whether `name` was set (to a URL or to `embedded`), as opposed to left to a default."""
        return bool(self.env.str(name, default="").strip())
