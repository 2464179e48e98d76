"""Documents asked for again too soon: the same document for the same person is made once.

Making a PDF costs a tenth of a second or more; 200 forged "Recevoir mon CV" presses must not
make 200 of them. A document is the same when its kind and every saved answer it is made from
are the same: a CV corrected in between is a new document. Only a digest of the answers is kept,
in memory, for `window` seconds of a monotonic clock.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

MonotonicClock = Callable[[], float]


class RepeatedDocument(Exception):
    """The same document was made for this person less than a window ago: not made again."""


def fingerprint(kind: str, answers: Mapping[str, Any]) -> str:
    """A digest of a document kind and the answers it is made from."""
    text = json.dumps(
        [kind, dict(answers)],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RecentDocuments:
    """Who was given which document lately, by (channel, person, kind) and answer digest."""

    def __init__(self, window: float = 60.0, clock: MonotonicClock = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._made: dict[tuple[str, str, str], tuple[str, float]] = {}

    def claim(self, channel: str, person: str, kind: str, answers: Mapping[str, Any]) -> None:
        """Record that this document is being made now; RepeatedDocument if it was already
        made from the same answers less than `window` seconds ago."""
        now = self.clock()
        self._forget_old(now)
        key = (channel, person, kind)
        digest = fingerprint(kind, answers)
        earlier = self._made.get(key)
        if earlier is not None and earlier[0] == digest and now - earlier[1] < self.window:
            raise RepeatedDocument(kind)
        self._made[key] = (digest, now)

    def release(self, channel: str, person: str, kind: str) -> None:
        """The document made could not be delivered: the next request makes it again."""
        self._made.pop((channel, person, kind), None)

    def _forget_old(self, now: float) -> None:
        old = [key for key, (_, at) in self._made.items() if now - at >= self.window]
        for key in old:
            del self._made[key]

    def __len__(self) -> int:
        return len(self._made)
