"""Mes données: a person sees what Relais knows and can erase it all."""

from __future__ import annotations

from tests.conversation import Conversation


async def test_a_person_sees_their_data_then_erases_it(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Mes données]
        < Voici ce que je sais sur vous
        < Langue : Français
        < Centre : Lyon Part-Dieu
        < Prénom : Amina
        > [Garder mes données]
        < Rien ne change
        > [Mes données]
        > [Tout effacer]
        < On ne pourra pas les retrouver.
        > [Oui]
        < Que voulez-vous faire ?
        ! Faire mon bilan
        """
    )
    assert "Donner mon accord" in chat.labels()
    async with chat.relais.storage.transaction() as tx:
        # the person is gone entirely, their platform id with them
        assert await tx.find_person("test", "ana") is None
    # coming back is starting afresh, with the language
    await chat.play(
        """
        > [Donner mon accord]
        < Choose your language.
        > [Français]
        < Vous êtes d'accord ?
        """
    )
