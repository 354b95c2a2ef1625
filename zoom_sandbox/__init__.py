"""A local stand-in for Zoom's OAuth server, REST API and webhooks (demo and tests only).

It is its own Django project (`zoom_sandbox.settings`) run as its own process on its own host and
port, so the app reaches it exactly as it reaches zoom.us: over HTTP, through
ZOOM_OAUTH_BASE_URL and ZOOM_API_BASE_URL. See docs/sandbox.md.
"""
