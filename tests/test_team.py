"""Access can be taken back, and stays taken back: a coordinator removes a volunteer, an admin's
closing of a centre survives a restart, every view of a page or a phone is audited, outcomes
are confirmed only by their own centre, and a job told 30 times is one job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core.domain import Centre, EventKind, Inbound, Person
from bot.service import Relais, open_relais
from bot.storage.database import MIGRATIONS_DIR, Storage
from bot.testing.conversation import Conversation
from bot.testing.moment import fixed_clock
from tests.conftest import CONFIG_TWO_CENTRES
from tests.test_flow_cv import CV_FR
from tests.test_volunteers import AMINA_IN_PARIS, join, notices_of, person_id

UNKNOWN_COMMAND = "Je ne connais pas cette commande."
NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."
NOT_IN_TEAM = "Je ne trouve pas cette personne dans votre équipe."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Two centres in the configuration, two admins (4242 and 4343)."""
    config = tmp_path / "relais.toml"
    config.write_text(
        '[general]\nadmins = ["4242", "4343"]\n' + CONFIG_TWO_CENTRES.replace("[general]\n", ""),
        encoding="utf-8",
    )
    return load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "db.sqlite3")})


@pytest.fixture
async def relais(settings: Settings) -> AsyncIterator[Relais]:
    app = await open_relais(settings, clock=fixed_clock)
    yield app
    await app.close()


async def named_volunteer(
    relais: Relais, user: str, name: str, centre: str, role: str = "volunteer"
) -> Conversation:
    """A volunteer who joined with a code, then gave a first name (no consent question, no
    centre: those are the beneficiaries')."""
    person = await join(relais, user, centre, role)
    await person.play(f"> {name}\n< Merci, {name} !\n< Espace bénévole\n! Vous êtes d'accord")
    return person


async def admin(relais: Relais, user: str = "4242") -> Conversation:
    boss = Conversation(relais, user=user)
    await boss.play("> /start\n> [Français]")
    return boss


async def test_a_coordinator_removes_a_volunteer_who_is_told_and_loses_access_at_once(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    amina_id = await person_id(relais, "amina")
    cora = await named_volunteer(relais, "cora", "Cora", "paris11", "coordinator")
    await named_volunteer(relais, "leo", "Léo", "lyon")
    invitation = await relais.invite("paris11", "volunteer", created_by=None)
    assert invitation is not None
    vic = Conversation(relais, user="vic")  # reads English
    await vic.play(
        f"""
        > /start {invitation[0]}
        > [English]
        > Victor
        > /person {amina_id}
        < Amina Benali (No. {amina_id})
        """
    )
    vic_id, cora_id = await person_id(relais, "vic"), await person_id(relais, "cora")
    await cora.play(
        f"""
        > /team
        < L'équipe de Paris 11e :
        < Cora (n° {cora_id}) – coordinateur ou coordinatrice
        < Victor (n° {vic_id}) – bénévole
        < [Retirer Victor]
        ! Retirer Cora
        ! Léo
        > [Retirer Victor]
        < Retirer Victor de l'équipe de Paris 11e ?
        > [Non]
        < D'accord, rien ne change.
        """
    )
    await vic.play("> /people\n< Amina Benali")
    await notices_of(relais, "vic")
    await cora.play(
        f"""
        > /team remove {vic_id}
        < Retirer Victor de l'équipe de Paris 11e ?
        > [Oui, retirer]
        < C'est fait : Victor ne fait plus partie de l'équipe de Paris 11e.
        """
    )
    # told in their language; their app menu goes back to a beneficiary's
    assert "You are no longer part of the team of Paris 11e" in await notices_of(relais, "vic")
    (menu,) = [e for e in cora.replies[0].effects if e.name == "team_commands"]
    assert menu.data == {"commands": [], "locale": "en", "chat": "vic", "channel": "test"}
    # from now on, the answers anyone gets: unknown commands, stale buttons
    await amina.type("/people")
    unknown_in_french = amina.text
    assert UNKNOWN_COMMAND in unknown_in_french
    for command in ("/people", f"/person {amina_id}", "/team", "/invite"):
        await vic.type(command)
        assert "I don't know this command." in vic.text, command
        assert "Amina" not in vic.text and "closed" not in vic.text
    await vic.send(Inbound(EventKind.BUTTON, data=f"V:p:{amina_id}"))
    assert "Amina" not in vic.text
    assert await relais.document("test", "vic", f"cv_pdf:{amina_id}") is None
    # and no more notices about the centre's people
    await amina.play("> [Parler à un bénévole]\n> [Oui]")
    assert "voudrait parler" in await notices_of(relais, "cora")
    assert await notices_of(relais, "vic") == ""
    # the removal is in the audit log, ids only, in words for the admins
    async with relais.storage.transaction() as tx:
        entries = await tx.audit_entries()
    assert (entries[0].actor_id, entries[0].subject_id, entries[0].action) == (
        cora_id,
        vic_id,
        "team_removed",
    )
    boss = await admin(relais)
    await boss.type("/audit")
    assert f"Cora (n° {cora_id}) a retiré la personne n° {vic_id} de l'équipe" in boss.text
    # a new invitation gives the role back
    again = await relais.invite("paris11", "volunteer", created_by=None)
    assert again is not None
    await vic.play(f"> {again[0]}\n< Welcome to the team of Paris 11e\n> /people\n< Amina")


async def test_who_may_remove_whom(relais: Relais) -> None:
    cora = await named_volunteer(relais, "cora", "Cora", "paris11", "coordinator")
    await named_volunteer(relais, "cyril", "Cyril", "paris11", "coordinator")
    vic = await named_volunteer(relais, "vic", "Victor", "paris11")
    await named_volunteer(relais, "leo", "Léo", "lyon")
    boss = await admin(relais)
    boss_code = await relais.invite("paris11", "volunteer", created_by=None)
    assert boss_code is not None
    await boss.type(boss_code[0])  # an admin who also volunteers in Paris
    ids = {u: await person_id(relais, u) for u in ("cora", "cyril", "vic", "leo", "4242")}
    await vic.play(
        f"""
        > /team
        < Cette commande est réservée aux coordinateurs de centre.
        > /team remove {ids["leo"]}
        < Cette commande est réservée aux coordinateurs de centre.
        """
    )
    await cora.play(
        f"""
        > /team
        < Cyril (n° {ids["cyril"]}) – coordinateur ou coordinatrice
        ! Retirer Cyril
        ! Retirer Cora
        < Personne n° {ids["4242"]} – bénévole
        ! Retirer Personne n°
        < [Retirer Victor]
        > /team remove {ids["cora"]}
        < Vous ne pouvez pas vous retirer vous-même.
        > /team remove {ids["cyril"]}
        < Seul un admin peut retirer un coordinateur ou une coordinatrice.
        > /team remove {ids["4242"]}
        < Cette personne est admin
        > /team remove ²
        < Écrivez /team pour voir l'équipe, ou /team remove <n°>
        > /team remove 99999999999999999999999
        < Écrivez /team pour voir l'équipe
        > /team remove
        < Écrivez /team pour voir l'équipe
        > /team everyone
        < Écrivez /team pour voir l'équipe
        """
    )
    # someone of another centre, and someone who does not exist, get the same answer
    for guess in (ids["leo"], 99_999):
        await cora.type(f"/team remove {guess}")
        assert cora.text == NOT_IN_TEAM, guess
        await cora.send(Inbound(EventKind.BUTTON, data=f"V:ty:{guess}"))
        assert NOT_IN_TEAM in cora.text, guess
    async with relais.storage.transaction() as tx:
        assert [r.centre for r in await tx.roles_of(ids["leo"])] == ["lyon"]
    for forged in ("V:ty:²", "V:tr:1:2", "V:tl:1", "V:ty:99999999999999999999999"):
        await cora.send(Inbound(EventKind.BUTTON, data=forged))
        assert "Ce bouton ne marche plus" in cora.text, forged
    # a forged "yes" from a volunteer does nothing either
    await vic.send(Inbound(EventKind.BUTTON, data=f"V:ty:{ids['cora']}"))
    assert "Ce bouton ne marche plus" in vic.text
    # the admin sees every centre's team and removes a coordinator, not another admin
    await boss.play(
        f"""
        > /team
        < L'équipe de Paris 11e :
        < L'équipe de Lyon Part-Dieu :
        < Léo (n° {ids["leo"]}) – bénévole
        < [Retirer Cyril]
        > [Retirer Cyril]
        > [Oui, retirer]
        < Cyril ne fait plus partie de l'équipe de Paris 11e.
        """
    )
    other_admin = await admin(relais, "4343")
    await other_admin.type(f"/team remove {ids['4242']}")
    assert "Cette personne est admin" in other_admin.text
    async with relais.storage.transaction() as tx:
        assert await tx.roles_of(ids["cyril"]) == ()
        assert len(await tx.roles_of(ids["cora"])) == 1


async def test_a_centre_an_admin_closed_stays_closed_after_a_restart(settings: Settings) -> None:
    relais = await open_relais(settings, clock=fixed_clock)
    marie = await join(relais, "marie", "paris11")
    boss = await admin(relais)
    await boss.type("/centre remove paris11")
    assert "Centre paris11 fermé" in boss.text
    await relais.close()

    # the configuration still lists paris11: it stays closed all the same
    relais = await open_relais(settings, clock=fixed_clock)
    try:
        assert [c.id for c in await open_centres(relais)] == ["lyon"]
        boss, marie = Conversation(relais, user="4242"), Conversation(relais, user="marie")
        await marie.play("> /people\n< Votre centre a fermé")
        amina = Conversation(relais, user="amina")
        await amina.play("> /start\n> [Français]\n> [Oui]\n< Quel est votre centre ?\n! Paris 11e")
        # an admin re-opens it: people can choose it again, its former volunteers stay out
        await boss.play("> /centre add paris11 | Paris 11e\n< Centre paris11 ajouté.")
        await amina.play("> /start\n< Paris 11e")
        await marie.play("> /people\n< Votre centre a fermé\n! Personnes suivies")
    finally:
        await relais.close()

    relais = await open_relais(settings, clock=fixed_clock)
    try:
        assert [c.id for c in await open_centres(relais)] == ["paris11", "lyon"]
        marie = Conversation(relais, user="marie")
        await marie.play("> /people\n< Votre centre a fermé")
        # a new invitation brings her back
        code = await relais.invite("paris11", "volunteer", created_by=None)
        assert code is not None
        await marie.play(f"> {code[0]}\n< Bienvenue\n> /people\n< Personnes suivies")
    finally:
        await relais.close()


async def test_every_view_of_a_page_or_a_phone_is_audited(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    amina_id = await person_id(relais, "amina")
    marie = await join(relais, "marie", "paris11")
    marie_id = await person_id(relais, "marie")
    await marie.play(
        f"""
        > /person {amina_id}
        < Contact : 06 12 34 56 78
        > [CV qualifié]
        < Contact : 06 12 34 56 78
        > [En recherche]
        < Contact : 06 12 34 56 78
        > [Contact fait]
        < Contact : 06 12 34 56 78
        """
    )
    await amina.play("> /menu\n> [Parler à un bénévole]\n> [Oui]")
    async with relais.storage.transaction() as tx:
        request = (await tx._fetchone("SELECT id FROM help_requests"))["id"]
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:h:{request}"))  # "Je m'en occupe"
    assert "Téléphone : 06 12 34 56 78" in marie.text
    async with relais.storage.transaction() as tx:
        entries = await tx.audit_entries()
    assert [(e.actor_id, e.subject_id, e.action) for e in reversed(entries)] == [
        (marie_id, amina_id, "profile"),  # /person
        (marie_id, amina_id, "profile"),  # CV qualifié, the page again
        (marie_id, amina_id, "profile"),  # en recherche
        (marie_id, amina_id, "profile"),  # premier contact
        (marie_id, amina_id, "phone"),  # Je m'en occupe
    ]
    boss = await admin(relais)
    await boss.type("/audit")
    assert f"a vu le téléphone de la personne n° {amina_id}" in boss.text
    assert f"a ouvert la fiche de la personne n° {amina_id}" in boss.text
    # Marie gave no name: her number, said once
    assert f"Personne n° {marie_id} a vu le téléphone" in boss.text
    assert f"(n° {marie_id})" not in boss.text


async def test_a_volunteer_confirms_only_outcomes_of_their_own_centres(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    amina_id = await person_id(relais, "amina")
    await join(relais, "marie", "paris11")
    leo = await join(relais, "leo", "lyon")
    await amina.play("> [J'ai trouvé un travail !]\n> [CDD]\n> 01/12/2026\n< va le confirmer")
    async with relais.storage.transaction() as tx:
        (paris_job,) = await tx.outcomes_of(amina_id)
    await leo.type(f"/person {amina_id}")
    assert leo.text == NOT_FOUND
    await leo.send(Inbound(EventKind.BUTTON, data=f"V:cf:{paris_job.id}"))
    assert leo.text == NOT_FOUND  # a Paris job is not Léo's to confirm
    async with relais.storage.transaction() as tx:
        assert not (await tx.outcome(paris_job.id) or paris_job).confirmed


async def test_what_waits_for_a_closed_centre_goes_to_the_persons_new_centre(
    relais: Relais,
) -> None:
    """Amina asked to talk to someone and reported a job; Paris closes before anyone acted.
    She chooses Lyon: Lyon's team is told both, once, and can act on them."""
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    amina_id = await person_id(relais, "amina")
    await join(relais, "marie", "paris11")
    leo = await join(relais, "leo", "lyon")
    await amina.play("> [Parler à un bénévole]\n> [Oui]\n< va vous écrire ici")
    await amina.play("> [J'ai trouvé un travail !]\n> [CDD]\n> 01/12/2026\n< va le confirmer")
    assert await notices_of(relais, "leo") == ""
    boss = await admin(relais)
    await boss.type("/centre remove paris11")
    await amina.play("> /start\n> [Lyon Part-Dieu]\n< Les bénévoles de Lyon Part-Dieu")
    told = await notices_of(relais, "leo")
    assert told.count("Amina (Lyon Part-Dieu) voudrait parler à un bénévole.") == 1
    assert told.count("Amina (Lyon Part-Dieu) dit avoir trouvé un travail : CDD.") == 1
    async with relais.storage.transaction() as tx:
        (job,) = await tx.outcomes_of(amina_id)
    await leo.send(Inbound(EventKind.BUTTON, data=f"V:cf:{job.id}"))
    assert "Confirmé. Bravo à Amina !" in leo.text
    # asking again in Lyon is the same request, not a second one
    await amina.play("> [Parler à un bénévole]\n> [Oui]\n< va vous écrire ici")
    assert "voudrait parler" not in await notices_of(relais, "leo")
    async with relais.storage.transaction() as tx:
        (request_id,) = [r["id"] for r in await tx._fetchall("SELECT id FROM help_requests", ())]
    await leo.send(Inbound(EventKind.BUTTON, data=f"V:h:{request_id}"))
    assert "Merci ! Vous vous occupez d'Amina." in leo.text


async def test_a_help_request_left_waiting_at_a_closed_centre_reaches_the_new_one(
    relais: Relais,
) -> None:
    """A database where the person already chose a new centre: asking again tells the team."""
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    amina_id = await person_id(relais, "amina")
    await join(relais, "leo", "lyon")
    # nobody at Paris 11e yet: told honestly that the request waits
    await amina.play("> [Parler à un bénévole]\n> [Oui]\n< Votre demande est gardée.")
    async with relais.storage.transaction() as tx:
        await tx._execute("UPDATE persons SET centre = 'lyon' WHERE id = ?", (amina_id,))
    await amina.play("> /menu\n> [Parler à un bénévole]\n> [Oui]\n< va vous écrire ici")
    assert "Amina (Lyon Part-Dieu) voudrait parler" in await notices_of(relais, "leo")


async def test_the_same_job_told_30_times_is_one_outcome_and_one_notice(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    amina_id = await person_id(relais, "amina")
    marie = await join(relais, "marie", "paris11")
    await notices_of(relais, "marie")
    for _ in range(30):
        await amina.play("> /menu\n> [J'ai trouvé un travail !]\n> [CDD]\n> 01/12/2026")
    await amina.play("> /menu\n> [J'ai trouvé un travail !]\n> [CDI]\n> 02/12/2026")
    async with relais.storage.transaction() as tx:
        outcomes = await tx.outcomes_of(amina_id)
    assert [(o.contract, str(o.happened_on), o.confirmed) for o in outcomes] == [
        ("cdi", "2026-12-02", False)  # the last thing she said
    ]
    notices = await notices_of(relais, "marie")
    assert notices.count("dit avoir trouvé un travail") == 1
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:cf:{outcomes[0].id}"))
    assert "Confirmé. Bravo à Amina !" in marie.text
    # a job told after the confirmation is a new job
    await amina.play("> /menu\n> [J'ai trouvé un travail !]\n> [Intérim]\n> 15/12/2026")
    async with relais.storage.transaction() as tx:
        assert len(await tx.outcomes_of(amina_id)) == 2
    assert "dit avoir trouvé un travail : Intérim" in await notices_of(relais, "marie")


async def test_roles_of_centres_closed_before_the_upgrade_stay_revoked(tmp_path: Path) -> None:
    """A database from before revoked roles: a centre closed then keeps its volunteers out
    when it is re-opened."""
    old_schema = tmp_path / "migrations"
    old_schema.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[1-3]_*.sql")):
        (old_schema / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "old.sqlite3"
    storage = await Storage.open(db, clock=fixed_clock, migrations_dir=old_schema)
    async with storage.transaction() as tx:
        await tx.add_centre(Centre("paris11", "Paris 11e"))
        # a person row as the older Relais wrote it (today's load_state reads newer tables)
        marie = Person(
            "test",
            "marie",
            id=(
                await tx._fetchone(
                    "INSERT INTO persons (channel, external_id, created_at, last_seen_at)"
                    " VALUES ('test', ?, '', '') RETURNING id",
                    ("marie",),
                )
            )["id"],
        )
        assert marie.id is not None
        await tx._execute(
            "INSERT INTO roles (person_id, centre, role, granted_at) VALUES (?, 'paris11',"
            " 'volunteer', '2026-01-01T00:00:00+00:00')",
            (marie.id,),
        )
        await tx._execute("UPDATE centres SET removed_at = '2026-06-01T00:00:00+00:00'")
    await storage.close()
    storage = await Storage.open(db, clock=fixed_clock)
    try:
        async with storage.transaction() as tx:
            await tx.add_centre(Centre("paris11", "Paris 11e"))
            roles, told = await tx.roles_of(marie.id), await tx.had_role(marie.id)
    finally:
        await storage.close()
    assert roles == ()
    assert told  # "your centre closed", not "unknown command"


async def test_a_new_coordinator_is_told_about_team(relais: Relais) -> None:
    invitation = await relais.invite("paris11", "coordinator", created_by=None)
    assert invitation is not None
    sophie = Conversation(relais, user="sophie")
    await sophie.play(
        f"""
        > /start
        > [Français]
        > {invitation[0]}
        < Bienvenue dans l'équipe
        """
    )
    assert "/team : l'équipe du centre" in sophie.text


async def open_centres(relais: Relais) -> tuple[Centre, ...]:
    """The centres people can choose now."""
    async with relais.storage.transaction() as tx:
        return (await relais.world(tx)).centres
