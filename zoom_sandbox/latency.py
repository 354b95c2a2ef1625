"""How long an answer waits: the `latency_ms` and `latency_p99_ms` knobs.

A test knob, not Zoom behaviour: Zoom publishes no answer-time figures. A fixed delay hides what a
slow tail does to a pipeline (calls in flight pile up, retries bunch), so above the median the delay
is log-normal, the usual shape of network service times. The benchmark's lean Zoom
(benchmarks/lean_zoom.py) draws from the same function.
"""

import math
import random

# The standard normal's 99th percentile: a log-normal's p99 is its median times exp(2.326 σ).
_Z99 = 2.3263478740408408


def latency_seconds(median_ms: float, p99_ms: float = 0, rng: random.Random | None = None) -> float:
    """One answer's delay: `median_ms`, or, when `p99_ms` is above it, log-normal with that
    median and that 99th percentile."""
    if median_ms <= 0:
        return 0.0
    if p99_ms <= median_ms:
        return median_ms / 1000
    sigma = math.log(p99_ms / median_ms) / _Z99
    return (rng or random).lognormvariate(math.log(median_ms / 1000), sigma)
