"""What one event needs to know about the world, given to the engine as one immutable value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.domain import Centre


@dataclass(frozen=True)
class World:
    """The moment, the deployment's time zone, the centres open now and the enabled languages,
    read once per event (centres change while running: an admin command, another process)."""

    now: datetime
    tz: ZoneInfo
    centres: tuple[Centre, ...]
    languages: tuple[str, ...]
    # the open centres where nobody yet receives help requests (no volunteer, no admin known);
    # a flow asks it as "person.centre_team" to tell the person honestly that their request waits
    unstaffed: frozenset[str] = frozenset()

    @property
    def today(self) -> date:
        """Today in the deployment's time zone."""
        return self.now.astimezone(self.tz).date()

    def centre(self, centre_id: str | None) -> Centre | None:
        """The open centre with this id (None: none, or closed)."""
        return next((c for c in self.centres if c.id == centre_id), None)

    def has_team(self, centre_id: str | None) -> bool:
        """Whether someone receives the help requests made at this centre now."""
        return centre_id is not None and centre_id not in self.unstaffed

    def centre_name(self, centre_id: str | None, default: str = "") -> str:
        """The name of an open centre, or `default`."""
        found = self.centre(centre_id)
        return found.name if found is not None else default
