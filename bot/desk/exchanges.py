"""Messages between a volunteer and a person, through Relais.

From a person's page ("✍️ Écrire", or `/write <n°>`) a volunteer of their centre writes a short
message (the desk flow `desk_message`). The person reads it as a message from their centre,
never with the volunteer's name, and answers with a button (bot/reach/centre_message.py); the
answer comes back to that volunteer as a notice with buttons to answer again ("w") or end the
conversation ("we"). The messages are kept with the person's follow-up ("wm" shows them),
erased with the person and in their own data export. Writing to someone whose help request
waits takes that request.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.notices import notify
from bot.desk.router import Need, Router, person
from bot.reach import centre_message

router = Router("exchanges")

FLOW = "desk_message"
THREAD_SIZE = 10  # the latest messages shown on the volunteer's screen

T_WRITE_USAGE = N_("Écrivez /write suivi du numéro de la personne, par exemple : /write 12")
T_UNREACHABLE = N_(
    "{name} ne reçoit plus de messages de Relais (la personne a écrit /stop ou a bloqué "
    "Relais). Vous ne pouvez pas lui écrire ici."
)
T_SENT = N_("C'est envoyé à {name}, comme un message de {centre}. Sa réponse arrivera ici.")
T_SENT_LATER = N_(
    "C'est le soir ou un jour de repos : Relais lui donnera votre message le {date} à {time}."
)
T_ENDED = N_("C'est noté : la conversation avec {name} est terminée. La personne est prévenue.")
T_ALREADY_ENDED = N_("Cette conversation est déjà terminée.")
T_ENDED_NOTICE = N_(
    "{centre} a terminé la conversation. Pour parler à nouveau au centre, choisissez "
    "« Parler à un bénévole » dans le menu."
)
T_THREAD_HEAD = N_("Messages avec {name} :")
T_THREAD_EMPTY = N_("Pas encore de message avec {name}.")
T_FROM_CENTRE = N_("{when} – {centre} : « {text} »")
T_FROM_PERSON = N_("{when} – {name} : « {text} »")
B_WRITE = N_("✍️ Écrire")
B_PAGE = N_("↩ Fiche")


@router.command("write", Need.VOLUNTEER)
async def write_command(ctx: Ctx, call: Call) -> None:
    """`/write 12`: write to person n° 12."""
    await ctx.press_for_number(call, "w", T_WRITE_USAGE)


@router.button("w", Need.VOLUNTEER, about=person)
async def write(ctx: Ctx, call: Call) -> None:
    """ "✍️ Écrire" (a page, a notice's "Répondre"): the message is asked (desk flow)."""
    if call.who.person.stopped or call.who.person.blocked:
        ctx.say(T_UNREACHABLE, name=call.who.name)
        return
    ctx.open_flow(FLOW, call.who)


@router.flow(FLOW, Need.VOLUNTEER)
async def written(ctx: Ctx, call: Call) -> None:
    """The message is written: kept, sent to the person as from the centre (quiet hours hold
    it), audited; a help request of theirs still waiting is this volunteer's now."""
    who, me, text = call.who, ctx.access.person_id, str(call.answers.get("message", ""))
    if who.person.stopped or who.person.blocked:
        ctx.say(T_UNREACHABLE, name=who.name)
        return
    centre = who.person.centre
    assert centre is not None  # someone this volunteer sees is at one of their centres
    exchange = await ctx.tx.open_exchange(who.id, centre, me)
    await ctx.tx.add_exchange_message(exchange, False, me, text)
    request = await ctx.tx.waiting_help_request(who.id)
    if request is not None:
        await ctx.tx.take_help_request(request.id, me)
    centre_name = ctx.centre_name(centre)
    ask_phone = not who.profile.get("phone")
    await centre_message.send(ctx.tx, exchange, who.person, centre_name, text, ask_phone, ctx.now)
    await ctx.tx.audit(me, who.id, "message")
    t = ctx.t
    lines = [t.gettext(T_SENT, name=who.name, centre=centre_name)]
    due = ctx.config.quiet.next_allowed(ctx.now, ctx.world.tz)
    if due > ctx.now:
        local = due.astimezone(ctx.world.tz)
        lines.append(t.gettext(T_SENT_LATER, date=t.date(local.date()), time=t.time(local.time())))
    rows = ((Button(t.gettext(B_PAGE), build("p", who.id)),),)
    ctx.show(Message("\n".join(lines), rows, rtl=t.rtl))


async def _exchange_person(ctx: Ctx, exchange_id: int) -> int | None:
    """Whom an exchange is with (the router then checks this volunteer sees them)."""
    exchange = await ctx.tx.exchange(exchange_id)
    return exchange.person_id if exchange is not None else None


@router.button("we", Need.VOLUNTEER, about=_exchange_person)
async def end(ctx: Ctx, call: Call) -> None:
    """ "Terminer": the conversation ends; the person is told, and its buttons say so."""
    who = call.who
    if not await ctx.tx.end_exchange(call.id(0), "volunteer"):
        ctx.say(T_ALREADY_ENDED)
        return
    await notify(ctx.tx, who.person, T_ENDED_NOTICE, centre=ctx.centre_name(who.person.centre))
    ctx.say(T_ENDED, name=who.name)


@router.button("wm", Need.VOLUNTEER, about=person)
async def thread(ctx: Ctx, call: Call) -> None:
    """The latest messages between the person and their centre (a read, audited)."""
    who, t = call.who, ctx.t
    await ctx.tx.audit(ctx.access.person_id, who.id, "profile")
    messages = await ctx.tx.exchange_messages_of(who.id, limit=THREAD_SIZE)
    if not messages:
        lines = [t.gettext(T_THREAD_EMPTY, name=who.name)]
    else:
        lines = [t.gettext(T_THREAD_HEAD, name=who.name)]
    for message in messages:
        when = _when(t, message.at, ctx)
        if message.from_person:
            lines.append(t.gettext(T_FROM_PERSON, when=when, name=who.name, text=message.text))
        else:
            centre = ctx.centre_name(message.centre)
            lines.append(t.gettext(T_FROM_CENTRE, when=when, centre=centre, text=message.text))
    rows = (
        (
            Button(t.gettext(B_WRITE), build("w", who.id)),
            Button(t.gettext(B_PAGE), build("p", who.id)),
        ),
    )
    ctx.show(Message("\n".join(lines), rows, rtl=t.rtl))


def _when(t: Translator, moment: datetime, ctx: Ctx) -> str:
    local = moment.astimezone(ctx.world.tz)
    return f"{t.date(local.date())} {t.time(local.time())}"
