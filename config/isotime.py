"""The one reader of ISO 8601 times that arrive as text: from Zoom (meeting times, `created_at`,
`Retry-After`) and from the booking page (the chosen slot)."""

from datetime import UTC, datetime


def parse_iso_datetime(value, *, naive_is_utc: bool) -> datetime | None:
    """An aware datetime, or None for anything that is not an ISO 8601 time.

    A trailing "Z" means UTC (Python 3.11 reads it, but "+00:00" is what every version reads). A
    time without an offset is UTC when `naive_is_utc` (Zoom writes its times in GMT), else None.
    """
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC) if naive_is_utc else None
    return moment
