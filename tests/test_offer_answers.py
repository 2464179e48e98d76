"""The beneficiary's side of a job offer, played as conversations: Amina reads the offer in
French with three buttons, says she is interested and is told a volunteer will call back;
Marie, who entered the offer, gets the relay task with Amina's phone and checked CV, records
"sent to the employer" then the hire, which becomes a job outcome. "Pas pour moi" offers
one-tap reasons that later matching avoids; "Ne plus recevoir d'offres" stops them; a closed
or expired offer is never delivered and its buttons say so; forged buttons are stale."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from bot.core.domain import EventKind, Inbound
from bot.desk.buttons import build
from bot.offers import message
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
    OLENA,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    deliver,
)
from tests.offer_person_kit import CLEANER, beneficiary, broadcast, fits, offer, send_state
from tests.test_appointment_answers import notice_of
from tests.test_volunteers import join

MENU = "Que voulez-vous faire ?"


def buttons_of(person: Conversation, text: str) -> None:
    """Put on screen the buttons of the message saying `text` (the menu came after it)."""
    for reply in person.replies:
        for shown in reply.messages:
            if text in shown.text:
                person.buttons = [b for row in shown.buttons for b in row]


async def tap(person: Conversation, data: str) -> str:
    """Press a button with this data (a forged one, or an old one), as a phone sends it."""
    return await person.send(Inbound(EventKind.BUTTON, data=data))


STALE = "Ce bouton ne marche plus."


async def amina_with_an_offer(relais: Relais, checked: bool = True) -> Conversation:
    amina = await beneficiary(relais, "amina", AMINA)
    await fits(relais, "amina", checked=checked, phone="0612345678", first_name="Amina")
    return amina


async def test_amina_reads_the_offer_in_french_with_three_buttons(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    assert await broadcast(relais, job) == 1
    text = await deliver(relais, amina)
    assert text.startswith("💼 Agent d'entretien\nEmployeur : Mairie de Montreuil (Mairie)\n")
    assert "Nettoyage des écoles de la ville." in text
    assert "rh@montreuil" not in text  # how to apply is for volunteers only
    assert "Montrez d'abord votre CV" not in text
    assert text.endswith("Cette offre vous intéresse ?")
    assert amina.labels() == [
        "👍 Ça m'intéresse",
        "👎 Pas pour moi",
        "🔕 Ne plus recevoir d'offres",
    ]
    assert await deliver(relais, amina) == ""  # once


async def test_olena_reads_the_fixed_words_in_english_and_the_volunteers_in_french(
    relais: Relais,
) -> None:
    olena = await beneficiary(relais, "olena", OLENA)
    await fits(relais, "olena", checked=False)
    job = await offer(relais)
    assert await broadcast(relais, job, include_unchecked=True) == 1
    text = await deliver(relais, olena)
    assert "Agent d'entretien" in text and "Nettoyage des écoles de la ville." in text
    assert "Employer" in text  # the fixed words are hers
    assert len(olena.labels()) == 3


async def test_someone_without_a_checked_cv_is_asked_to_show_it_first(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais, checked=False)
    # she made her CV, not checked yet (without a CV she is asked to make it first:
    # tests/test_offer_candidates.py)
    amina_id = await fits(relais, "amina", checked=False, last_name="Diallo")
    async with relais.storage.transaction() as tx:
        await tx.update_followup(amina_id, cv_status="to_check")
    job = await offer(relais)
    assert await broadcast(relais, job) == 0  # only the proposable ones by default
    assert await broadcast(relais, job, include_unchecked=True) == 1
    text = await deliver(relais, amina)
    assert "Montrez d'abord votre CV à un bénévole." in text
    await amina.press("Ça m'intéresse")
    assert amina.text.startswith(
        "C'est noté ! Un bénévole de votre centre va vous contacter. Montrez-lui d'abord votre"
        " CV : il faut qu'il soit vérifié avant de l'envoyer à l'employeur.\n" + MENU
    )


async def test_interested_then_relayed_sent_to_the_employer_and_hired(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    offer_buttons = list(amina.buttons)
    await amina.play(
        f"""
        > [Ça m'intéresse]
        < C'est noté ! Un bénévole de votre centre va vous rappeler pour la suite.
        < {MENU}
        """
    )
    assert await send_state(relais, job, "amina") == ("interested", "", "")
    text = await deliver(relais, marie)
    assert (
        text.startswith("🤝 Amina (n° ")
        and "est intéressé·e par l'offre « Agent d'entretien » (Mairie de Montreuil, Montreuil)."
        in text
    )
    assert "Téléphone : 0612345678" in text
    assert "Son CV est vérifié : le voici, à envoyer à l'employeur." in text
    assert "Comment postuler : CV par courriel à rh@montreuil.example" in text
    assert "[cv_pdf:" in text
    assert marie.labels() == ["📨 Envoyée à l'employeur", "Voir la fiche"]
    relay_buttons = list(marie.buttons)
    await marie.press("Envoyée à l'employeur")
    assert "la candidature d'Amina est envoyée à l'employeur" in marie.text
    result_buttons = list(marie.buttons)
    marie.buttons = relay_buttons
    await marie.press("Envoyée à l'employeur")  # an old button pressed again
    assert "déjà notée comme envoyée" in marie.text
    marie.buttons = result_buttons
    await marie.press("Embauché")
    assert "Bravo ! Amina est embauché·e pour « Agent d'entretien »." in marie.text
    assert await send_state(relais, job, "amina") == ("interested", "", "hired")
    async with relais.storage.reading() as reads:
        state = await reads.state_of("test", "amina")
        assert state is not None and state.person.id is not None
        outcomes = await reads.outcomes_of(state.person.id)
        followup = await reads.followup_of(state.person.id)
    assert [(o.kind, o.contract, o.confirmed) for o in outcomes] == [("job", "cdd", True)]
    assert not followup.searching
    # pressed twice: one outcome
    marie.buttons = result_buttons
    await marie.press("Embauché")
    assert "déjà noté" in marie.text
    # the same press, again, from a fresh screen: no second outcome either
    async with relais.storage.reading() as reads:
        assert len(await reads.outcomes_of(state.person.id)) == 1
    # a second "interested" on the offer tells nobody again
    amina.buttons = offer_buttons
    await amina.press("Ça m'intéresse")
    assert "C'est déjà noté : cette offre vous intéresse." in amina.text
    assert await deliver(relais, marie) == ""


async def test_the_team_gets_the_task_when_nobody_entered_the_offer(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    paul = await join(relais, "paul", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)  # by the CSV import: no author
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    assert "🤝 Amina" in await deliver(relais, marie)
    assert "🤝 Amina" in await deliver(relais, paul)


async def test_not_for_me_with_a_reason_that_later_matching_avoids(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.play(
        """
        > [Pas pour moi]
        < C'est noté. Pourquoi ? (si vous voulez)
        """
    )
    buttons_of(amina, "Pourquoi")
    assert amina.labels() == ["Les horaires", "Trop loin", "Ce métier", "Passer"]
    await amina.play(
        f"""
        > [Ce métier]
        < Merci ! Nous vous enverrons des offres qui vous conviennent mieux.
        < {MENU}
        """
    )
    assert await send_state(relais, job, "amina") == ("declined", "job_type", "")
    # another cleaning offer does not reach her any more
    other = await offer(relais, replace(CLEANER, title="Agent de propreté"))
    assert await broadcast(relais, other) == 0


async def test_not_for_me_because_of_the_hours_or_the_distance(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Pas pour moi")
    buttons_of(amina, "Pourquoi")
    await amina.press("Les horaires")
    assert await send_state(relais, job, "amina") == ("declined", "hours", "")
    # evening work no longer reaches her, daytime work does
    evening = await offer(relais, replace(CLEANER, schedule=("evening",)))
    assert await broadcast(relais, evening) == 0
    daytime = await offer(relais, replace(CLEANER, schedule=()))
    assert await broadcast(relais, daytime) == 1


async def test_a_mis_tap_is_mended_and_the_volunteer_told(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    offer_buttons = list(amina.buttons)
    await amina.press("Ça m'intéresse")
    await deliver(relais, marie)
    amina.buttons = offer_buttons
    await amina.press("Pas pour moi")
    assert "Pourquoi ?" in amina.text
    assert await send_state(relais, job, "amina") == ("declined", "", "")
    text, _ = await notice_of(relais, marie)
    assert "n'est finalement plus intéressé·e par l'offre « Agent d'entretien »" in text
    amina.buttons = offer_buttons
    await amina.press("Pas pour moi")
    assert "C'est déjà noté : cette offre n'est pas pour vous." in amina.text


async def test_stop_offers_stops_them_and_says_how_to_get_them_again(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.play(
        f"""
        > [Ne plus recevoir d'offres]
        < C'est noté : vous ne recevrez plus d'offres d'emploi.
        < Pour en recevoir à nouveau, choisissez « Offres d'emploi » dans le menu.
        < {MENU}
        """
    )
    other = await offer(relais, replace(CLEANER, title="Agent de propreté"))
    assert await broadcast(relais, other) == 0


async def test_stop_offers_drops_what_waits_in_the_queue(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    first = await offer(relais)
    await broadcast(relais, first)
    await deliver(relais, amina)
    second = await offer(relais, replace(CLEANER, title="Agent de propreté"))
    await broadcast(relais, second)
    await amina.press("Ne plus recevoir")
    assert await deliver(relais, amina) == ""


async def test_a_closed_or_expired_offer_is_not_delivered(relais: Relais, hands: Hands) -> None:
    amina = await amina_with_an_offer(relais)
    closed = await offer(relais)
    await broadcast(relais, closed)
    async with relais.storage.transaction() as tx:
        assert await tx.set_offer_state(closed.id, "closed", None)
    assert await deliver(relais, amina) == ""
    short = await offer(relais, replace(CLEANER, expires_on=date(2026, 12, 7)))
    await broadcast(relais, short)
    hands.now += timedelta(days=1)  # Tuesday: its last day was Monday
    assert await deliver(relais, amina) == ""


async def test_an_edited_offer_goes_as_edited(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    async with relais.storage.transaction() as tx:
        edited = await tx.edit_offer(
            job.id, replace(CLEANER, pay="12 € brut de l'heure"), job.version, "vetted"
        )
    assert edited is not None
    assert "Salaire : 12 € brut de l'heure" in await deliver(relais, amina)


async def test_answers_to_a_closed_or_expired_offer_record_nothing(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    on_offer = list(amina.buttons)
    async with relais.storage.transaction() as tx:
        await tx.set_offer_state(job.id, "closed", None)
    await amina.play(
        f"""
        > [Ça m'intéresse]
        < Cette offre n'est plus disponible. Merci quand même !
        < {MENU}
        """
    )
    assert await send_state(relais, job, "amina") == ("", "", "")
    async with relais.storage.transaction() as tx:
        await tx._execute("UPDATE offers SET state = 'vetted' WHERE id = ?", (job.id,))
    hands.now += timedelta(days=25)  # past its last day, before the expiry sweep ran
    amina.buttons = on_offer
    await amina.press("Pas pour moi")
    assert "Cette offre est terminée : sa date limite est passée." in amina.text
    assert await send_state(relais, job, "amina") == ("", "", "")


async def test_forged_offer_buttons_are_stale(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    real = amina.buttons[0].data
    number, token = real.split(":")[1], real.split(":")[2]
    for forged in (
        f"R:{number}:{token}:hired",  # a choice the offer does not have
        f"R:{number}:{'0' * 12}:yes",  # a guessed token
        f"R:{int(number) + 1}:{token}:yes",  # another message
    ):
        reply = await tap(amina, forged)
        assert STALE in reply, forged
    assert await send_state(relais, job, "amina") == ("", "", "")


async def test_desk_buttons_of_the_relay_are_checked(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    lena = await join(relais, "lena", "lyon")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    amina_id = await fits(relais, "amina")
    # not interested yet
    assert "pas dit que cette offre l'intéresse" in await tap(marie, build("oz", job.id, amina_id))
    await amina.press("Ça m'intéresse")
    # a volunteer of another centre: neither the offer nor the person
    assert "n'est pas de votre centre" in await tap(lena, build("oz", job.id, amina_id))
    # an unknown offer, a result that is not one
    assert "n'est pas de votre centre" in await tap(marie, build("oz", 999, amina_id))
    assert STALE in await tap(marie, build("oy", job.id, amina_id, "promoted"))
    assert await send_state(relais, job, "amina") == ("interested", "", "")


async def test_the_weekly_cap_holds_offers_back_until_the_week_has_passed(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_with_an_offer(relais)
    jobs = [await offer(relais, replace(CLEANER, title=f"Offre {n}")) for n in range(5)]
    for job in jobs:
        await broadcast(relais, job)
    delivered = await deliver(relais, amina)
    assert delivered.count("💼") == 3  # the cap: three a week
    assert await deliver(relais, amina) == ""
    hands.now += timedelta(days=6)
    assert await deliver(relais, amina) == ""
    hands.now += timedelta(days=1, seconds=1)
    assert (await deliver(relais, amina)).count("💼") == 2


def test_the_offer_survives_its_params() -> None:
    from datetime import UTC, datetime

    from bot.offers.domain import Offer

    job = Offer(7, "paris11", CLEANER, "vetted", 1, 2, 3, datetime(2026, 1, 1, tzinfo=UTC))
    back = message.from_params(message.to_params(job, True))
    assert back is not None
    assert back.details == replace(CLEANER, how_to_apply="")


async def test_offers_are_in_my_data_and_go_with_the_person(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    offer_buttons = list(amina.buttons)
    await amina.press("Ça m'intéresse")
    await deliver(relais, marie)
    await marie.press("Envoyée à l'employeur")
    readable = await relais.document("test", "amina", "my_data_txt")
    assert readable is not None
    text = readable.data.decode("utf-8")
    assert "■ Offres d'emploi\nVous recevez les offres d'emploi qui vous correspondent." in text
    assert "« Agent d'entretien » (Mairie de Montreuil, Montreuil) : ça vous intéresse" in text
    assert "candidature envoyée à l'employeur le 7 décembre 2026" in text
    as_json = await relais.document("test", "amina", "my_data_json")
    assert as_json is not None
    data = json.loads(as_json.data)
    assert data["job_offers"]["receive"] is True
    assert [(s["offer"], s["answer"]) for s in data["job_offers"]["sent"]] == [
        (job.id, "interested")
    ]
    # "Tout effacer": nothing of her answers to offers is left
    amina_id = await fits(relais, "amina")
    amina.buttons = offer_buttons
    await amina.press("Ne plus recevoir")  # an offer_choices row too
    async with relais.storage.transaction() as tx:
        assert await tx.erase_person(amina_id, "erased", amina_id)
    async with relais.storage.reading() as reads:
        for table in ("offer_sends", "offer_profiles", "offer_choices", "started_messages"):
            column = "subject_id" if table == "started_messages" else "person_id"
            rows = await reads._fetchall(  # the raw rows are what is checked
                f"SELECT 1 FROM {table} WHERE {column} = ?", (amina_id,)
            )
            assert rows == [], table
        assert await reads.offer(job.id) is not None  # the offer itself stays


async def test_the_menu_shows_the_offers_to_answer_and_turns_offers_on_again(
    relais: Relais,
) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ne plus recevoir")
    # stopped: one question, with no offer above it a "oui" could be meant for
    await amina.play(
        """
        > [Offres d'emploi]
        < ✅ Offres d'emploi
        < Vous ne recevez plus d'offres d'emploi.
        < Recevoir à nouveau les offres d'emploi ?
        < [Oui]
        < [Non]
        > [Oui]
        < C'est noté : vous recevrez les offres d'emploi qui vous correspondent.
        < Ces offres attendent votre réponse :
        < 💼 Agent d'entretien
        """
    )
    await amina.play(
        f"""
        > [↩ Menu]
        < {MENU}
        """
    )
    other = await offer(relais, replace(CLEANER, title="Agent de propreté"))
    assert await broadcast(relais, other) == 1
    # the offer shown by the menu is answered with its own buttons
    await amina.press("Offres d'emploi")
    buttons_of(amina, "💼 Agent d'entretien")
    await amina.press("Ça m'intéresse")
    assert "Un bénévole de votre centre va vous rappeler" in amina.text
    assert await send_state(relais, job, "amina") == ("interested", "", "")
    # the flow's choice comes again under the answer: offers stop there too
    assert amina.labels() == ["↩ Menu", "🔕 Ne plus recevoir d'offres"]
    await amina.press("🔕 Ne plus recevoir d'offres")
    assert "vous ne recevrez plus d'offres d'emploi" in amina.text
    assert await deliver(relais, amina) == ""  # the waiting one is dropped


async def test_the_menu_says_when_no_offer_waits(relais: Relais) -> None:
    amina = await amina_with_an_offer(relais)
    await amina.press("Offres d'emploi")
    assert amina.text.startswith(
        "✅ Offres d'emploi\nVous recevez les offres d'emploi qui vous correspondent.\n"
        "Aucune offre n'attend votre réponse."
    )


async def test_someone_who_moved_to_another_centre_cannot_answer_the_old_one(
    relais: Relais,
) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    async with relais.storage.transaction() as tx:
        await tx._execute("UPDATE persons SET centre = 'lyon' WHERE external_id = 'amina'")
    await amina.press("Ça m'intéresse")
    assert "Cette offre est celle de votre ancien centre." in amina.text
    assert await send_state(relais, job, "amina") == ("", "", "")
    assert await deliver(relais, marie) == ""


async def test_a_volunteer_removed_from_the_team_gets_no_relay_task(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    async with relais.storage.transaction() as tx:
        found = await tx.find_person("test", "marie")
        assert found is not None and found.id is not None
        await tx._execute("DELETE FROM roles WHERE person_id = ?", (found.id,))
        await tx.drop_pending_notices(found.id)
    assert await deliver(relais, marie) == ""
