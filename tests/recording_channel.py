"""A channel that records the calls it is asked to make: the fake at the edge of the runtime."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.channels.protocol import Capabilities, PlannedCall, Received, Target
from bot.core.domain import EventKind, Inbound


class RecordingChannel:
    """Lines in ({"sender", "text"}), calls recorded out; `after(n, hook)` runs `hook` once the
    n-th call is made (e.g. a person writes while a long queue drains)."""

    name = "recording"
    capabilities = Capabilities()

    def __init__(
        self,
        calls: list[PlannedCall] | None = None,
        delay: float = 0.0,
        hold: asyncio.Event | None = None,
    ) -> None:
        self.calls = [] if calls is None else calls
        self.delay = delay  # seconds a call takes, as a request over the network would
        # calls wait for it (e.g. another sender's first call): both are at work together
        # whatever the machine's load
        self.hold = hold
        self._hooks: dict[int, Callable[[], Any]] = {}

    def after(self, calls: int, hook: Callable[[], Any]) -> None:
        """Run `hook()` (a coroutine is started as a task) right after the `calls`-th call."""
        self._hooks[calls] = hook

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """A text, or a command when it starts with a slash."""
        text = str(payload["text"])
        if text.startswith("/"):
            event = Inbound(EventKind.COMMAND, command=text[1:])
        else:
            event = Inbound(EventKind.TEXT, text=text)
        return Received(str(payload["sender"]), str(payload["sender"]), event)

    def target(self, payload: dict[str, Any]) -> Target:
        """The sender's chat."""
        return Target(str(payload.get("sender")))

    def is_status(self, payload: dict[str, Any]) -> bool:
        """No status changes here."""
        return False

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Record the call, letting other tasks run first as a real request would."""
        await asyncio.sleep(self.delay)
        if self.hold is not None:
            await self.hold.wait()
        self.calls.append(planned)
        hook = self._hooks.pop(len(self.calls), None)
        if hook is not None:
            started = hook()
            if asyncio.iscoroutine(started):
                asyncio.get_running_loop().create_task(started)
        return None
