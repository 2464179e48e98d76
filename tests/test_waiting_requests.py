"""Help requests made while nobody is registered for the centre wait: the person is told so
honestly, the first volunteer who joins is told how many wait and finds them in /people
("En attente de contact"), and taking one is not yet a first contact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import fixed_clock
from tests.conftest import CONFIG_TWO_CENTRES
from tests.test_exchanges import deliver
from tests.test_volunteers import join, person_id

# the two lines of the answer, as script lines
HONEST = (
    "Pour l'instant, aucun bénévole n'est inscrit pour Lyon Part-Dieu.\n"
    "< Votre demande est gardée. Quand un bénévole arrivera, il vous écrira ici, dans Relais."
)


async def someone_in(relais: Relais, user: str, name: str, centre: str) -> Conversation:
    person = Conversation(relais, user=user)
    await person.play(f"> /start\n> [Français]\n> [Oui]\n> [{centre}]\n> {name}\n< Bienvenue")
    return person


async def test_a_request_waits_for_the_first_volunteer_who_joins(relais: Relais) -> None:
    # Olena, a Ukrainian engineer with beginner French, in Lyon where nobody is registered yet
    olena = await someone_in(relais, "olena", "Olena", "Lyon Part-Dieu")
    await someone_in(relais, "bilal", "Bilal", "Lyon Part-Dieu")  # asks nothing
    await olena.play(
        f"""
        > [Parler à un bénévole]
        > [Oui]
        < {HONEST}
        ! va vous écrire
        < Que voulez-vous faire ?
        """
    )
    # Paris' volunteers are not told about Lyon's people
    marie = await join(relais, "marie", "paris11")
    assert "attendent" not in marie.text
    leo = await join(relais, "leo", "lyon")
    await leo.play(
        """
        > /people
        > [En attente de contact]
        < Personnes suivies (En attente de contact) – page 1 sur 1
        < 1 personne
        < [Olena · pas de CV]
        ! Bilal
        > [Olena]
        < Demande d'aide : en attente depuis le 23 novembre 2026
        < pas encore de premier contact
        > [Je m'en occupe]
        < Merci ! Vous vous occupez d'Olena.
        < Écrivez-lui ici
        > [Écrire]
        < Écrivez votre message pour Olena
        > /cancel
        > /people
        > [En attente de contact]
        < Personne dans cette liste pour l'instant.
        """
    )
    assert "Un bénévole a vu votre demande. Il va vous écrire ici, dans Relais." in await deliver(
        relais, olena
    )
    olena_id = await person_id(relais, "olena")
    async with relais.storage.transaction() as tx:
        follow = await tx.followup_of(olena_id)
    assert follow.first_contact_at is None


async def test_the_volunteer_who_joins_is_told_how_many_wait(relais: Relais) -> None:
    for user in ("olena", "sara"):
        person = await someone_in(relais, user, user.title(), "Lyon Part-Dieu")
        await person.play(f"> [Parler à un bénévole]\n> [Oui]\n< {HONEST}")
        await person.play("> /menu\n> [Parler à un bénévole]\n> [Oui]")  # asked twice: one request
    invitation = await relais.invite("lyon", "volunteer", created_by=None)
    assert invitation is not None
    leo = Conversation(relais, user="leo")
    await leo.play(
        f"""
        > {invitation[0]}
        < Bienvenue dans l'équipe de Lyon Part-Dieu !
        < Des personnes de Lyon Part-Dieu attendent qu'un bénévole leur écrive (demandes en attente : 2). Pour les voir : « 🙋 Demandes en attente » dans votre menu, ou /requests.
        """  # noqa: E501
    )
    # the next one asks once someone is there: the usual answer, and the team is told
    amir = await someone_in(relais, "amir", "Amir", "Lyon Part-Dieu")
    await amir.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < Un bénévole de Lyon Part-Dieu va vous écrire ici, dans Relais.
        ! aucun bénévole
        """
    )
    assert "Amir (Lyon Part-Dieu) voudrait parler à un bénévole." in await deliver(relais, leo)


@pytest.fixture
async def with_admin(tmp_path: Path) -> AsyncIterator[Relais]:
    config = tmp_path / "relais.toml"
    config.write_text(
        CONFIG_TWO_CENTRES.replace("[general]", '[general]\nadmins = ["9001"]'), encoding="utf-8"
    )
    settings = load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "r.sqlite3")})
    app = await open_relais(settings, clock=fixed_clock)
    yield app
    await app.close()


async def test_an_admin_who_uses_relais_receives_the_requests_of_centres_without_team(
    with_admin: Relais,
) -> None:
    relais = with_admin
    olena = await someone_in(relais, "olena", "Olena", "Lyon Part-Dieu")
    # the admin is configured but never wrote to Relais: nobody would be told
    await olena.play(f"> [Parler à un bénévole]\n> [Oui]\n< {HONEST}")
    admin = Conversation(relais, user="9001")
    await admin.play("> /start\n> [Français]")
    sara = await someone_in(relais, "sara", "Sara", "Lyon Part-Dieu")
    await sara.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < Un bénévole de Lyon Part-Dieu va vous écrire ici, dans Relais.
        """
    )
    assert "Sara (Lyon Part-Dieu) voudrait parler à un bénévole." in await deliver(relais, admin)
    # the admin sees both waiting, Olena's request included
    await admin.play(
        """
        > /people
        > [En attente de contact]
        < 2 personnes
        < Olena
        < Sara
        > [Olena]
        > [Écrire]
        > Bonjour Olena, je suis là maintenant.
        < C'est envoyé à Olena, comme un message de Lyon Part-Dieu.
        """
    )
    assert "Message de Lyon Part-Dieu" in await deliver(relais, olena)
    await olena.play("> [Répondre]\n> Merci !\n< C'est envoyé.")
    # the admin has no role at Lyon, but sees every centre: the answer is theirs
    assert "Réponse d'Olena (Lyon Part-Dieu)" in await deliver(relais, admin)
