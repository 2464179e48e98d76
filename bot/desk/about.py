"""Whom a volunteer's answer is about: the desk notes each person it shows, and the answer then
carries that person's id, so that the channel queues it with them as its subject (erasing the
person removes a page or a phone still waiting to be sent)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.core.domain import Effect, Reply

EFFECT = "about"  # the reply's effect naming the one person it shows

_shown: ContextVar[set[int] | None] = ContextVar("relais_shown", default=None)


def shown(person_id: int) -> None:
    """Note that the answer being made shows this person's data."""
    people = _shown.get()
    if people is not None:
        people.add(person_id)


@contextmanager
def noting() -> Iterator[set[int]]:
    """Collect the people shown while the block runs (one desk event)."""
    people: set[int] = set()
    token = _shown.set(people)
    try:
        yield people
    finally:
        _shown.reset(token)


def effect(people: set[int]) -> tuple[Effect, ...]:
    """The effect naming the people an answer shows (none when it shows no one)."""
    return (Effect(EFFECT, {"people": sorted(people)}),) if people else ()


def people_of(reply: Reply) -> tuple[int, ...]:
    """Everyone this reply shows (a page shows one person, a list several)."""
    for e in reply.effects:
        if e.name == EFFECT and isinstance(e.data.get("people"), list):
            return tuple(p for p in e.data["people"] if isinstance(p, int))
    return ()


def subject_of(reply: Reply) -> int | None:
    """The person this reply shows, if it shows exactly one (a page, a phone)."""
    people = people_of(reply)
    return people[0] if len(people) == 1 else None
