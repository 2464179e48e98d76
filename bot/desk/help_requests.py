"""Help requests: a person asked to talk to a volunteer; the first volunteer who takes it gets
the phone number (when the person gave one) and a button to write to them here, in Relais; the
person is told a volunteer will write. Taking a request is not the first contact: that is
recorded when the person answers a volunteer's message, or with "Premier contact fait".
`/requests` lists those still waiting at one's centres, oldest first, each with a button to take
it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import answers
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.domain import HelpRequest
from bot.desk.notices import notify
from bot.desk.router import Need, Router
from bot.storage.interfaces import Reading
from bot.storage.long_reads import LongRead

router = Router("help_requests")

T_HELP_TAKEN = N_("Merci ! Vous vous occupez de {name}.")
T_HELP_ALREADY = N_("Un autre bénévole s'occupe déjà de cette demande.")
T_HELP_TAKEN_NOTICE = N_("Un bénévole a vu votre demande. Il va vous écrire ici, dans Relais.")
T_APPOINTMENT_TAKEN_NOTICE = N_(
    "Un bénévole a vu votre demande de rendez-vous. Il va vous proposer une date ici, dans Relais."
)
T_BOOK_NOW = N_("Fixez le rendez-vous ici : Relais lui enverra la date, puis des rappels.")
B_BOOK = N_("📅 Fixer un rendez-vous")
T_PHONE = N_("Téléphone : {phone}")
T_WRITE_NOW = N_("Écrivez-lui ici : la personne recevra votre message comme venant du centre.")
B_OPEN = N_("Voir la fiche")
T_WAITING_HEAD = N_("Demandes en attente, de la plus ancienne à la plus récente :")
T_WAITING_LINE = N_("{name} ({centre}), depuis le {date}")
# a request for an appointment (bot/appointments/requests.py) says so
T_WAITING_APPOINTMENT_LINE = N_("{name} ({centre}), rendez-vous demandé le {date}")
T_WAITING_HINT = N_("Appuyez sur un nom pour vous en occuper.")
T_NONE_WAITING = N_("Aucune demande en attente. Merci !")
B_TAKE_ONE = N_("🙋 {name}")
WAITING_LISTED = 8


@dataclass(frozen=True)
class Waiting(LongRead[list[HelpRequest]]):
    """The requests no volunteer took yet at these centres, oldest first: a long read when
    a centre has many."""

    centres: tuple[str, ...]
    limit: int

    async def run(self, reads: Reading) -> list[HelpRequest]:
        return await reads.waiting_help_requests(self.centres, self.limit)


@router.command(
    "requests",
    Need.VOLUNTEER,
    menu=N_("Les demandes en attente"),
    order=15,
    button=N_("🙋 Demandes en attente"),
)
async def waiting(ctx: Ctx, call: Call) -> None:
    """`/requests`: the requests no one took yet at one's centres, oldest first."""
    t = ctx.t
    found = await ctx.long_read(Waiting(ctx.access.centres(ctx.active), WAITING_LISTED))
    lines, rows = [t.gettext(T_WAITING_HEAD)], []
    for request in found:
        # read beside the writer a moment ago: still waiting now, and still seen?
        still = await ctx.tx.waiting_help_request(request.person_id)
        waits = still is not None and still.id == request.id
        who = await ctx.subject(request.person_id) if waits else None
        if who is None:
            continue  # taken or erased since; or someone who since joined a team
        when = t.date(request.created_at.astimezone(t.tz).date())
        centre = ctx.centre_name(request.centre)
        line = T_WAITING_APPOINTMENT_LINE if request.about == "appointment" else T_WAITING_LINE
        lines.append(t.gettext(line, name=who.name, centre=centre, date=when))
        rows.append((Button(t.gettext(B_TAKE_ONE, name=who.name)[:60], build("h", request.id)),))
    if not rows:
        ctx.say(T_NONE_WAITING)
        return
    lines.append(t.gettext(T_WAITING_HINT))
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


B_WRITE = N_("✍️ Écrire")


async def _requester(ctx: Ctx, request_id: int) -> int | None:
    """Who asked, if the request is at one of this volunteer's centres."""
    request = await ctx.tx.help_request(request_id)
    if request is None or request.centre not in ctx.access.centres(ctx.active):
        return None
    return request.person_id


@router.button("h", Need.VOLUNTEER, about=_requester)
async def take(ctx: Ctx, call: Call) -> None:
    """ "Je m'en occupe": the request is this volunteer's, unless someone took it first."""
    who, t = call.who, ctx.t
    request = await ctx.tx.help_request(call.id(0))
    if not await ctx.tx.take_help_request(call.id(0), ctx.access.person_id):
        ctx.say(T_HELP_ALREADY)
        return
    # asked for an appointment: the person waits for a date, the volunteer is offered to book
    appointment = request is not None and request.about == "appointment"
    notice = T_APPOINTMENT_TAKEN_NOTICE if appointment else T_HELP_TAKEN_NOTICE
    await notify(ctx.tx, who.person, notice)
    lines = [t.gettext(T_HELP_TAKEN, name=who.name)]
    if who.profile.get("phone"):
        lines.append(t.gettext(T_PHONE, phone=answers.format_phone(who.profile["phone"])))
        await ctx.tx.audit(ctx.access.person_id, who.id, "phone")
    lines.append(t.gettext(T_BOOK_NOW if appointment else T_WRITE_NOW))
    rows: list[tuple[Button, ...]] = []
    if appointment:
        rows.append((Button(t.gettext(B_BOOK), build("ab", who.id)),))
    rows.append(
        (
            Button(t.gettext(B_WRITE), build("w", who.id)),
            Button(t.gettext(B_OPEN), build("p", who.id)),
        )
    )
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))
