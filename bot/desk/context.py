"""What a desk capability gets for one event: the acting person's access, their language, the
world (centres, now), the transaction, and the answer being built. Capabilities talk to each
other only through it (`press` another button, `open_flow`), never by importing each other."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from bot.config import AppointmentSettings, OfferSettings
from bot.core.domain import Centre, Effect, Message, Person, State
from bot.core.i18n import N_, Catalogs, Translator
from bot.core.ids import parse_id
from bot.core.render import Renderer
from bot.core.turn.texts import T_STALE
from bot.core.world import World
from bot.desk import about, buttons
from bot.desk.domain import Access, Role, profile_name
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx
from bot.storage.interfaces import Reading
from bot.storage.long_reads import LongRead, long_read

T = TypeVar("T")

# answers shared by every capability (French reference, read in the volunteer's language)
T_NOT_FOUND = N_("Je ne trouve pas cette personne parmi celles de votre centre.")
T_NOT_ALLOWED = N_("Seuls les coordinateurs et les admins peuvent faire cela.")
T_SELF = N_("C'est votre propre dossier : un autre bénévole doit s'en occuper.")


@dataclass(frozen=True)
class MenuEntry:
    """A desk command someone may run: its name, its line in the app's menu and its label on
    the volunteer menu (msgids; "" when it has none)."""

    name: str
    description: str
    button: str


@dataclass(frozen=True)
class Subject:
    """The person a button, command or desk flow is about, as this volunteer may see them."""

    person: Person
    profile: dict[str, Any]
    name: str  # as volunteers read it: names typed, else "Personne n° 12"

    @property
    def id(self) -> int:
        """The person's Relais id."""
        assert self.person.id is not None
        return self.person.id


@dataclass(frozen=True)
class Call:
    """What a handler is called with: a button's read arguments or a command's words, the
    person it is about (checked by the router), a finished desk flow's answers."""

    args: tuple[buttons.Value, ...] = ()
    text: str = ""  # a command's text after its name
    subject: Subject | None = None
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def words(self) -> list[str]:
        """A command's words."""
        return self.text.split()

    def id(self, index: int = 0) -> int:
        """An argument declared as Arg.ID."""
        value = self.args[index]
        assert isinstance(value, int)
        return value

    def word(self, index: int = 0) -> str:
        """An argument declared as Arg.WORD."""
        value = self.args[index]
        assert isinstance(value, str)
        return value

    def day(self, index: int = 0) -> date:
        """An argument declared as Arg.DAY."""
        value = self.args[index]
        assert isinstance(value, date)
        return value

    @property
    def who(self) -> Subject:
        """The subject of a route declared with `about`."""
        assert self.subject is not None
        return self.subject


@dataclass(frozen=True)
class Opening:
    """A desk flow to open once the handler is done: about `subject` (None: about no person,
    e.g. a job offer), with answers already known (`given`, e.g. an appointment being
    changed), at its start or at the step `at`."""

    flow: str
    subject: int | None
    given: dict[str, Any] = field(default_factory=dict)
    at: str = ""


@dataclass
class Answer:
    """The answer being built: messages, the pressed button's echo, effects, a flow to open."""

    messages: list[Message] = field(default_factory=list)
    echo: str | None = None
    effects: list[Effect] = field(default_factory=list)
    opening: Opening | None = None


@dataclass(frozen=True)
class DeskConfig:
    """The read-only configuration capabilities use."""

    catalogs: Catalogs
    admins: tuple[str, ...]
    invite_days: int
    # when messages Relais starts wait (a volunteer's message to a person too)
    quiet: QuietHours = field(default_factory=QuietHours)
    # reminders, the agenda's hour, how long an appointment lasts
    appointments: AppointmentSettings = field(default_factory=AppointmentSettings)
    # who vets job offers (and the settings of what offers bring people)
    offers: OfferSettings = field(default_factory=OfferSettings)


@dataclass
class Ctx:
    """One desk event, as a capability sees it."""

    tx: Tx
    state: State
    access: Access
    t: Translator
    world: World  # this event's moment, time zone and open centres
    render: Renderer  # the beneficiaries' texts in this world (a self-assessment summary)
    config: DeskConfig
    bot_username: str
    menu_for: Callable[[tuple[Role, ...]], list[str]]  # the app menu of someone's roles
    entries: Callable[[], list[MenuEntry]]  # the desk commands this person may run now
    out: Answer = field(default_factory=Answer)
    dropped_flow: bool = False  # a desk flow in progress was left for this command
    press: Callable[[str], Awaitable[None]] | None = None  # set by the registry
    run: Callable[[str], Awaitable[None]] | None = None  # a desk command, set by the registry

    @property
    def centres(self) -> tuple[Centre, ...]:
        """The centres open at this event."""
        return self.world.centres

    @property
    def now(self) -> datetime:
        """The moment of this event."""
        return self.world.now

    @property
    def today(self) -> date:
        """Today in the deployment's time zone."""
        return self.world.today

    @property
    def active(self) -> tuple[str, ...]:
        """The ids of the active centres."""
        return tuple(c.id for c in self.centres)

    @property
    def coordinated(self) -> tuple[str, ...]:
        """The active centres this person coordinates (all of them for an admin)."""
        return tuple(c for c in self.active if self.access.coordinates(c))

    def centre_name(self, centre: str | None) -> str:
        """A centre's name, its id when it closed."""
        return next((c.name for c in self.centres if c.id == centre), centre or "–")

    def say(self, msgid: str, **params: object) -> None:
        """Add a plain message in the volunteer's language."""
        self.out.messages.append(Message(self.t.gettext(msgid, **params), rtl=self.t.rtl))

    def stale(self) -> None:
        """Answer as to a button that no longer works (or never did)."""
        self.say(T_STALE)

    def show(self, message: Message) -> None:
        """Add a message made by the capability."""
        self.out.messages.append(message)

    async def long_read(self, read: LongRead[T]) -> T:
        """A long read (statistics, a long list): under the runtime, made beside the writer on
        the read-only connection before this event is handled (bot.storage.long_reads). The
        handler may be run twice: nothing before it may act outside the transaction."""
        return await long_read(self.tx, read)

    async def subject(self, person_id: int) -> Subject | None:
        """The person if this volunteer may see them (None alike for unknown and forbidden)."""
        found = await find_subject(self.tx, self.access, self.active, person_id)
        if found is None:
            return None
        person, profile = found
        return Subject(person, profile, profile_name(profile, person_id, self.t))

    def open_flow(
        self,
        flow: str,
        subject: Subject | None,
        given: dict[str, Any] | None = None,
        at: str = "",
    ) -> None:
        """Open a desk flow about this person (None: a flow about no one, registered with
        person=False) once the handler is done (`given`: answers it starts with, kept in the
        volunteer's session: ids and choices, never names; `at`: the step to start at)."""
        self.out.opening = Opening(flow, subject.id if subject else None, dict(given or {}), at)

    async def then_press(self, verb: str, *args: buttons.Value) -> None:
        """Go on as if this volunteer pressed another desk button (checked like a press)."""
        assert self.press is not None
        await self.press(buttons.build(verb, *args))

    async def press_for_number(self, call: Call, verb: str, usage: str) -> None:
        """A command naming one person ("/person 12", "/write n°12"): go on as if this volunteer
        pressed that button for them; without a number, say how to write it."""
        words = call.words
        number = parse_id(words[0].lstrip("n°#")) if len(words) == 1 else None
        if number is None:
            self.say(usage)
            return
        await self.then_press(verb, number)

    async def then_run(self, command: str) -> None:
        """Go on as if this volunteer typed a desk command without words (checked the same)."""
        assert self.run is not None
        await self.run(command)


async def find_subject(
    tx: Reading, access: Access, active: tuple[str, ...], person_id: int
) -> tuple[Person, dict[str, Any]] | None:
    """The one rule of who a volunteer sees: a consenting beneficiary (no role) of one of the
    active centres they work in; noted as shown by the answer being made."""
    person = await tx.person_by_id(person_id)
    if (
        person is None
        or not person.consent
        or person.centre not in access.centres(active)
        or await tx.roles_of(person_id)
    ):
        return None
    about.shown(person_id)
    return person, await tx.profile_of(person_id)
