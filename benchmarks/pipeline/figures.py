"""What happened to one step's bookings, read from the database, and the figures the run prints.

Times come from the database (`Booking.created_at`, `link_ready_at`, the invites' records) and the
guests' own clock (each request's due time); both are this host's wall clock.
"""

from dataclasses import dataclass, field

from .guests import Outcome


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def spread(values: list[float], scale: float = 1000.0, unit: str = "ms") -> str:
    if not values:
        return "none"
    p50, p99 = percentile(values, 50) * scale, percentile(values, 99) * scale
    return f"p50 {p50:.1f} {unit}, p99 {p99:.1f} {unit}, max {max(values) * scale:.1f} {unit}"


@dataclass
class Booked:
    """One planned booking as the database has it (None: never created)."""

    due: float
    created: float | None = None
    state: str = "missing"
    ready: float | None = None
    invited: float | None = None  # its invites' record (the REQUEST to the guest)
    done: bool = False  # link ready and the current version's invites sent
    zoom_seconds: float | None = None  # what the Zoom stand-in made its calls wait
    attempts: int = 0


@dataclass
class Step:
    """One offered rate's run and its measurements."""

    rate: float
    duration: float
    direct: bool
    outcomes: list[Outcome]
    booked: dict[int, Booked] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    processes: dict[str, int] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)
    zoom: dict = field(default_factory=dict)  # the stand-in's counts over the step
    sessions: int = 0  # PostgreSQL sessions opened during the step
    warmup: float = 0.0

    @property
    def total(self) -> int:
        return len(self.booked)

    @property
    def made(self) -> int:
        """Bookings the database has: what the serving processes' CPU is divided among (a
        booking offered and never made must not make the others look cheaper)."""
        return sum(1 for b in self.booked.values() if b.created is not None)

    def requests(self, kind: str, *, after_warmup: bool = True) -> list[Outcome]:
        start = min((o.due for o in self.outcomes), default=0.0)
        return [
            o
            for o in self.outcomes
            if o.kind == kind and (not after_warmup or o.due >= start + self.warmup)
        ]

    def answered_ok(self, outcome: Outcome) -> bool:
        return outcome.status == (200 if self.direct else 302)

    def refused(self) -> list[Outcome]:
        return [o for o in self.requests("book", after_warmup=False) if not self.answered_ok(o)]

    def link_from(self, *, commit: bool) -> list[float]:
        """Seconds to a ready link, from the booking's commit (`created_at`) or its due time."""
        return [
            b.ready - (b.created if commit else b.due)
            for b in self.booked.values()
            if b.ready is not None and (b.created is not None or not commit)
        ]

    def over_zoom(self) -> list[float]:
        """Per booking: time to a ready link beyond the Zoom stand-in's own waits for it, from
        the commit (web) or the hand-over (direct: the bookings were inserted before)."""
        return [
            b.ready - (b.due if self.direct else b.created) - b.zoom_seconds
            for b in self.booked.values()
            if b.ready is not None and b.zoom_seconds is not None and b.created is not None
        ]

    def end_to_end(self) -> list[float]:
        """From the due time to the invites' record, for bookings that got there."""
        return [b.invited - b.due for b in self.booked.values() if b.invited is not None]

    def drain_rate(self) -> float:
        """Links made per second over the middle 80 % of them (a queue draining)."""
        ready = sorted(b.ready for b in self.booked.values() if b.ready is not None)
        if len(ready) < 10:
            return 0.0
        low, high = ready[len(ready) // 10], ready[len(ready) * 9 // 10]
        return (len(ready) * 8 // 10) / (high - low) if high > low else 0.0

    def throughput(self) -> float:
        ready = [b.ready for b in self.booked.values() if b.ready is not None]
        if not ready:
            return 0.0
        first_due = min(b.due for b in self.booked.values())
        return len(ready) / (max(ready) - first_due)


def read_bookings(step: Step, pk_floor: int, zoom_seconds: dict[str, float]) -> None:
    """Fills `step.booked` from the database: every planned booking of the step (those with ids
    above `pk_floor`), created or not."""
    from django.db.models import Max

    from meetings.models import Booking, InviteDelivery
    from meetings.zoom.state import LinkState

    step.booked = {o.booking: Booked(due=o.due) for o in step.outcomes if o.kind == "book"}

    def planned(email: str) -> Booked | None:
        return step.booked.get(int(email.removeprefix("guest").split("@")[0]))

    rows = Booking.objects.filter(pk__gt=pk_floor).values_list(
        "guest_email", "created_at", "link_state", "link_ready_at", "zoom_meeting_id",
        "invite_sequence", "invites_sent_sequence", "link_attempts",
    )  # fmt: skip
    for email, created, state, ready, meeting, sequence, sent, attempts in rows.iterator():
        booked = planned(email)
        if booked is None:
            continue
        booked.created = created.timestamp()
        booked.state = state
        booked.ready = ready.timestamp() if ready and state == LinkState.READY else None
        booked.done = state == LinkState.READY and sent == sequence
        booked.zoom_seconds = zoom_seconds.get(meeting)
        booked.attempts = attempts
    invited = (
        InviteDelivery.objects.filter(
            booking__pk__gt=pk_floor,
            method=InviteDelivery.Method.REQUEST,
            recipient=InviteDelivery.Recipient.GUEST,
        )
        .values_list("booking__guest_email")
        .annotate(last=Max("sent_at"))
    )
    for email, last in invited:
        booked = planned(email)
        if booked is not None:
            booked.invited = last.timestamp()


def undone_count(pk_floor: int, expected: int) -> int:
    """How many of a step's `expected` bookings (those with ids above `pk_floor`) are not yet
    done: missing ones count."""
    from django.db.models import F

    from meetings.models import Booking
    from meetings.zoom.state import LinkState

    done = Booking.objects.filter(
        pk__gt=pk_floor,
        link_state=LinkState.READY,
        invites_sent_sequence=F("invite_sequence"),
    ).count()
    return expected - done


def last_booking_id() -> int:
    from meetings.models import Booking

    return Booking.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
