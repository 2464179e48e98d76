"""The volunteer desk: commands and buttons only volunteers, coordinators and admins see.

Joining with an invitation code is open to everyone; every other command here is answered as
an unknown command for anyone without a role (the engine does that: `handle` returns None).
Desk buttons carry "V:<verb>:<args>" and no question counter: they stay usable in notices, and
every press checks again that the person may do it. A person outside the volunteer's centres
gets the same answer as a person who does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.core import answers
from bot.core.domain import (
    Button,
    Centre,
    Effect,
    EventKind,
    Frame,
    Inbound,
    Message,
    Person,
    Reply,
    State,
)
from bot.core.engine import T_STALE
from bot.core.i18n import N_, Catalogs, Translator
from bot.core.ids import parse_id
from bot.core.render import Renderer
from bot.desk import about, stats
from bot.desk.domain import (
    CONTRACT_LABELS,
    OUTCOME_KINDS,
    OUTCOME_LABELS,
    Access,
    Beneficiary,
    Filter,
    Role,
    code_hash,
    new_code,
    normalise_code,
    person_name,
    profile_name,
)
from bot.desk.notices import notify
from bot.desk.team_commands import TEAM_VERBS, TeamAnswer, TeamDesk
from bot.documents.maker import Documents
from bot.privacy.erasure import AUDIT_LINES as ERASURE_LINES
from bot.storage.database import Tx, to_text

PAGE_SIZE = 8
NOTE_MAX = 500
JOIN_ATTEMPTS = 5  # wrong codes allowed per hour: codes cannot be guessed by trying
SUMMARY_STEPS = ("summary", "plan_now", "plan_later", "next_actions")
CENTRE_ID = re.compile(r"^[a-z0-9_-]{1,32}$")

# -- texts (French reference; the volunteer reads them in their own language) -----------
T_NOT_FOUND = N_("Je ne trouve pas cette personne parmi celles de votre centre.")
T_LIST_HEAD = N_("Personnes suivies ({filter}) – page {page} sur {pages}")
T_LIST_EMPTY = N_("Personne dans cette liste pour l'instant.")
F_LABELS = {
    Filter.ALL: N_("Toutes"),
    Filter.NEW: N_("Premier contact"),
    Filter.CV: N_("CV à vérifier"),
    Filter.SEARCHING: N_("En recherche"),
}
CV_STATUS = {
    "none": N_("pas de CV"),
    "to_check": N_("CV à vérifier"),
    "checked": N_("CV qualifié"),
    "to_fix": N_("CV à corriger"),
}
T_SEARCHING = N_("en recherche")
T_PROFILE_HEAD = N_("{name} (n° {id}) – {centre}")
T_LAST_SEEN = N_("Dernier message : {date}")
T_PHONE = N_("Téléphone : {phone}")
T_CV_LINE = N_("CV : {status}")
T_NOTE_LINE = N_("À corriger : {note}")
T_SEARCH_YES = N_("Recherche active : oui")
T_SEARCH_NO = N_("Recherche active : non")
T_CONTACT_YES = N_("Premier contact : {date}")
T_CONTACT_NO = N_("Premier contact : pas encore")
T_OUTCOME_LINE = N_("Résultat : {outcome} ({date})")
T_TO_CONFIRM = N_("à confirmer")
T_NO_ASSESSMENT = N_("Bilan : pas encore fait.")
T_PROPOSABLE = N_("Peut être proposé(e) aux employeurs : CV qualifié et recherche active.")
T_ACTIONS = N_("Que faire pour {name} ?")
B_CV = N_("📄 Voir le CV")
B_CHECK = N_("✅ CV qualifié")
B_FIX = N_("✏️ CV à corriger")
B_SEARCH_ON = N_("🔎 Marquer « en recherche »")
B_SEARCH_OFF = N_("Ne plus marquer « en recherche »")
B_CONTACT = N_("📞 Premier contact fait")
B_OUTCOME = N_("🏁 Noter un résultat")
B_LIST = N_("↩ Liste")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")
T_CV_OF = N_("Le CV de {name} :")
T_NO_CV = N_("{name} n'a pas encore de CV.")
T_CHECKED = N_("C'est noté : le CV de {name} est qualifié.")
T_CHECKED_NOTICE = N_(
    "Bonne nouvelle : un bénévole a vérifié votre CV. "
    "Il peut maintenant être envoyé aux employeurs."
)
T_ASK_NOTE = N_(
    "Écrivez en quelques mots ce que {name} doit corriger dans son CV.\n"
    "La personne le recevra tel quel. Pour annuler, écrivez /people."
)
T_NOTE_EMPTY = N_("Écrivez la note, s'il vous plaît (500 caractères au plus).")
T_NOTE_SENT = N_("C'est envoyé à {name}.")
T_FIX_NOTICE = N_(
    "Un bénévole a relu votre CV. Voici ce qu'il faut corriger :\n« {note} »\n"
    "Vous pouvez le corriger dans « Mon CV », depuis le menu."
)
T_SEARCH_SET = N_("C'est noté : {name} est en recherche active.")
T_SEARCH_UNSET = N_("C'est noté : {name} n'est plus marqué(e) « en recherche ».")
T_CONTACT_SET = N_("C'est noté : premier contact avec {name}.")
T_SELF = N_("C'est votre propre dossier : un autre bénévole doit s'en occuper.")
T_OUTCOME_ASK = N_("Quel résultat pour {name} ?")
T_CONTRACT_ASK = N_("Quel contrat ?")
T_DATE_ASK = N_("À quelle date ? Écrivez-la (par exemple {example}) ou choisissez :")
B_TODAY = N_("Aujourd'hui")
B_YESTERDAY = N_("Hier")
T_OUTCOME_SAVED = N_("C'est noté pour {name} : {outcome}, le {date}.")
T_HELP_TAKEN = N_("Merci ! Vous vous occupez de {name}.")
T_HELP_ALREADY = N_("Un autre bénévole s'occupe déjà de cette demande.")
T_HELP_TAKEN_NOTICE = N_("Un bénévole a vu votre demande. Il va vous contacter.")
B_OPEN = N_("Voir la fiche")
T_CONFIRMED = N_("Confirmé. Bravo à {name} !")
T_ALREADY_CONFIRMED = N_("Ce résultat est déjà confirmé.")
T_CONFIRMED_NOTICE = N_("Un bénévole a confirmé votre nouveau travail. Bravo !")
T_JOIN_UNKNOWN = N_("Ce code ne marche pas. Vérifiez-le, ou demandez un nouveau code.")
T_JOIN_USED = N_("Ce code a déjà servi : il ne marche qu'une fois. Demandez un nouveau code.")
T_JOIN_EXPIRED = N_("Ce code a expiré. Demandez un nouveau code.")
T_JOIN_LOCKED = N_("Trop d'essais. Réessayez dans une heure.")
T_JOINED = N_(
    "Bienvenue dans l'équipe de {centre} !\n"
    "/people : les personnes suivies\n/person <n°> : ouvrir une fiche"
)
T_JOINED_COORDINATOR = N_(
    "Vous coordonnez {centre}.\n/invite : inviter un bénévole\n/stats : les résultats du centre\n"
    "/team : l'équipe du centre"
)
ROLE_LABELS = {"volunteer": N_("bénévole"), "coordinator": N_("coordinateur ou coordinatrice")}
T_INVITE = N_(
    "Code d'invitation pour {centre} ({role}) :\n{code}\n"
    "Il marche une fois, jusqu'au {date}. La personne l'envoie au bot."
)
T_INVITE_LINK = N_("Ou elle ouvre ce lien : {link}")
T_INVITE_WHICH = N_("Pour quel centre ?")
T_INVITE_USAGE = N_("Écrivez /invite <centre> ou /invite <centre> coordinator. Centres : {centres}")
T_NOT_ALLOWED = N_("Seuls les coordinateurs et les admins peuvent faire cela.")
T_AUDIT_HEAD = N_("Journal des accès, du plus récent au plus ancien :")
T_AUDIT_LINE = N_("{at} – {actor} a ouvert {what} de la personne n° {subject}")
AUDIT_WHAT = {"profile": N_("la fiche"), "cv": N_("le CV")}
# actions that are not the opening of a page or a CV: their whole line
AUDIT_LINES = {
    "phone": N_("{at} – {actor} a vu le téléphone de la personne n° {subject}"),
    "team_removed": N_("{at} – {actor} a retiré la personne n° {subject} de l'équipe"),
    "export": N_("{at} – {actor} a demandé ses propres données"),
}
T_AUDIT_OTHER = N_("{at} – {actor} : {action}, personne n° {subject}")
T_AUDIT_EMPTY = N_("Aucune consultation pour l'instant.")
T_CENTRES_HEAD = N_("Centres :")
T_CENTRE_LINE = N_("{id} – {name} ({people})")
T_CENTRE_USAGE = N_(
    "Pour ajouter : /centre add <id> | <nom> | <adresse> | <horaires>\n"
    "Pour fermer : /centre remove <id>"
)
T_CENTRE_ADDED = N_("Centre {id} ajouté.")
T_CENTRE_EXISTS = N_("Le centre {id} existe déjà.")
T_CENTRE_BAD_ID = N_("Un identifiant de centre : 32 lettres a-z, chiffres, _ ou - au plus.")
T_CENTRE_REMOVED = N_(
    "Centre {id} fermé ({people}). Chacun garde ses réponses et choisira un autre centre "
    "à son prochain message."
)
T_CENTRE_UNKNOWN = N_("Je ne connais pas le centre {id}.")
T_CENTRE_LAST = N_("C'est le dernier centre : ajoutez-en un autre avant de le fermer.")
T_CENTRE_CLOSED = N_(
    "Votre centre a fermé : vous ne voyez plus ses personnes. "
    "Pour aider dans un autre centre, demandez un code à son coordinateur."
)
T_PERSON_USAGE = N_("Écrivez /person suivi du numéro de la personne, par exemple : /person 12")

DESK_COMMANDS = ("people", "person", "invite", "stats", "audit", "centre", "team")
# shown in the app's command menu of each volunteer (Telegram), by role
TEAM_COMMANDS = {
    "people": N_("Les personnes suivies"),
    "person": N_("Ouvrir une fiche par son numéro"),
    "invite": N_("Inviter un bénévole"),
    "stats": N_("Les résultats du centre"),
    "team": N_("L'équipe du centre"),
}
COORDINATOR_ONLY = ("invite", "stats", "team")


def team_command_names(roles: tuple[Role, ...]) -> list[str]:
    """The desk commands of a person's app menu for their roles (none: a beneficiary's menu)."""
    if not roles:
        return []
    coordinator = any(r.role == "coordinator" for r in roles)
    return [c for c in TEAM_COMMANDS if coordinator or c not in COORDINATOR_ONLY]


@dataclass
class _Out:
    messages: list[Message] = field(default_factory=list)
    echo: str | None = None
    effects: list[Effect] = field(default_factory=list)

    def add(self, answer: TeamAnswer) -> None:
        """Take what a capability of the desk answered."""
        self.messages += answer.messages
        self.echo = answer.echo or self.echo
        self.effects += answer.effects


class Desk:
    """Volunteer commands and buttons, over the database."""

    def __init__(
        self,
        catalogs: Catalogs,
        render: Renderer,
        documents: Documents,
        admins: tuple[str, ...],
        invite_days: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.catalogs = catalogs
        self.render = render
        self.documents = documents
        self.admins = admins
        self.invite_days = invite_days
        self.clock = clock
        self.bot_username = ""  # set by the Telegram channel, for invitation links
        self.team = TeamDesk(catalogs, admins, self._centre_name, team_command_names, ROLE_LABELS)

    async def access(self, tx: Tx, person: Person) -> Access:
        """What this person may do on the volunteer side."""
        assert person.id is not None
        admin = person.external_id in self.admins
        return Access(person.id, await tx.roles_of(person.id), admin)

    # -- entry point -----------------------------------------------------------------------

    async def handle(self, tx: Tx, st: State, event: Inbound) -> Reply | None:
        """Answer a desk event, or None when the event is for the engine."""
        code = self._code_in(event)
        if code is not None:
            return await self._join(tx, st, code)
        desk_event = (event.kind == EventKind.BUTTON and event.data.startswith("V:")) or (
            event.kind == EventKind.COMMAND and event.command in DESK_COMMANDS
        )
        if event.kind in (EventKind.BUTTON, EventKind.COMMAND) and not desk_event:
            # leaving for the menu or a flow drops the desk's question: the next typed text
            # is an answer to the flow, not a note for a beneficiary
            st.session.desk.pop("await", None)
            return None
        access = await self.access(tx, st.person)
        if not access.is_team:
            closed = event.kind == EventKind.COMMAND and event.command in DESK_COMMANDS
            if closed and await tx.had_role(access.person_id):
                t = self.catalogs.get(st.person.locale)
                return Reply((Message(t.gettext(T_CENTRE_CLOSED), rtl=t.rtl),))
            return None  # the engine answers as to anyone: unknown command, stale button
        out = _Out()
        t = self.catalogs.get(st.person.locale)
        pending = st.session.desk.get("await")
        with about.noting() as shown:
            if event.kind == EventKind.COMMAND and event.command in DESK_COMMANDS:
                st.session.desk.pop("await", None)
                await self._command(tx, st, access, event, out, t)
            elif event.kind == EventKind.BUTTON:
                await self._button(tx, st, access, event.data.split(":")[1:], out, t)
            elif event.kind == EventKind.TEXT and pending:
                await self._typed(tx, st, access, event.text, out, t)
            else:
                return None
        # the answer goes with the person it shows: erasing them removes it if still queued
        effects = tuple(out.effects) + about.effect(shown)
        return Reply(tuple(out.messages), out.echo, effects=effects)

    def _code_in(self, event: Inbound) -> str | None:
        if event.kind == EventKind.COMMAND and event.command in ("join", "start") and event.text:
            return normalise_code(event.text) or ("" if event.command == "join" else None)
        if event.kind == EventKind.COMMAND and event.command == "join":
            return ""
        if event.kind == EventKind.TEXT:
            return normalise_code(event.text)
        return None

    # -- joining ---------------------------------------------------------------------------

    async def _join(self, tx: Tx, st: State, code: str) -> Reply:
        t = self.catalogs.get(st.person.locale)
        desk = st.session.desk
        now = self.clock()
        window_start = desk.get("fails_since", "")
        if not window_start or datetime.fromisoformat(window_start) < now - timedelta(hours=1):
            desk["fails_since"], desk["fails"] = now.isoformat(), 0
        if desk.get("fails", 0) >= JOIN_ATTEMPTS:
            return Reply((Message(t.gettext(T_JOIN_LOCKED), rtl=t.rtl),))
        assert st.person.id is not None
        result = await tx.redeem_invite(code_hash(code), st.person.id) if code else "unknown"
        if isinstance(result, str):
            if result == "unknown":  # only wrong codes count: guessing is what we slow down
                desk["fails"] = desk.get("fails", 0) + 1
            reason = {"used": T_JOIN_USED, "expired": T_JOIN_EXPIRED}.get(result, T_JOIN_UNKNOWN)
            return Reply((Message(t.gettext(reason), rtl=t.rtl),))
        desk.pop("fails", None)
        desk.pop("fails_since", None)
        centre, role = result
        name = self._centre_name(centre)
        text = t.gettext(T_JOINED, centre=name)
        if role == "coordinator":
            text += "\n" + t.gettext(T_JOINED_COORDINATOR, centre=name)
        names = team_command_names(await tx.roles_of(st.person.id))
        menu = Effect("team_commands", {"commands": names, "locale": st.person.locale or ""})
        return Reply((Message(text, rtl=t.rtl),), effects=(menu,))

    # -- commands --------------------------------------------------------------------------

    async def _command(
        self, tx: Tx, st: State, access: Access, event: Inbound, out: _Out, t: Translator
    ) -> None:
        args = event.text.split()
        if event.command == "people":
            await self._list(tx, st, access, Filter.ALL, 0, out, t)
        elif event.command == "person":
            number = parse_id(args[0].lstrip("n°#")) if len(args) == 1 else None
            if number is not None:
                await self._open(tx, st, access, number, out, t)
            else:
                self._say(out, t, T_PERSON_USAGE)
        elif event.command == "invite":
            await self._invite_command(tx, st, access, args, out, t)
        elif event.command == "stats":
            await self._stats_command(tx, access, args, out, t)
        elif event.command == "audit":
            await self._audit(tx, access, out, t)
        elif event.command == "team":
            answer = await self.team.command(tx, access, args, self._active(), t)
            if answer is None:
                self._say(out, t, T_NOT_ALLOWED)
            else:
                out.add(answer)
        else:
            await self._centre_command(tx, access, event.text, out, t)

    # -- buttons ---------------------------------------------------------------------------

    async def _button(
        self, tx: Tx, st: State, access: Access, parts: list[str], out: _Out, t: Translator
    ) -> None:
        verb, args = (parts[0], parts[1:]) if parts else ("", [])
        numbers = [n for n in map(parse_id, args) if n is not None]
        if verb == "l" and len(args) == 2 and args[0] in set(Filter) and numbers:
            await self._list(tx, st, access, Filter(args[0]), numbers[0], out, t)
        elif verb in ("p", "cv", "ck", "fx", "sr", "fc", "o") and len(numbers) == 1:
            await self._on_person(tx, st, access, verb, numbers[0], out, t)
        elif verb == "ok" and len(args) == 2 and numbers and args[1] in OUTCOME_KINDS:
            await self._outcome_kind(tx, st, access, numbers[0], args[1], out, t)
        elif verb == "oc" and len(args) == 2 and numbers and args[1] in CONTRACT_LABELS:
            await self._outcome_contract(tx, st, access, numbers[0], args[1], out, t)
        elif verb == "od" and len(args) == 1 and args[0] in ("today", "yesterday"):
            today = self.render.today()
            day = today if args[0] == "today" else today - timedelta(days=1)
            await self._outcome_date(tx, st, access, day, out, t)
        elif verb == "h" and len(numbers) == 1:
            await self._take_help(tx, st, access, numbers[0], out, t)
        elif verb == "cf" and len(numbers) == 1:
            await self._confirm(tx, st, access, numbers[0], out, t)
        elif verb == "iv" and len(args) == 2:
            await self._invite(tx, st, access, args[0], args[1], out, t)
        elif verb == "sc" and len(args) == 2:
            self._stats_csv(access, args[0], args[1], out, t)
        elif verb in TEAM_VERBS and (
            answer := await self.team.button(tx, access, verb, args, self._active(), t)
        ):
            out.add(answer)
        else:
            self._say(out, t, T_STALE)

    # -- the list and one person -----------------------------------------------------------

    def _active(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.render.centres)

    def _centre_name(self, centre: str | None) -> str:
        return next((c.name for c in self.render.centres if c.id == centre), centre or "–")

    async def _list(
        self,
        tx: Tx,
        st: State,
        access: Access,
        which: Filter,
        page: int,
        out: _Out,
        t: Translator,
    ) -> None:
        centres = access.centres(self._active())
        people, total = await tx.list_beneficiaries(
            centres, which, page * PAGE_SIZE, PAGE_SIZE, exclude=access.person_id
        )
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages and total:
            page = pages - 1
            people, total = await tx.list_beneficiaries(
                centres, which, page * PAGE_SIZE, PAGE_SIZE, exclude=access.person_id
            )
        head = t.gettext(T_LIST_HEAD, filter=t.gettext(F_LABELS[which]), page=page + 1, pages=pages)
        lines = [head, t.ngettext("{n} personne", "{n} personnes", total)]
        if not people:
            lines.append(t.gettext(T_LIST_EMPTY))
        rows: list[tuple[Button, ...]] = []
        filters = [
            Button(("• " if f == which else "") + t.gettext(F_LABELS[f]), f"V:l:{f.value}:0")
            for f in Filter
        ]
        rows += [tuple(filters[:2]), tuple(filters[2:])]
        for person in people:
            about.shown(person.id)  # the list names them: erased with any of them
            rows.append((Button(self._row_label(person, t), f"V:p:{person.id}"),))
        nav = []
        if page > 0:
            nav.append(Button(t.gettext(B_PREV), f"V:l:{which.value}:{page - 1}"))
        if page + 1 < pages:
            nav.append(Button(t.gettext(B_NEXT), f"V:l:{which.value}:{page + 1}"))
        if nav:
            rows.append(tuple(nav))
        out.messages.append(Message("\n".join(lines), tuple(rows), rtl=t.rtl))

    def _row_label(self, person: Beneficiary, t: Translator) -> str:
        name = person_name(person.first_name, person.last_name, person.id, t)
        parts = [name, t.gettext(CV_STATUS[person.followup.cv_status])]
        if person.followup.searching:
            parts.append(t.gettext(T_SEARCHING))
        return " · ".join(parts)[:60]

    async def subject(
        self, tx: Tx, access: Access, person_id: int
    ) -> tuple[Person, dict[str, Any]] | None:
        """The person if this volunteer may see them (same answer for unknown and forbidden)."""
        person = await tx.person_by_id(person_id)
        if (
            person is None
            or not person.consent
            or person.centre not in access.centres(self._active())
            or await tx.roles_of(person_id)
        ):
            return None
        about.shown(person_id)
        return person, await tx.profile_of(person_id)

    async def _on_person(
        self, tx: Tx, st: State, access: Access, verb: str, person_id: int, out: _Out, t: Translator
    ) -> None:
        if verb == "p":
            await self._open(tx, st, access, person_id, out, t)
            return
        found = await self.subject(tx, access, person_id)
        if found is None:
            self._say(out, t, T_NOT_FOUND)
            return
        person, profile = found
        name = profile_name(profile, person_id, t)
        now = to_text(self.clock())
        has_cv = bool(profile.get("last_name"))
        if verb == "cv":
            if not has_cv:
                self._say(out, t, T_NO_CV, name=name)
                return
            await tx.audit(access.person_id, person_id, "cv")
            out.messages.append(
                Message(t.gettext(T_CV_OF, name=name), rtl=t.rtl, document=f"cv_pdf:{person_id}")
            )
        elif verb == "ck" and has_cv:
            await tx.update_followup(
                person_id,
                cv_status="checked",
                cv_note=None,
                cv_checked_by=access.person_id,
                cv_checked_at=now,
            )
            await notify(tx, self.catalogs, person, T_CHECKED_NOTICE)
            self._say(out, t, T_CHECKED, name=name)
            await self._open(tx, st, access, person_id, out, t)
        elif verb == "fx" and has_cv:
            st.session.desk["await"] = "note"
            st.session.desk["person"] = person_id
            self._say(out, t, T_ASK_NOTE, name=name)
        elif verb in ("ck", "fx"):
            self._say(out, t, T_NO_CV, name=name)
        elif verb == "sr":
            searching = not (await tx.followup_of(person_id)).searching
            await tx.update_followup(person_id, searching=int(searching))
            self._say(out, t, T_SEARCH_SET if searching else T_SEARCH_UNSET, name=name)
            await self._open(tx, st, access, person_id, out, t)
        elif verb == "fc":
            await tx.update_followup(person_id, first_contact_at=now)
            self._say(out, t, T_CONTACT_SET, name=name)
            await self._open(tx, st, access, person_id, out, t)
        else:  # "o": record an outcome
            rows = tuple(
                (Button(t.gettext(label), f"V:ok:{person_id}:{kind}"),)
                for kind, label in OUTCOME_LABELS.items()
            )
            out.messages.append(Message(t.gettext(T_OUTCOME_ASK, name=name), rows, rtl=t.rtl))

    async def _open(
        self,
        tx: Tx,
        st: State,
        access: Access,
        person_id: int,
        out: _Out,
        t: Translator,
    ) -> None:
        """A person's page: status, self-assessment summary and plan, and what can be done."""
        if person_id == access.person_id:
            self._say(out, t, T_SELF)
            return
        found = await self.subject(tx, access, person_id)
        if found is None:
            self._say(out, t, T_NOT_FOUND)
            return
        person, profile = found
        await tx.audit(access.person_id, person_id, "profile")  # every view, after any action
        follow = await tx.followup_of(person_id)
        name = profile_name(profile, person_id, t)
        lines = [
            t.gettext(
                T_PROFILE_HEAD, name=name, id=person_id, centre=self._centre_name(person.centre)
            )
        ]
        if profile.get("phone"):
            lines.append(t.gettext(T_PHONE, phone=answers.format_phone(profile["phone"])))
        lines.append(t.gettext(T_CV_LINE, status=t.gettext(CV_STATUS[follow.cv_status])))
        if follow.cv_status == "to_fix" and follow.cv_note:
            lines.append(t.gettext(T_NOTE_LINE, note=follow.cv_note))
        lines.append(t.gettext(T_SEARCH_YES if follow.searching else T_SEARCH_NO))
        if follow.first_contact_at:
            lines.append(t.gettext(T_CONTACT_YES, date=t.date(follow.first_contact_at.date())))
        else:
            lines.append(t.gettext(T_CONTACT_NO))
        for outcome in (await tx.outcomes_of(person_id))[:3]:
            what = t.gettext(OUTCOME_LABELS[outcome.kind])
            if outcome.contract:
                what += f" ({t.gettext(CONTRACT_LABELS[outcome.contract])})"
            if not outcome.confirmed:
                what += f" – {t.gettext(T_TO_CONFIRM)}"
            lines.append(t.gettext(T_OUTCOME_LINE, outcome=what, date=t.date(outcome.happened_on)))
        if follow.can_be_proposed:
            lines.append(t.gettext(T_PROPOSABLE))
        out.messages.append(Message("\n".join(lines), rtl=t.rtl))
        summary = self._assessment(st, profile)
        out.messages.append(Message(summary or t.gettext(T_NO_ASSESSMENT), rtl=t.rtl))
        rows: list[tuple[Button, ...]] = []
        if profile.get("last_name"):
            rows.append((Button(t.gettext(B_CV), f"V:cv:{person_id}"),))
            if follow.cv_status != "checked":
                rows.append((Button(t.gettext(B_CHECK), f"V:ck:{person_id}"),))
            rows.append((Button(t.gettext(B_FIX), f"V:fx:{person_id}"),))
        search = B_SEARCH_OFF if follow.searching else B_SEARCH_ON
        rows.append((Button(t.gettext(search), f"V:sr:{person_id}"),))
        if not follow.first_contact_at:
            rows.append((Button(t.gettext(B_CONTACT), f"V:fc:{person_id}"),))
        rows.append((Button(t.gettext(B_OUTCOME), f"V:o:{person_id}"),))
        rows.append((Button(t.gettext(B_LIST), "V:l:all:0"),))
        out.messages.append(Message(t.gettext(T_ACTIONS, name=name), tuple(rows), rtl=t.rtl))

    def _assessment(self, st: State, profile: dict[str, Any]) -> str:
        """The person's self-assessment summary and plan, in the volunteer's language."""
        flow = self.render.flows.flows.get("self_assessment")
        if flow is None or "income_urgency" not in profile:
            return ""
        reader = State(replace(st.person, centre=None), profile=profile)
        frame = Frame(flow=flow.id, step=flow.start)
        texts = [
            self.render.message_text(reader, frame, flow.steps[sid])
            for sid in SUMMARY_STEPS
            if sid in flow.steps
        ]
        return "\n\n".join(text for text in texts if text)

    # -- typed answers to the desk's questions ---------------------------------------------

    async def _typed(
        self, tx: Tx, st: State, access: Access, text: str, out: _Out, t: Translator
    ) -> None:
        desk = st.session.desk
        found = await self.subject(tx, access, int(desk.get("person", 0)))
        if found is None:
            desk.pop("await", None)
            self._say(out, t, T_NOT_FOUND)
            return
        person, profile = found
        name = profile_name(profile, person.id or 0, t)
        if desk["await"] == "note":
            note = answers.parse_text(text, 1, NOTE_MAX)
            if isinstance(note, answers.Invalid):
                self._say(out, t, T_NOTE_EMPTY)
                return
            desk.pop("await")
            assert person.id is not None
            await tx.update_followup(person.id, cv_status="to_fix", cv_note=note)
            await notify(tx, self.catalogs, person, T_FIX_NOTICE, note=note)
            self._say(out, t, T_NOTE_SENT, name=name)
        else:
            today = self.render.today()
            day = answers.parse_date(text, today, today - timedelta(days=3650), today)
            if isinstance(day, answers.Invalid):
                self._say(out, t, day.reason, **day.params)
                self._ask_date(out, t)
                return
            await self._outcome_date(tx, st, access, day, out, t)

    # -- outcomes --------------------------------------------------------------------------

    async def _outcome_kind(
        self, tx: Tx, st: State, access: Access, person_id: int, kind: str, out: _Out, t: Translator
    ) -> None:
        if await self.subject(tx, access, person_id) is None:
            self._say(out, t, T_NOT_FOUND)
            return
        out.echo = t.gettext(OUTCOME_LABELS[kind])
        if kind == "job":
            rows = tuple(
                (Button(t.gettext(label), f"V:oc:{person_id}:{contract}"),)
                for contract, label in CONTRACT_LABELS.items()
            )
            out.messages.append(Message(t.gettext(T_CONTRACT_ASK), rows, rtl=t.rtl))
            return
        st.session.desk.update({"await": "date", "person": person_id, "kind": kind})
        st.session.desk.pop("contract", None)
        self._ask_date(out, t)

    async def _outcome_contract(
        self,
        tx: Tx,
        st: State,
        access: Access,
        person_id: int,
        contract: str,
        out: _Out,
        t: Translator,
    ) -> None:
        if await self.subject(tx, access, person_id) is None:
            self._say(out, t, T_NOT_FOUND)
            return
        out.echo = t.gettext(CONTRACT_LABELS[contract])
        st.session.desk.update(
            {"await": "date", "person": person_id, "kind": "job", "contract": contract}
        )
        self._ask_date(out, t)

    def _ask_date(self, out: _Out, t: Translator) -> None:
        example = self.render.today().strftime("%d/%m/%Y")
        rows = (
            (
                Button(t.gettext(B_TODAY), "V:od:today"),
                Button(t.gettext(B_YESTERDAY), "V:od:yesterday"),
            ),
        )
        out.messages.append(Message(t.gettext(T_DATE_ASK, example=example), rows, rtl=t.rtl))

    async def _outcome_date(
        self, tx: Tx, st: State, access: Access, day: date, out: _Out, t: Translator
    ) -> None:
        desk = st.session.desk
        if desk.get("await") != "date":
            self._say(out, t, T_STALE)
            return
        person_id = int(desk.get("person", 0))
        found = await self.subject(tx, access, person_id)
        kind, contract = desk.get("kind", ""), desk.get("contract")
        for key in ("await", "person", "kind", "contract"):
            desk.pop(key, None)
        if found is None or kind not in OUTCOME_KINDS:
            self._say(out, t, T_NOT_FOUND)
            return
        person, profile = found
        assert person.centre is not None
        await tx.add_outcome(person_id, person.centre, kind, contract, day, access.person_id, True)
        if kind in ("job", "stopped", "moved"):
            await tx.update_followup(person_id, searching=0)
        name = profile_name(profile, person_id, t)
        what = t.gettext(OUTCOME_LABELS[kind])
        if contract:
            what += f" ({t.gettext(CONTRACT_LABELS[contract])})"
        self._say(out, t, T_OUTCOME_SAVED, name=name, outcome=what, date=t.date(day))

    async def _confirm(
        self, tx: Tx, st: State, access: Access, outcome_id: int, out: _Out, t: Translator
    ) -> None:
        outcome = await tx.outcome(outcome_id)
        found = await self.subject(tx, access, outcome.person_id) if outcome else None
        # the outcome's centre too: the person may have moved to a centre this volunteer sees
        if outcome is None or found is None or outcome.centre not in access.centres(self._active()):
            self._say(out, t, T_NOT_FOUND)
            return
        person, profile = found
        name = profile_name(profile, outcome.person_id, t)
        if not await tx.confirm_outcome(outcome_id, access.person_id):
            self._say(out, t, T_ALREADY_CONFIRMED)
            return
        await tx.update_followup(outcome.person_id, searching=0)
        await notify(tx, self.catalogs, person, T_CONFIRMED_NOTICE)
        self._say(out, t, T_CONFIRMED, name=name)

    # -- help requests ---------------------------------------------------------------------

    async def _take_help(
        self, tx: Tx, st: State, access: Access, request_id: int, out: _Out, t: Translator
    ) -> None:
        request = await tx.help_request(request_id)
        found = await self.subject(tx, access, request.person_id) if request else None
        if request is None or found is None or request.centre not in access.centres(self._active()):
            self._say(out, t, T_NOT_FOUND)
            return
        if not await tx.take_help_request(request_id, access.person_id):
            self._say(out, t, T_HELP_ALREADY)
            return
        person, profile = found
        await tx.update_followup(request.person_id, first_contact_at=to_text(self.clock()))
        await notify(tx, self.catalogs, person, T_HELP_TAKEN_NOTICE)
        name = profile_name(profile, request.person_id, t)
        lines = [t.gettext(T_HELP_TAKEN, name=name)]
        if profile.get("phone"):
            lines.append(t.gettext(T_PHONE, phone=answers.format_phone(profile["phone"])))
            await tx.audit(access.person_id, request.person_id, "phone")
        rows = ((Button(t.gettext(B_OPEN), f"V:p:{request.person_id}"),),)
        out.messages.append(Message("\n".join(lines), rows, rtl=t.rtl))

    # -- invitations -----------------------------------------------------------------------

    async def _invite_command(
        self, tx: Tx, st: State, access: Access, args: list[str], out: _Out, t: Translator
    ) -> None:
        active = self._active()
        allowed = [c for c in active if access.coordinates(c)]
        if not allowed:
            self._say(out, t, T_NOT_ALLOWED)
            return
        role = "coordinator" if len(args) > 1 and args[1] == "coordinator" else "volunteer"
        if args:
            await self._invite(tx, st, access, args[0], role, out, t)
        elif len(allowed) == 1:
            await self._invite(tx, st, access, allowed[0], role, out, t)
        else:
            rows = tuple((Button(self._centre_name(c), f"V:iv:{c}:volunteer"),) for c in allowed)
            out.messages.append(Message(t.gettext(T_INVITE_WHICH), rows, rtl=t.rtl))

    async def _invite(
        self, tx: Tx, st: State, access: Access, centre: str, role: str, out: _Out, t: Translator
    ) -> None:
        # only admins invite coordinators; coordinators invite volunteers of their centres
        if centre not in self._active() or role not in ROLE_LABELS:
            allowed = ", ".join(c for c in self._active() if access.coordinates(c))
            self._say(out, t, T_INVITE_USAGE, centres=allowed)
            return
        if not access.coordinates(centre) or (role == "coordinator" and not access.admin):
            self._say(out, t, T_NOT_ALLOWED)
            return
        code, expires = await create_invitation(
            tx, centre, role, access.person_id, self.clock(), self.invite_days
        )
        text = t.gettext(
            T_INVITE,
            centre=self._centre_name(centre),
            role=t.gettext(ROLE_LABELS[role]),
            code=code,
            date=t.datetime(expires),
        )
        if self.bot_username:
            link = f"https://t.me/{self.bot_username}?start={code}"
            text += "\n" + t.gettext(T_INVITE_LINK, link=link)
        # only the code's hash may be kept: the outbox deletes this message once sent
        out.messages.append(Message(text, rtl=t.rtl, sensitive=True))

    # -- statistics, audit, centres --------------------------------------------------------

    def _period(self, args: list[str]) -> tuple[date, date] | None:
        today = self.render.today()
        if not args:
            return date(today.year, 1, 1), today
        try:
            days = [date.fromisoformat(a) for a in args[:2]]
        except ValueError:
            return None
        start, end = days[0], days[1] if len(days) > 1 else today
        return (start, end) if start <= end else None

    async def _stats_command(
        self, tx: Tx, access: Access, args: list[str], out: _Out, t: Translator
    ) -> None:
        centres = tuple(c for c in self._active() if access.coordinates(c))
        if not centres:
            self._say(out, t, T_NOT_ALLOWED)
            return
        period = self._period(args)
        if period is None:
            self._say(
                out, t, N_("Écrivez /stats, ou /stats 2026-01-01 2026-06-30 pour une période.")
            )
            return
        figures = await stats.compute(tx, centres, *period)
        text = stats.format_text(figures, t, {c.id: c.name for c in self.render.centres})
        start, end = period
        rows = ((Button(t.gettext(N_("Exporter en CSV")), f"V:sc:{start}:{end}"),),)
        out.messages.append(Message(text, rows, rtl=t.rtl))

    def _stats_csv(self, access: Access, start: str, end: str, out: _Out, t: Translator) -> None:
        if not any(access.coordinates(c) for c in self._active()):
            self._say(out, t, T_NOT_ALLOWED)
            return
        out.messages.append(
            Message(
                t.gettext(N_("Les chiffres en CSV :")),
                rtl=t.rtl,
                document=f"stats_csv:{start}:{end}",
            )
        )

    async def _audit(self, tx: Tx, access: Access, out: _Out, t: Translator) -> None:
        if not access.admin:
            self._say(out, t, T_NOT_ALLOWED)
            return
        entries = await tx.audit_entries(limit=30)
        if not entries:
            self._say(out, t, T_AUDIT_EMPTY)
            return
        lines = [t.gettext(T_AUDIT_HEAD)]
        for e in entries:
            if e.action in ERASURE_LINES:  # an erasure: ids only, maybe no actor
                lines.append(
                    t.gettext(ERASURE_LINES[e.action], at=t.datetime(e.at), subject=e.subject_id)
                )
                continue
            actor_profile = await tx.profile_of(e.actor_id)
            about.shown(e.actor_id)  # the line names the volunteer
            actor = person_name(str(actor_profile.get("first_name", "")), "", e.actor_id, t)
            # "Personne n° 2" already says the number: no "(n° 2)" after it
            if actor_profile.get("first_name"):
                actor = f"{actor} (n° {e.actor_id})"
            who = {"at": t.datetime(e.at), "actor": actor}
            if e.action in AUDIT_WHAT:
                what = t.gettext(AUDIT_WHAT[e.action])
                lines.append(t.gettext(T_AUDIT_LINE, what=what, subject=e.subject_id, **who))
            else:
                line = AUDIT_LINES.get(e.action, T_AUDIT_OTHER)
                lines.append(t.gettext(line, subject=e.subject_id, action=e.action, **who))
        out.messages.append(Message("\n".join(lines), rtl=t.rtl))

    async def _centre_command(
        self, tx: Tx, access: Access, text: str, out: _Out, t: Translator
    ) -> None:
        if not access.admin:
            self._say(out, t, T_NOT_ALLOWED)
            return
        verb, _, rest = text.strip().partition(" ")
        if verb == "add":
            fields = [f.strip() for f in rest.split("|")]
            if len(fields) < 2 or not CENTRE_ID.match(fields[0]) or not fields[1]:
                self._say(out, t, T_CENTRE_BAD_ID if fields and fields[0] else T_CENTRE_USAGE)
                return
            centre = Centre(fields[0], fields[1][:80], *(f[:200] for f in fields[2:4]))
            added = await tx.add_centre(centre)
            self._say(out, t, T_CENTRE_ADDED if added else T_CENTRE_EXISTS, id=centre.id)
        elif verb == "remove":
            centre_id = rest.strip()
            if len(self.render.centres) <= 1 and centre_id in self._active():
                self._say(out, t, T_CENTRE_LAST)
                return
            count = await tx.remove_centre(centre_id)
            if count is None:
                self._say(out, t, T_CENTRE_UNKNOWN, id=centre_id)
                return
            people = t.ngettext("{n} personne", "{n} personnes", count)
            self._say(out, t, T_CENTRE_REMOVED, id=centre_id, people=people)
        else:
            lines = [t.gettext(T_CENTRES_HEAD)]
            for c in self.render.centres:
                _, n = await tx.list_beneficiaries((c.id,), Filter.ALL, 0, 1)
                people = t.ngettext("{n} personne", "{n} personnes", n)
                lines.append(t.gettext(T_CENTRE_LINE, id=c.id, name=c.name, people=people))
            lines.append(t.gettext(T_CENTRE_USAGE))
            out.messages.append(Message("\n".join(lines), rtl=t.rtl))

    def _say(self, out: _Out, t: Translator, msgid: str, **params: object) -> None:
        out.messages.append(Message(t.gettext(msgid, **params), rtl=t.rtl))


async def create_invitation(
    tx: Tx, centre: str, role: str, created_by: int | None, now: datetime, days: int
) -> tuple[str, datetime]:
    """A new one-time code for a centre, and when it expires."""
    code = new_code()
    expires = now + timedelta(days=days)
    await tx.create_invite(code_hash(code), centre, role, created_by, to_text(expires))
    return code, expires
