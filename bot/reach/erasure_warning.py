"""The erasure warning: some time before someone silent is erased by the retention rule,
Relais tells them, with a button "Je suis toujours là" that keeps their data.

The press itself is the activity that keeps them: loading the person for the event moves
their last message to now, so the retention deadline moves too. No answer: erased on the day,
as before. People who stopped Relais or blocked the bot are not warned.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.reach.pressed import Answered, Pressing
from bot.reach.queue import queue
from bot.reach.started import NOTICE, NewStarted, Started
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx

if TYPE_CHECKING:
    from bot.service import Relais

KIND = "erasure_warning"
WARN_DAYS = 30  # how long before the erasure the warning goes
CHOICE = "keep"

T_WARNING = N_(
    "Bonjour. Vous n'avez pas écrit à Relais depuis longtemps. Comme promis, vos informations"
    " seront effacées le {date}. Pour les garder, appuyez sur « Je suis toujours là »."
)
B_STILL_HERE = N_("Je suis toujours là")
T_KEPT = N_("Merci ! Vos informations sont gardées.")
T_ALREADY = N_("C'est déjà fait : vos informations sont gardées.")


def lead_days(retention_days: int) -> int:
    """Days between the warning and the erasure (half the retention when it is short, so that
    nobody is warned the day they write)."""
    return min(WARN_DAYS, retention_days // 2)


async def warn(
    tx: Tx, now: datetime, retention_days: int, quiet: QuietHours, zone: ZoneInfo
) -> int:
    """Queue one warning for everyone who will be erased within the lead time (once per
    person and deadline; delivered outside quiet hours); how many were queued now."""
    retention = timedelta(days=retention_days)
    soon = now - retention + timedelta(days=lead_days(retention_days))
    queued = 0
    # those already warned since their last message are left out: their warning's dedupe key
    # would refuse it anyway, and thousands are in the window of a large deployment
    for silent in await tx.silent_since(soon, now - retention, unless_sent=KIND):
        deadline = silent.last_seen + retention
        day = deadline.astimezone(zone).date()
        new = NewStarted(
            silent.person_id,
            KIND,
            {"deadline": day.isoformat(), "last_seen": silent.last_seen.isoformat()},
            not_before=quiet.next_allowed(now, zone),
            priority=NOTICE,
            dedupe_key=f"{KIND}:{silent.person_id}:{day.isoformat()}",
            expires_at=deadline,
        )
        if await queue(tx, new) is not None:
            queued += 1
    return queued


async def sweep(relais: Relais, now: datetime) -> int:
    """The scheduler's entry: warn who is due for a warning now."""
    settings = relais.settings
    async with relais.storage.transaction() as tx:
        return await warn(
            tx, now, settings.retention_days, settings.quiet_hours, relais.catalogs.tz
        )


async def still_due(tx: Tx, started: Started, now: datetime) -> bool:
    """Whether the person is still silent since the warning was queued (someone who wrote in
    the evening is not told the next morning that they have been silent for long)."""
    del now  # the last message is what counts, whenever the warning goes
    assert started.person.id is not None
    queued_for = started.params.get("last_seen")
    last = (await tx.person_dates(started.person.id)).last_seen_at
    return queued_for is None or last is None or last <= datetime.fromisoformat(queued_for)


def render(t: Translator, started: Started) -> Message:
    """The warning in the person's language, with its button."""
    day = date.fromisoformat(str(started.params["deadline"]))
    button = Button(t.gettext(B_STILL_HERE), started.button_data(CHOICE))
    return Message(t.gettext(T_WARNING, date=t.date(day)), ((button,),), rtl=t.rtl)


async def press(pressing: Pressing) -> Answered:
    """ "Je suis toujours là": the data stays (the press already counted as activity)."""
    return Answered((pressing.say(T_KEPT),))
