"""Per-key token buckets, in process memory.

Each key gets a bucket of `count` tokens refilled at `count/period` per second, so a key may burst
up to its whole allowance and is then held to the average rate. In-memory means the limit is per
server process: with `--workers N` a key can reach N times its rate (documented in docs/web.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from web.keys import Rate


class TokenBuckets:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)

    def take(self, key: str, rate: Rate) -> float:
        """Spend one token. Returns 0 when allowed, else the seconds until a token is available."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(rate.count), now))
            tokens = min(float(rate.count), tokens + (now - last) * rate.per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate.per_second


def retry_after_seconds(wait: float) -> int:
    """Retry-After is whole seconds; never 0 for a refused request."""
    return max(1, math.ceil(wait))
