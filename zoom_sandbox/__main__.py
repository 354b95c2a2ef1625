"""`python -m zoom_sandbox serve --host localhost --port 9100 --db var/zoom-sandbox.sqlite3`"""

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zoom_sandbox", description="A local stand-in for Zoom (demo and tests)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the sandbox's HTTP server")
    serve.add_argument("--host", default="localhost")
    serve.add_argument("--port", type=int, default=9100)
    serve.add_argument("--db", default="var/zoom-sandbox.sqlite3")
    args = parser.parse_args(argv)

    db = Path(args.db).resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    # The sandbox is its own Django project: never the app's settings, whatever the shell exports.
    os.environ["DJANGO_SETTINGS_MODULE"] = "zoom_sandbox.settings"
    os.environ["ZOOM_SANDBOX_DB"] = str(db)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)

    from .registration import register_from_environment
    from .server import serve as run_server

    register_from_environment()
    # SIGTERM (the demo and the fixtures stop us that way) exits cleanly through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        run_server(args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
