"""Zoom's webhooks: the envelope (signature, freshness, URL validation) and the deliveries
(received once, applied by a worker, kept as a record)."""
