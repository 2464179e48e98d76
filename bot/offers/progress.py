"""A broadcast's progress, as the volunteer who sent it sees it: ONE message ("📤 … envoyée à
120 / 480") that is edited as the offer goes, then a final report (delivered, blocked, not
delivered).

A sweep (every PROGRESS_SECONDS) reads each running broadcast's counts from the database
(storage.offer_broadcast.broadcast_counts: offer_sends.delivered_at is stamped when each
message left). Its first run sends the progress message, asking the channel for its message id
(protocol.KEEP_ID, kept as the outbox row's result); later runs edit it when the count changed
and no edit of it is still waiting. An edit is a notice (NOTICE): people's replies go first; it
goes before the broadcast's own messages, which it costs one call every PROGRESS_SECONDS at
most (at BULK, it waited for the end: the sender serves the chats it never served first, and a
broadcast's are all new). A channel that tells no message id (or cannot edit) gets the report only.
When nothing is on its way any more, the report is sent and the broadcast marked finished, in
the same transaction: sent once, also across restarts and with two processes. A crash while
some offers were being sent is counted at the next start (OutboxSender.recover): the report
says how many may have reached their person twice.
"""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import TYPE_CHECKING

from bot.channels.protocol import KEEP_ID
from bot.core.i18n import N_, Translator
from bot.reach.started import NOTICE
from bot.storage.database import Storage, Tx
from bot.storage.offer_broadcast import BroadcastCounts, RunningBroadcast

if TYPE_CHECKING:
    from bot.service import Relais

PROGRESS_SECONDS = 2.0  # how often the progress message may change (Telegram: 1 edit/s a chat)

T_PROGRESS = N_("📤 « {title} » : envoyée à {sent} / {total}")
T_REPORT = N_("✅ Envoi terminé : « {title} »")
# held back by the weekly cap of offer messages a person gets, or by quiet hours
T_LATER = N_(
    "Plus tard : {n} (ces personnes ont déjà reçu leurs offres de la semaine, ou c'est la nuit)."
)
T_DELIVERED = N_("Reçue : {n} sur {total}.")
T_BLOCKED = N_("Ont bloqué Relais ou l'ont arrêté entre-temps : {n}.")
T_UNDELIVERED = N_("Non remises : {n} (offre fermée entre-temps, ou refusée par la messagerie).")
T_IN_FLIGHT = N_(
    "En cours d'envoi quand Relais s'est arrêté : {n} (ces personnes ont pu la recevoir deux fois)."
)

# the text each progress message shows now, per process: unchanged, it is not edited again (a
# restart forgets it, and edits once more at most)
_shown: weakref.WeakKeyDictionary[Storage, dict[int, str]] = weakref.WeakKeyDictionary()


def progress_text(t: Translator, title: str, counts: BroadcastCounts) -> str:
    """ "📤 « Agent d'entretien » : envoyée à 120 / 480", and how many wait for later."""
    text = t.gettext(T_PROGRESS, title=title, sent=counts.delivered, total=counts.total)
    if counts.later:
        text += "\n" + t.gettext(T_LATER, n=counts.later)
    return text


def report_text(t: Translator, title: str, counts: BroadcastCounts) -> str:
    """The final report: delivered, and the blocked and not delivered when there are any."""
    lines = [
        t.gettext(T_REPORT, title=title),
        t.gettext(T_DELIVERED, n=counts.delivered, total=counts.total),
    ]
    if counts.blocked:
        lines.append(t.gettext(T_BLOCKED, n=counts.blocked))
    if counts.undelivered:
        lines.append(t.gettext(T_UNDELIVERED, n=counts.undelivered))
    if counts.in_flight:
        lines.append(t.gettext(T_IN_FLIGHT, n=counts.in_flight))
    return "\n".join(lines)


async def sweep(relais: Relais, now: datetime) -> int:
    """Show the progress of every running broadcast, and report those that ended; how many
    messages were queued."""
    shown = _shown.setdefault(relais.storage, {})
    queued = 0
    async with relais.storage.transaction() as tx:
        for running in await tx.running_broadcasts():
            queued += await _step(relais, tx, running, shown, now)
    return queued


async def _step(
    relais: Relais, tx: Tx, running: RunningBroadcast, shown: dict[int, str], now: datetime
) -> int:
    counts = await tx.broadcast_counts(running.id, now)
    volunteer = (
        None if running.volunteer_id is None else await tx.person_by_id(running.volunteer_id)
    )
    offer = await tx.offer(running.offer_id)
    if volunteer is None or offer is None or volunteer.stopped or volunteer.blocked:
        # nobody to tell (erased, gone): it only ends
        if counts.finished:
            await tx.finish_broadcast(running.id)
            shown.pop(running.id, None)
        return 0
    t = relais.catalogs.get(volunteer.locale or None)
    chat, channel = volunteer.external_id, volunteer.channel
    title = offer.details.title
    text = progress_text(t, title, counts)
    queued = 0
    if running.progress_outbox_id is None:
        if not counts.finished:  # done at once: the report says it all
            payload = {"text": text, "keyboard": [], KEEP_ID: True}
            row = await tx.enqueue(chat, "sendMessage", payload, channel=channel, priority=NOTICE)
            await tx.set_broadcast_progress(running.id, row)
            shown[running.id] = text
            queued += 1
    elif (
        running.progress_message_id is not None
        and shown.get(running.id) != text
        and (
            counts.finished or not await tx.edit_waiting(channel, chat, running.progress_message_id)
        )
    ):
        payload = {"message_id": running.progress_message_id, "text": text, "keyboard": []}
        await tx.enqueue(chat, "editMessageText", payload, channel=channel, priority=NOTICE)
        shown[running.id] = text
        queued += 1
    if counts.finished and await tx.finish_broadcast(running.id):
        report = {"text": report_text(t, title, counts), "keyboard": []}
        await tx.enqueue(chat, "sendMessage", report, channel=channel, priority=NOTICE)
        shown.pop(running.id, None)
        queued += 1
    return queued
