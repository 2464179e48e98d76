"""The five messages Relais starts about a person's appointment, written in their language when
delivered (bot/appointments/lifecycle.py queues them), and what their buttons do.

- the confirmation, each reminder and the change show the date written out, the place, the
  purpose and the practical note, with three buttons: "Je viendrai", "Je ne peux pas venir",
  "Changer la date"; the confirmation and the change bring the calendar file (.ics), made when
  sent from the appointment as it is then;
- the cancellation says so kindly, with a button to ask for another appointment;
- a missed appointment gets a kind word ("it happens") and a button to ask for a new date.

The buttons are not "once": a person's plans change, and a mis-tap must be mended. "Je
viendrai" then "Je ne peux pas venir" (or the other way) is recorded and the volunteer is told
at once; the same answer twice, or "Changer la date" after "Je ne peux pas venir" (both ask for
another date), is only acknowledged, so the volunteer is not told twice. A press is about the
appointment as it is now: on a message of an older version, a cancelled, ended or started
appointment it says so, and records nothing.

Before delivery each message is checked again (`still_due`): a confirmation, reminder or change
goes only while the appointment is planned, at the same version and not started (a message
held by quiet hours or a downtime is dropped rather than sent late), and a reminder not to
someone who said they cannot come; a "we missed you" only while it is still marked missed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.appointments import requests, wording
from bot.appointments.domain import Appointment
from bot.core.domain import Button, Message, Person
from bot.core.i18n import N_, Catalogs, Translator
from bot.desk.buttons import build
from bot.desk.domain import profile_name
from bot.desk.notices import notify
from bot.reach.centre_message import recipients_for
from bot.reach.pressed import Answered, Pressing
from bot.reach.started import Started
from bot.storage.database import Tx

# the choices of the buttons (bot.reach.started: at most 8 of a-z0-9_)
COME, CANNOT, CHANGE = "come", "cannot", "change"
AGAIN = "again"  # a missed or cancelled appointment: ask for another one
ANSWER_CHOICES = (COME, CANNOT, CHANGE)
ANSWERS = {COME: "coming", CANNOT: "cannot", CHANGE: "change"}
# the answers that ask the centre for another date
OTHER_DATE = ("cannot", "change")
# the document the confirmation and the change bring: the calendar file of the appointment
DOCUMENT = "appointment_ics"

T_CONFIRMED = N_("📅 Votre rendez-vous est pris.")
T_REMINDER = N_("⏰ Rappel : vous avez un rendez-vous.")
T_CHANGED = N_("📅 Votre rendez-vous a changé. Voici les nouvelles informations.")
T_WHEN = N_("Quand : {when}")
T_BEFORE = N_("(Avant : {when})")
T_WHERE = N_("Où : {place}")
T_WHAT = N_("Pour : {purpose}")
T_NOTE = N_("À savoir : {note}")
T_FILE = N_("Avec le fichier ci-dessous, vous pouvez mettre ce rendez-vous dans votre téléphone.")
T_QUESTION = N_("Vous venez ?")
B_COME = N_("✅ Je viendrai")
# by phone, nobody "comes": the person says they will be there to answer the call
T_QUESTION_PHONE = N_("Vous serez là pour l'appel ?")
B_COME_PHONE = N_("✅ Je serai là")
B_CANNOT_PHONE = N_("❌ Je ne serai pas disponible")
B_CANNOT = N_("❌ Je ne peux pas venir")
B_CHANGE = N_("📅 Changer la date")

T_CANCELLED = N_(
    "Votre rendez-vous du {when} est annulé. Nous sommes désolés.\n"
    "Vous pouvez demander un autre rendez-vous avec le bouton ci-dessous."
)
B_ASK_OTHER = N_("📅 Demander un autre rendez-vous")
T_MISSED = N_(
    "Nous ne vous avons pas vu au rendez-vous du {when}. Ce n'est pas grave, cela arrive.\n"
    "Voulez-vous une nouvelle date ?"
)
T_MISSED_PHONE = N_(
    "Nous n'avons pas pu vous joindre pour l'appel du {when}. Ce n'est pas grave, cela arrive.\n"
    "Voulez-vous une nouvelle date ?"
)
B_NEW_DATE = N_("📅 Demander une nouvelle date")

# the answers to a press
T_COMING = N_("Merci ! C'est noté : vous venez le {when}.")
T_COMING_PHONE = N_("Merci ! C'est noté : le bénévole vous appellera le {when}.")
T_ALREADY_COMING = N_("C'est déjà noté : vous venez. Merci !")
T_OTHER_DATE = N_("C'est noté. Le centre va vous proposer une autre date, ici dans Relais.")
T_ALREADY_OTHER_DATE = N_(
    "C'est déjà noté. Le centre va vous proposer une autre date, ici dans Relais."
)
T_OUT_OF_DATE = N_("Ce rendez-vous a changé. Regardez le dernier message du centre.")
T_WAS_CANCELLED = N_(
    "Ce rendez-vous est annulé. Pour un autre rendez-vous, choisissez « Prendre rendez-vous »"
    " dans le menu."
)
T_PAST = N_(
    "Ce rendez-vous est passé. Pour un autre rendez-vous, choisissez « Prendre rendez-vous »"
    " dans le menu."
)

# for the volunteer (notices, queued in their language)
T_CANNOT_NOTICE = N_("{name} ({centre}) ne peut pas venir au rendez-vous du {when}.")
T_CHANGE_NOTICE = N_("{name} ({centre}) demande une autre date pour le rendez-vous du {when}.")
T_COMING_NOTICE = N_("{name} ({centre}) viendra finalement au rendez-vous du {when}.")
B_PROPOSE = N_("📅 Proposer une autre date")
B_PAGE = N_("Voir la fiche")
NOTICES = {"cannot": T_CANNOT_NOTICE, "change": T_CHANGE_NOTICE, "coming": T_COMING_NOTICE}


# -- what the messages say ----------------------------------------------------------------------


def _moment(params: dict[str, Any], key: str = "starts_at") -> datetime | None:
    value = params.get(key)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def when_of(t: Translator, params: dict[str, Any]) -> str:
    """When the appointment a message is about starts, in words."""
    moment = _moment(params)
    return wording.when(t, moment) if moment is not None else ""


def details(t: Translator, params: dict[str, Any]) -> list[str]:
    """The lines that say when, where and what for, and the practical note."""
    return [t.gettext(T_WHEN, when=when_of(t, params)), *particulars(t, params)]


def particulars(t: Translator, params: dict[str, Any]) -> list[str]:
    """Where and what for, and the practical note (also "Mes rendez-vous")."""
    lines = []
    where = wording.place(
        t,
        str(params.get("place", "")),
        str(params.get("centre", "")),
        str(params.get("address", "")),
    )
    if where:
        lines.append(t.gettext(T_WHERE, place=where))
    lines.append(t.gettext(T_WHAT, purpose=wording.purpose(t, str(params.get("purpose", "")))))
    note = str(params.get("note") or "").strip()
    if note:
        lines.append(t.gettext(T_NOTE, note=note))
    return lines


def _by_phone(started: Started) -> bool:
    return started.params.get("place") == "phone"


def answer_buttons(t: Translator, started: Started) -> tuple[tuple[Button, ...], ...]:
    """The three answers under a confirmation, change or reminder."""
    phone = _by_phone(started)
    return (
        (Button(t.gettext(B_COME_PHONE if phone else B_COME), started.button_data(COME)),),
        (Button(t.gettext(B_CANNOT_PHONE if phone else B_CANNOT), started.button_data(CANNOT)),),
        (Button(t.gettext(B_CHANGE), started.button_data(CHANGE)),),
    )


def _with_answers(t: Translator, started: Started, lines: list[str], calendar: bool) -> Message:
    """The details, the calendar file when `calendar`, and the three answers."""
    if calendar:
        lines.append(t.gettext(T_FILE))
    lines.append(t.gettext(T_QUESTION_PHONE if _by_phone(started) else T_QUESTION))
    number = started.params.get("appointment")
    document = f"{DOCUMENT}:{number}" if calendar and isinstance(number, int) else ""
    return Message("\n".join(lines), answer_buttons(t, started), rtl=t.rtl, document=document)


def render_confirmed(t: Translator, started: Started) -> Message:
    """The confirmation: the details, the calendar file and the answers."""
    lines = [t.gettext(T_CONFIRMED), *details(t, started.params)]
    return _with_answers(t, started, lines, calendar=True)


def render_reminder(t: Translator, started: Started) -> Message:
    """A reminder: the details again and the answers."""
    lines = [t.gettext(T_REMINDER), *details(t, started.params)]
    return _with_answers(t, started, lines, calendar=False)


def render_changed(t: Translator, started: Started) -> Message:
    """The new details (and the date it was, when it moved), the new calendar file and the
    answers, asked again."""
    lines = [t.gettext(T_CHANGED), *details(t, started.params)]
    before, now = _moment(started.params, "before"), _moment(started.params)
    if before is not None and before != now:
        lines.insert(2, t.gettext(T_BEFORE, when=wording.when(t, before)))
    return _with_answers(t, started, lines, calendar=True)


def render_cancelled(t: Translator, started: Started) -> Message:
    """The centre cancelled it: said kindly, with a button to ask for another one."""
    button = Button(t.gettext(B_ASK_OTHER), started.button_data(AGAIN))
    text = t.gettext(T_CANCELLED, when=when_of(t, started.params))
    return Message(text, ((button,),), rtl=t.rtl)


def render_missed(t: Translator, started: Started) -> Message:
    """A missed appointment: a kind word and a button to ask for a new date."""
    button = Button(t.gettext(B_NEW_DATE), started.button_data(AGAIN))
    missed = T_MISSED_PHONE if _by_phone(started) else T_MISSED
    return Message(t.gettext(missed, when=when_of(t, started.params)), ((button,),), rtl=t.rtl)


# -- still worth delivering? --------------------------------------------------------------------


async def _appointment_of(tx: Tx, started: Started) -> Appointment | None:
    """The appointment a message is about, if it is still its recipient's."""
    number = started.params.get("appointment")
    found = await tx.appointment(number) if isinstance(number, int) else None
    if found is None or found.person_id != started.person.id:
        return None
    return found


def _as_shown(found: Appointment | None, started: Started, now: datetime) -> bool:
    """The appointment is still as the message shows it: planned, at the version it shows,
    and not started."""
    return found is not None and found.version == started.params.get("version") and found.ahead(now)


async def still_ahead(tx: Tx, started: Started, now: datetime) -> bool:
    """A confirmation or a change goes only while what it says is true."""
    return _as_shown(await _appointment_of(tx, started), started, now)


async def reminder_due(tx: Tx, started: Started, now: datetime) -> bool:
    """A reminder goes as a confirmation does, and not to someone who said they cannot come
    or asked for another date: "you have an appointment, will you come?" would only confuse
    them while the centre finds another date. Of two reminders due at once (after a downtime),
    only the later goes."""
    found = await _appointment_of(tx, started)
    if found is None or not _as_shown(found, started, now) or found.answer in OTHER_DATE:
        return False
    # back after a downtime with two reminders due: the day-before one is old news
    return not await tx.later_reminder_due(started.id, found.id, found.version, now)


async def still_cancelled(tx: Tx, started: Started, now: datetime) -> bool:
    """A cancellation goes while the appointment is cancelled."""
    del now
    found = await _appointment_of(tx, started)
    return found is not None and found.state == "cancelled"


async def still_missed(tx: Tx, started: Started, now: datetime) -> bool:
    """A "we missed you" goes only while the appointment is marked missed (a volunteer may
    have corrected it to attended meanwhile)."""
    del now
    found = await _appointment_of(tx, started)
    return found is not None and found.state == "missed"


# -- the presses ---------------------------------------------------------------------------------


def _refusal(found: Appointment | None, version: object, now: datetime) -> str:
    """Why a press on a message about this appointment can no longer answer it ("" if it can)."""
    if found is None or found.state == "cancelled":
        return T_WAS_CANCELLED
    if found.state != "planned" or now >= found.starts_at:
        return T_PAST
    if found.version != version:
        return T_OUT_OF_DATE
    return ""


async def answer(pressing: Pressing) -> Answered:
    """ "Je viendrai", "Je ne peux pas venir", "Changer la date" on the confirmation, a
    reminder or the change (see the module's docstring for what is recorded and told)."""
    tx, started = pressing.tx, pressing.started
    found = await _appointment_of(tx, started)
    refusal = _refusal(found, started.params.get("version"), pressing.now)
    if refusal or found is None:
        return Answered((pressing.say(refusal or T_WAS_CANCELLED),))
    new = ANSWERS[pressing.choice]
    if new == found.answer or (new in OTHER_DATE and found.answer in OTHER_DATE):
        already = T_ALREADY_COMING if new == "coming" else T_ALREADY_OTHER_DATE
        return Answered((pressing.say(already),))
    if not await tx.answer_appointment(found.id, found.version, new):
        return Answered((pressing.say(T_OUT_OF_DATE),))  # changed in this very moment
    # "Je viendrai" after asking for another date: the volunteer must know before moving it
    if new in OTHER_DATE or found.answer in OTHER_DATE:
        await tell_volunteer(pressing.tx, pressing.catalogs, pressing.admins, found, new)
    if new == "coming":
        coming = T_COMING_PHONE if found.place == "phone" else T_COMING
        return Answered((pressing.say(coming, when=wording.when(pressing.t, found.starts_at)),))
    return Answered((pressing.say(T_OTHER_DATE),))


async def again(pressing: Pressing) -> Answered:
    """ "Demander une nouvelle date" (missed) or "un autre rendez-vous" (cancelled): an
    appointment asked for, as from the menu; once asked, asking again says it is on its way."""
    tx, person = pressing.tx, pressing.started.person
    assert person.id is not None
    profile = await tx.profile_of(person.id)
    asked = await requests.ask(
        tx, pressing.catalogs, pressing.admins, person, profile, pressing.now
    )
    return Answered((pressing.say(await requests.told(tx, pressing.admins, person, asked)),))


# -- the volunteer ------------------------------------------------------------------------------


async def tell_volunteer(
    tx: Tx, catalogs: Catalogs, admins: tuple[str, ...], appointment: Appointment, answer: str
) -> list[Person]:
    """Tell the volunteer of the appointment (else the centre's team, else the admins) what
    the person answered, with one tap to propose a new date and one to the person's page;
    who was told."""
    person = await tx.person_by_id(appointment.person_id)
    if person is None or person.id is None:
        return []
    told = await recipients_for(tx, admins, appointment.volunteer_id, person)
    profile = await tx.profile_of(person.id)
    names = await tx.centre_names()
    centre = names.get(person.centre or appointment.centre, appointment.centre)
    page = (B_PAGE, build("p", person.id))
    # "comes after all" needs no new date: the page is enough
    rows = (page,) if answer == "coming" else ((B_PROPOSE, build("am", appointment.id)), page)
    for member in told:
        t = catalogs.get(member.locale)
        await notify(
            tx,
            member,
            NOTICES[answer],
            (rows,),
            subject_id=person.id,
            name=profile_name(profile, person.id, t),
            centre=centre,
            when=wording.when(t, appointment.starts_at),
        )
    return told
