"""The calendar file an appointment brings, read back with the `icalendar` library as a phone
reads it: the local time and its zone (TZID and a VTIMEZONE whose own rules give the right
hour on both sides of a daylight-saving change), the same UID for every version with SEQUENCE
as the version, a cancellation as METHOD:CANCEL, the text in the person's language, an alarm.
It is made when sent, only for the person whose appointment it is; `relais chat` writes it in
the person's own folder, and erasing them leaves no byte of it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event, Timezone

from bot.channels.terminal import TerminalChat
from bot.fairness.repeats import RepeatedDocument
from bot.privacy.erasure import documents_folder
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
    OLENA,
    PARIS,
    TUESDAY,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    book,
    change,
    deliver,
    end,
)
from tests.leftovers import database_files, files_under
from tests.test_volunteers import join


def read(data: bytes) -> tuple[Calendar, Event]:
    """The calendar and its one event, parsed back."""
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


async def calendar_of(relais: Relais, user: str, number: int) -> tuple[str, Calendar, Event]:
    document = await relais.document("test", user, f"appointment_ics:{number}")
    assert document is not None
    assert document.mime == "text/calendar"
    return (document.filename, *read(document.data))


async def test_the_file_reads_back_as_the_appointment_in_paris_time(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    name, calendar, event = await calendar_of(relais, "amina", appointment.id)
    assert name == "rendez-vous-2026-12-08.ics"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    start, end_ = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert (start.hour, start.minute) == (14, 30)
    assert start.astimezone(UTC) == datetime(2026, 12, 8, 13, 30, tzinfo=UTC)
    assert end_ - start == timedelta(hours=1)
    assert str(event["UID"]).startswith(f"appointment-{appointment.id}-")
    assert str(event["UID"]).endswith("@relais")
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Rendez-vous : Atelier CV"
    assert str(event["LOCATION"]) == "Paris 11e, 12 rue des Lilas, 75011 Paris"
    assert str(event["DESCRIPTION"]) == (
        "Rendez-vous avec Paris 11e.\nPour : Atelier CV\n"
        "À savoir : Apportez votre pièce d'identité."
    )
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"
    # a forged argument makes nothing
    assert await relais.document("test", "amina", f"appointment_ics:{appointment.id}:x") is None


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # the night the clocks go forward (28 March 2027, 02:00 → 03:00) and the day after
        (datetime(2027, 3, 28, 10, 0, tzinfo=PARIS), datetime(2027, 3, 28, 8, 0, tzinfo=UTC)),
        (datetime(2027, 3, 26, 10, 0, tzinfo=PARIS), datetime(2027, 3, 26, 9, 0, tzinfo=UTC)),
        # the night they go back (31 October 2027, 03:00 → 02:00)
        (datetime(2027, 10, 30, 17, 0, tzinfo=PARIS), datetime(2027, 10, 30, 15, 0, tzinfo=UTC)),
        (datetime(2027, 11, 2, 17, 0, tzinfo=PARIS), datetime(2027, 11, 2, 16, 0, tzinfo=UTC)),
    ],
)
async def test_the_hour_is_right_on_both_sides_of_a_daylight_saving_change(
    relais: Relais, hands: Hands, local: datetime, utc: datetime
) -> None:
    """The wall-clock hour is written with its TZID; the VTIMEZONE's own rules (what a phone
    without the IANA database uses) give back the same instant."""
    hands.now = local - timedelta(days=10)
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais, starts_at=local)
    document = await relais.document("test", "amina", f"appointment_ics:{appointment.id}")
    assert document is not None
    text = document.data.decode("utf-8")
    stamp = local.strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Europe/Paris:{stamp}\r\n" in text
    # RFC 5545: lines end with CRLF, and none is longer than 75 octets
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar, event = read(document.data)
    assert event.decoded("DTSTART").astimezone(UTC) == utc
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert isinstance(vtimezone, Timezone)
    own_rules = vtimezone.to_tz()
    assert local.replace(tzinfo=own_rules).astimezone(UTC) == utc


async def test_olena_reads_it_in_english_and_a_call_is_a_call(relais: Relais) -> None:
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA)
    appointment = await book(
        relais, user="olena", place="phone", purpose="interview_prep", note="Have your CV ready."
    )
    _, _, event = await calendar_of(relais, "olena", appointment.id)
    assert str(event["SUMMARY"]) == "Appointment: Preparing for a job interview"
    assert str(event["LOCATION"]) == "By phone: the volunteer will call you"
    assert "Good to know: Have your CV ready." in str(event["DESCRIPTION"])


async def test_a_change_replaces_the_event_and_a_cancellation_cancels_it(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    _, _, first = await calendar_of(relais, "amina", appointment.id)
    # the same file asked again at once (a repeated send) is not made twice
    with pytest.raises(RepeatedDocument):
        await relais.document("test", "amina", f"appointment_ics:{appointment.id}")
    hands.now += timedelta(hours=1)
    await change(relais, appointment.id, TUESDAY + timedelta(days=1))
    _, _, moved = await calendar_of(relais, "amina", appointment.id)
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 2
    assert moved.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 9, 13, 30, tzinfo=UTC)
    await end(relais, appointment.id, "cancelled")
    _, calendar, cancelled = await calendar_of(relais, "amina", appointment.id)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(first["UID"])
    assert int(cancelled["SEQUENCE"]) == 3  # after every version it cancels
    assert cancelled.walk("VALARM") == []


async def test_the_file_is_only_ever_made_for_the_person_whose_appointment_it_is(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA)
    await join(relais, "marie", "paris11")
    appointment = await book(relais)
    kind = f"appointment_ics:{appointment.id}"
    assert await relais.document("test", "olena", kind) is None  # someone else
    assert await relais.document("test", "marie", kind) is None  # even her volunteer
    assert await relais.document("test", "nobody", kind) is None  # never wrote
    for forged in (
        "appointment_ics:",
        "appointment_ics:999",
        "appointment_ics:-1",
        "appointment_ics:١",
        "appointment_ics:99999999999999999999999",
    ):
        assert await relais.document("test", "amina", forged) is None, forged
    assert await relais.document("test", "amina", kind) is not None


async def test_relais_chat_writes_it_in_the_persons_folder_and_erasure_leaves_no_byte(
    relais: Relais,
) -> None:
    out = io.StringIO()
    chat = TerminalChat(relais, "zorba", out, clock=relais.clock)
    for line in ("/start", "Français", "Oui", "Paris 11e", "Zorbalinde"):
        await chat.send(line)
    assert "Que voulez-vous faire ?" in out.getvalue()
    await book(relais, user="zorba", channel="terminal", note="Apportez votre Glimbroustan.")
    await chat.send("/menu")  # what waits for her is shown with the reply
    shown = out.getvalue()
    assert "📅 Votre rendez-vous est pris." in shown
    [path] = re.findall(r"📄 (\S+\.ics)", shown)
    written = Path(path)
    # her own file, in her own folder (not filed as a document about someone else)
    assert written.parent == documents_folder(relais.settings.documents_dir, "zorba").resolve()
    assert written.name == "rendez-vous-2026-12-08.ics"
    _, event = read(written.read_bytes())
    assert "Glimbroustan" in str(event["DESCRIPTION"])
    assert written.stat().st_mode & 0o077 == 0  # readable by Relais's user only
    # the note is in the database too (the appointment, its queued reminders), until erased
    before = b"".join(p.read_bytes() for p in database_files(relais.settings.database))
    assert b"Glimbroustan" in before
    for line in ("Mes données", "Tout effacer", "Oui"):
        await chat.send(line)
    assert "C'est fait" in out.getvalue()
    assert files_under(relais.settings.documents_dir) == []
    raw = database_files(relais.settings.database)
    for path in raw:
        data = path.read_bytes()
        for word in (b"Glimbroustan", b"Zorbalinde"):
            assert word not in data, (path, word)


async def test_the_confirmation_and_the_change_bring_it_the_reminders_do_not(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    kind = f"[appointment_ics:{appointment.id}]"
    assert kind in await deliver(relais, amina)
    hands.now = datetime(2026, 12, 7, 14, 30, tzinfo=PARIS)
    assert kind not in await deliver(relais, amina)
    await change(relais, appointment.id, TUESDAY + timedelta(hours=2))
    assert kind in await deliver(relais, amina)
