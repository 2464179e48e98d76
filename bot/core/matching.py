"""Which button a typed answer stands for: its number, its label, the start or a key word of
it, a close spelling of it, or a word of yes, no or "I don't know" that only one label starts
with. Never a guess between two buttons: an answer that fits two gets none."""

from __future__ import annotations

import re

from bot.core.answers import Lexicon, normalise_label
from bot.core.spelling import MIN_PARTIAL, edit_distance, typo_allowance

MIN_WHOLE_WORD = 3  # a word this short counts only when it is a whole word of one label
MIN_KEY_WORD = 5  # a word of a label this long may be typed with a letter wrong
# Where a label's first part ends: "Non, pas encore", "لا، ليس بعد", "Oui (ce mois-ci)".
_FIRST_PART = re.compile(r"[,،;:(/–—-]")
# Text-message spellings of a label's first word: "c ma langue" for "C'est ma langue"
# (labels are compared normalised, so "c'est" is "cest").
_SMS_STARTS = (("c est ", "cest "), ("c ", "cest "))
# "matin" for "Le matin" beside "Tôt le matin": a label that is the typed words after an article
_ARTICLES = ("le", "la", "les", "un", "une")


def _one(values: list[str]) -> list[str]:
    """The values when they are one, else none: two buttons are never a guess."""
    unique = list(dict.fromkeys(values))
    return unique if len(unique) == 1 else []


def _close(typed: str, labels: list[tuple[str, str]]) -> list[str]:
    """Values of the labels, or key words of labels, typed with a letter or two wrong."""
    allowance = typo_allowance(len(typed))
    if allowance == 0:
        return []
    whole = [v for v, label in labels if edit_distance(typed, label, allowance) <= allowance]
    if whole:
        return _one(whole)
    if " " in typed or len(typed) < MIN_KEY_WORD:
        return []
    words = [
        v
        for v, label in labels
        for word in label.split()
        if len(word) >= MIN_KEY_WORD and edit_distance(typed, word, allowance) <= allowance
    ]
    return _one(words)


def match_options(options: list[tuple[str, str]], typed: str) -> list[str]:
    """Values of the options a normalised typed text designates: its number in the list, its
    label exactly, the start or a key word of one label, or one label typed with a typo."""
    if not typed:
        return []
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(options):
        return [options[int(typed) - 1][0]]
    for short, full in _SMS_STARTS:
        if typed.startswith(short):
            typed = full + typed[len(short) :]
            break
    labels = [(v, normalise_label(label)) for v, label in options]
    exact = [v for v, label in labels if label == typed]
    if exact:
        return exact
    by_value = [v for v in dict(options) if v == typed]
    if by_value:
        return by_value
    if len(typed) < MIN_PARTIAL:
        # a short word is taken only whole, as a word of one label ("bus" in "En transports
        # (bus, métro…)"), never as the start of one
        if len(typed) < MIN_WHOLE_WORD:
            return []
        return _one([v for v, label in labels if typed in label.split()])
    # people type the start of a label ("un pe"), its key word ("effacer") or a few of its
    # words in a row ("autre pays" for "Dans un autre pays"): accepted only when it points at
    # one option, never a guess between two
    articled = [v for v, label in labels if label in {f"{a} {typed}" for a in _ARTICLES}]
    if len(articled) == 1:
        return articled
    shared = False
    for partial in (
        [v for v, label in labels if label.startswith(typed)],
        [v for v, label in labels if typed in label.split()],
        [v for v, label in labels if " " in typed and f" {typed} " in f" {label} "],
    ):
        if len(partial) == 1:
            return partial
        shared = shared or bool(partial)
    if shared:
        return []  # the start or a word of several labels: no guess, not even a close one
    return _close(typed, labels)


# What a typed word means, and the words a label may begin with to mean the same: "non" or
# "aucun" stand for "Non, pas encore" and for "Pas encore" (not yet: no, for now).
_MEANINGS = (("yes",), ("no", "none"), ("dont_know",))


def match_meaning(options: list[tuple[str, str]], typed: str, lexicon: Lexicon) -> list[str]:
    """The one option that begins with a word of what the typed text means: "ouais" for
    "Oui, très vite", "nan" for "Non, pas encore" or "Pas encore", "jsp" for "Je ne sais pas
    encore".

    A single word ("oui", "لا") must be the label's whole first part, so that "لا" (no) is
    not read as "لا أعرف" (I don't know); a phrase may begin the label.
    """
    for names in _MEANINGS:
        words = frozenset().union(*(lexicon.concept(name) for name in names))
        if typed not in words:
            continue
        found = []
        for value, label in options:
            first = normalise_label(_FIRST_PART.split(label, maxsplit=1)[0])
            whole = normalise_label(label) + " "
            for phrase in words:
                if len(phrase) < 2:
                    continue  # "o", "y": too short to stand for a label
                if first == phrase or (" " in phrase and whole.startswith(phrase + " ")):
                    found.append(value)
                    break
        return _one(found)
    return []
