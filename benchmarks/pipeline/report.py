"""A step's figures, printed, and the targets it is judged on: each miss is named."""

from dataclasses import dataclass

from .figures import Step, percentile, spread

# The processes that serve a booking; the others measured are the world around it.
SERVING = ("web", "worker", "Zoom worker", "invites worker", "PostgreSQL", "Redis")


@dataclass
class Targets:
    """What a step is judged on (None / False: printed, not judged)."""

    schedule: bool = True  # offered on time, all accepted, all done, the pipeline kept pace
    max_lag: float = 0.05  # s: the guests' send lag p99 above which the offer was not kept
    keep_up: float = 1.0  # s: end-to-end p99 allowed beyond Zoom's own p99 answer time
    zoom_p99: float = 0.3  # s: Zoom's 99th-percentile answer time in this run
    cpu_ms: float | None = None  # all serving processes, per booking
    link_over_zoom_ms: tuple[float, float] | None = None  # (p50, p99)
    post_over_trivial_ms: float | None = None  # POST p99 minus /healthz/live p99, from due
    drain_rate: float | None = None  # links/s the queue must drain at (pacing), with 0 × 429
    memory_mib: float | None = 150.0


def _cpu_lines(step: Step) -> list[str]:
    booked = max(step.made, 1)
    lines, served = [], 0.0
    for name, seconds in step.cpu.items():
        per = seconds / booked * 1000
        role = "" if name in SERVING else " (outside the product, not counted)"
        if name in SERVING:
            served += per
        lines.append(
            f"  {name}: {per:.1f} ms ({seconds:.1f} s over {step.processes.get(name, 0)} "
            f"process(es)){role}"
        )
    lines.append(f"  all processes serving a booking: {served:.1f} ms per booking")
    return lines


def served_cpu_ms(step: Step) -> float:
    return sum(step.cpu.get(name, 0.0) for name in SERVING) / max(step.made, 1) * 1000


def print_step(step: Step) -> None:
    lags = [o.lag for o in step.outcomes]
    print(f"\n== {step.rate:g} bookings/s for {step.duration:g} s: {step.total} bookings ==")
    print(f"send lag of the open-loop offer (all requests): {spread(lags)}")
    if not step.direct:
        posts = [o.latency for o in step.requests("book") if step.answered_ok(o)]
        print(f"booking POST, from its due time (after {step.warmup:g} s warm-up): {spread(posts)}")
        for name in ("static", "healthz"):
            values = [o.latency for o in step.requests(name)]
            print(f"  beside it, GET {name}: {spread(values)}")
        healthz = [o.latency for o in step.requests("healthz")]
        if posts and healthz:
            over = percentile(posts, 99) - percentile(healthz, 99)
            print(f"  POST p99 over the trivial view's (/healthz/live) p99: {over * 1000:+.1f} ms")
    refused = step.refused()
    if refused:
        kinds = sorted({o.status or o.error for o in refused}, key=str)
        print(f"bookings refused or unanswered: {len(refused)} ({kinds})")
    states: dict[str, int] = {}
    for booked in step.booked.values():
        states[booked.state] = states.get(booked.state, 0) + 1
    print(f"link states: {states}")
    if not step.direct:
        print(f"committed → link ready: {spread(step.link_from(commit=True))}")
    print(f"due → link ready: {spread(step.link_from(commit=False))}")
    print(
        f"link ready beyond Zoom's own answer time, per booking (from the "
        f"{'hand-over' if step.direct else 'commit'}): {spread(step.over_zoom())}"
    )
    print(f"due → invites sent (end to end): {spread(step.end_to_end())}")
    print(
        f"links ready per second: {step.throughput():.1f} overall, "
        f"{step.drain_rate():.1f} over the middle 80 %"
    )
    calls, limited = step.zoom.get("calls", 0), step.zoom.get("limited", 0)
    attempts = max((b.attempts for b in step.booked.values()), default=0)
    print(
        f"Zoom calls per booking made: {calls / max(step.made, 1):.3f} ({calls} calls, "
        f"{limited} × 429, most attempts for one booking {attempts})"
    )
    print(f"new PostgreSQL sessions per booking made: {step.sessions / max(step.made, 1):.3f}")
    print(f"CPU per booking made ({step.made} of {step.total}), by process:")
    for line in _cpu_lines(step):
        print(line)
    for name, mib in step.peak_mib.items():
        print(f"peak memory, largest {name} process: {mib:.0f} MiB")


def judge(step: Step, targets: Targets) -> list[str]:
    """The missed targets, each said in a sentence (empty: all met)."""
    missed = []
    lags = [o.lag for o in step.outcomes]
    if lags and percentile(lags, 99) > targets.max_lag:
        missed.append(
            f"the offered schedule was not kept: send lag p99 {percentile(lags, 99):.3f} s > "
            f"{targets.max_lag:g} s (the machine running the guests set the pace)"
        )
    refused = step.refused()
    if refused:
        missed.append(f"{len(refused)} booking(s) refused or unanswered")
    undone = sum(1 for b in step.booked.values() if not b.done)
    if undone:
        missed.append(f"{undone} booking(s) never got their link and invites")
    e2e = step.end_to_end()
    if targets.schedule and e2e:
        allowed = targets.zoom_p99 + targets.keep_up
        if percentile(e2e, 99) > allowed:
            missed.append(
                f"the pipeline did not keep the schedule: due → invites p99 "
                f"{percentile(e2e, 99):.2f} s > {allowed:.2f} s "
                f"(Zoom's p99 + {targets.keep_up:g} s)"
            )
    if targets.cpu_ms is not None and served_cpu_ms(step) > targets.cpu_ms:
        missed.append(
            f"CPU per booking {served_cpu_ms(step):.1f} ms > {targets.cpu_ms:g} ms (all processes)"
        )
    over = step.over_zoom()
    if targets.link_over_zoom_ms is not None and over:
        p50, p99 = percentile(over, 50) * 1000, percentile(over, 99) * 1000
        if p50 > targets.link_over_zoom_ms[0]:
            missed.append(f"link p50 {p50:.1f} ms over Zoom > {targets.link_over_zoom_ms[0]:g} ms")
        if p99 > targets.link_over_zoom_ms[1]:
            missed.append(f"link p99 {p99:.1f} ms over Zoom > {targets.link_over_zoom_ms[1]:g} ms")
    if targets.post_over_trivial_ms is not None:
        posts = [o.latency for o in step.requests("book") if step.answered_ok(o)]
        healthz = [o.latency for o in step.requests("healthz")]
        if posts and healthz:
            over_ms = (percentile(posts, 99) - percentile(healthz, 99)) * 1000
            if over_ms > targets.post_over_trivial_ms:
                missed.append(
                    f"POST p99 {over_ms:+.1f} ms over the trivial view's > "
                    f"+{targets.post_over_trivial_ms:g} ms"
                )
    if targets.drain_rate is not None:
        if step.zoom.get("limited", 0):
            missed.append(f"{step.zoom['limited']} × 429 from Zoom (the pacing should meet none)")
        if step.drain_rate() < 0.9 * targets.drain_rate:
            missed.append(
                f"the queue drained at {step.drain_rate():.1f} links/s, below 90 % of the paced "
                f"{targets.drain_rate:g}/s"
            )
    if targets.memory_mib is not None:
        for name, mib in step.peak_mib.items():
            if mib > targets.memory_mib:
                missed.append(f"{name} peaked at {mib:.0f} MiB > {targets.memory_mib:g} MiB")
    return missed
