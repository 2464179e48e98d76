"""A beneficiary asks for an appointment: from the menu ("Prendre rendez-vous",
flows/ask_appointment.toml), from the end of their detailed bilan, or with the button of a
missed or cancelled appointment's message.

It is a help request about an appointment (help_requests.about): one at a time, as for a request
to talk to a volunteer (a request to talk still waiting becomes one for an appointment). The
volunteers of the person's centre are told at once (the admins who use Relais when the centre
has nobody yet), with one tap to book the appointment ("ab" <person>, the desk's booking flow)
and one to take the request, as for any help request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.appointments.domain import Appointment
from bot.core.domain import Person
from bot.core.i18n import N_, Catalogs
from bot.desk.buttons import build
from bot.desk.domain import profile_name
from bot.desk.notices import notify
from bot.reach.centre_message import recipients_for
from bot.storage.database import Tx

T_ASK_NOTICE = N_("{name} ({centre}) voudrait un rendez-vous avec un bénévole.")
B_BOOK = N_("📅 Fixer un rendez-vous")
B_TAKE = N_("🙋 Je m'en occupe")

# what the person is told when they asked with a button (the menu's flow says it itself)
T_ASKED = N_(
    "C'est envoyé. Un bénévole de votre centre va vous proposer une date, ici dans Relais."
)
T_ASKED_WAITING = N_(
    "Pour l'instant, aucun bénévole n'est inscrit pour votre centre. Votre demande est gardée."
    " Quand un bénévole arrivera, il vous proposera une date ici, dans Relais."
)
T_ALREADY_ASKED = N_(
    "Votre demande est déjà envoyée. Un bénévole de votre centre va vous proposer une date,"
    " ici dans Relais."
)


async def ask(
    tx: Tx,
    catalogs: Catalogs,
    admins: tuple[str, ...],
    person: Person,
    profile: dict[str, Any],
    now: datetime,
) -> bool:
    """Record the person's request for an appointment and tell their centre's team; False
    when one already waits (nobody is told twice), or the person has no centre or did not
    agree to Relais keeping their answers."""
    del now  # the request is dated by the transaction's clock, the same moment
    if person.id is None or not person.consent or person.centre is None:
        return False
    request = await tx.open_help_request(person.id, person.centre, about="appointment")
    # one waiting at a centre that closed since: this centre takes it
    moved = await tx.move_waiting_help(person.id, person.centre)
    request = request or moved
    if request is None:
        return False
    await tell_team(tx, catalogs, admins, person, profile, request)
    return True


async def tell_team(
    tx: Tx,
    catalogs: Catalogs,
    admins: tuple[str, ...],
    person: Person,
    profile: dict[str, Any],
    request: int,
) -> None:
    """Tell the volunteers of the person's centre (the admins when it has none) that the
    person would like an appointment, with the buttons to book it and to take the request."""
    assert person.id is not None and person.centre is not None
    # the centre's team (the admins when it has none), never the person themself (a volunteer
    # who is also helped is not asked to handle their own case)
    team = await recipients_for(tx, admins, None, person)
    names = await tx.centre_names()
    centre = names.get(person.centre, person.centre)
    row = ((B_BOOK, build("ab", person.id)), (B_TAKE, build("h", request)))
    for member in team:
        t = catalogs.get(member.locale)
        await notify(
            tx,
            member,
            T_ASK_NOTICE,
            (row,),
            subject_id=person.id,
            name=profile_name(profile, person.id, t),
            centre=centre,
        )


async def answered(tx: Tx, appointment: Appointment) -> None:
    """A booked appointment answers the person's request for one, if it waits: taken by the
    volunteer who booked it (it leaves "Demandes en attente", and the person may ask again)."""
    waiting = await tx.waiting_help_request(appointment.person_id)
    if waiting is None or waiting.about != "appointment" or appointment.booked_by is None:
        return
    await tx.take_help_request(waiting.id, appointment.booked_by)


async def told(tx: Tx, admins: tuple[str, ...], person: Person, asked: bool) -> str:
    """What a person who asked with a button reads (a msgid): sent, kept until a volunteer
    joins their centre, or already on its way."""
    if not asked:
        return T_ALREADY_ASKED
    team = await tx.team_of(person.centre) if person.centre is not None else []
    if team or await tx.persons_by_external_ids(admins):
        return T_ASKED
    return T_ASKED_WAITING
