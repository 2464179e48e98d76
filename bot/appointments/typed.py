"""An answer to an appointment typed rather than pressed: people write "je peux pas venir",
"oui j'arrive" or "так" under a reminder, as in any messaging app.

Text typed at the menu (naming none of its choices) within two days of a confirmation, change
or reminder whose appointment is still ahead is read against that message's three answers
(their words, a typo, yes for "I'll come" and no for "I can't come"): one found is that button
pressed. Nothing found: the person is shown the buttons again with a word on how to answer,
rather than the menu's "choose with the buttons", which would lose what they meant.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.appointments import lifecycle, messages
from bot.core import answers, words
from bot.core.domain import Message, Person
from bot.core.i18n import N_, Catalogs
from bot.core.matching import match_meaning, match_options
from bot.storage.database import Tx

# how long after a message its answers are what typed text means
RECENT = timedelta(days=2)
ANSWERED_KINDS = (lifecycle.CONFIRMED, lifecycle.REMINDER, lifecycle.CHANGED)
# the share of the words only one answer has that a sentence must contain to mean it
SHARE = 0.6

T_HOW_TO_ANSWER = N_(
    "Pour répondre au rendez-vous du {when}, appuyez sur un des boutons ci-dessous."
)


async def typed_answer(
    tx: Tx, catalogs: Catalogs, person: Person, text: str, now: datetime
) -> str | Message | None:
    """The button data the typed `text` stands for, or a message showing the answers again
    when it names none of them; None when no appointment message is waiting for an answer."""
    if person.id is None:
        return None
    number = await tx.latest_answerable(person.id, ANSWERED_KINDS, now - RECENT)
    started = await tx.started_message(number) if number is not None else None
    if started is None:
        return None
    appointment = await tx.appointment(int(started.params.get("appointment", 0) or 0))
    if (
        appointment is None
        or appointment.person_id != person.id
        or appointment.version != started.params.get("version")
        or not appointment.ahead(now)
    ):
        return None
    t = catalogs.get(person.locale)
    rows = messages.answer_buttons(t, started)
    labels = [b.label for row in rows for b in row]
    options = list(zip(messages.ANSWER_CHOICES, labels, strict=True))
    choice = _meant(options, answers.normalise_label(text), words.lexicon(catalogs, person.locale))
    if choice is not None:
        return started.button_data(choice)
    when = messages.when_of(t, started.params)
    return Message(t.gettext(T_HOW_TO_ANSWER, when=when), rows, rtl=t.rtl)


def _meant(options: list[tuple[str, str]], typed: str, lexicon: answers.Lexicon) -> str | None:
    """The answer a normalised typed text means, or None when it is not clear: a label named
    as buttons are (its start, a key word, a typo); a yes or a no first ("oui j'arrive",
    "non"); else most of the words only one label has ("je peux pas venir" for "Je ne peux
    pas venir"). "Je viendrai pas" is not clear: a word of negation with "I'll come"."""
    found = match_options(options, typed) or match_meaning(options, typed, lexicon)
    if len(found) == 1:
        return found[0]
    said = typed.split()
    if not said:
        return None
    negated = bool(set(said) & lexicon.negations)
    if said[0] in lexicon.no:
        return messages.CANNOT
    if said[0] in lexicon.yes and not negated:
        return messages.COME
    words_of = {value: set(answers.normalise_label(label).split()) for value, label in options}
    likely = []
    for value, mine in words_of.items():
        own = mine.difference(*(w for v, w in words_of.items() if v != value))
        if own and len(own & set(said)) / len(own) > SHARE:
            likely.append(value)
    if len(likely) != 1 or (likely[0] == messages.COME and negated):
        return None
    return likely[0]
