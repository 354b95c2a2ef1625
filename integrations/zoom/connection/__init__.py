"""A rep's own Zoom connection: its model and token chain, connecting and disconnecting, the
session every call goes through, which connection serves a rep (`hosts`), the health check, the
keep-alive, what happens when it breaks or works again, the reconnect email, and its pages."""
