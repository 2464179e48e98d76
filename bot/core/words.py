"""Words people type instead of pressing a button: yes, no, none, done, don't know.

Each list is one catalog entry: a French msgid whose phrases are separated by "|", translated
in each language's catalog by that language's own words (not a translation word for word:
"ouais", "jsp"). A new language brings its words with its .po file, nothing else changes.

A person may type the words of any shipped language, not only those of the language Relais
speaks to them ("так" in French, "ok" in Arabic), as long as the word is not ambiguous: a
word that is "yes" in one language and "no" in another counts only in the person's own
language, and not at all when it is neither theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from bot.core.answers import Lexicon, normalise_label
from bot.core.i18n import N_, Catalogs, Translator

# Translators: these are not sentences but the words people of your language type, separated
# by "|". Add the short and familiar forms people really use; order does not matter.
W_YES = N_(
    "oui|ouais|ouai|ouii|oué|o|ok|okay|oki|d'accord|dac|bien sûr|si|oui merci|"
    "volontiers|c'est ça|tout à fait|exactement"
)
W_NO = N_("non|nan|nn|non merci|pas du tout|jamais|pas encore|pas encor")
# "Nothing" for a multiple choice that can have no answer, or an optional question skipped.
W_NONE = N_(
    "aucun|aucune|rien|non|pas|sans|néant|rien du tout|non merci|je n'ai pas|j'ai pas|"
    "je n'en ai pas|j'en ai pas|pas encore"
)
# "I have ticked everything" at a multiple choice: the "Valider" button typed.
W_DONE = N_("valider|valide|validé|ok|c'est tout|c'est bon|fini|terminé|voilà|ça suffit|suivant")
# Politeness around an answer, dropped before reading it: "oui merci", "non stp".
W_POLITE = N_("merci|svp|stp|s'il vous plaît|s'il te plaît|beaucoup")
W_DONT_KNOW = N_(
    "je ne sais pas|je sais pas|jsp|j'sais pas|chais pas|sais pas|je sais plus|"
    "je ne sais plus|aucune idée"
)

CONCEPTS = {
    "yes": W_YES,
    "no": W_NO,
    "none": W_NONE,
    "done": W_DONE,
    "dont_know": W_DONT_KNOW,
    "polite": W_POLITE,
}
# Concepts read at the same question: a word may not mean both.
_RIVALS = {"yes": "no", "no": "yes", "done": "none", "none": "done"}


def phrases(text: str) -> frozenset[str]:
    """The normalised phrases of a "|"-separated list, with or without their apostrophes
    (people type "c est tout" as often as "c'est tout"): "D'accord|ok" → {"daccord",
    "d accord", "ok"}."""
    found = set()
    for part in text.split("|"):
        found.add(normalise_label(part))
        found.add(normalise_label(part.replace("'", " ").replace("\u2019", " ")))
    return frozenset(p for p in found if p)


def build_lexicon(own: Translator, others: Iterable[Translator]) -> Lexicon:
    """The words of `own`'s language, with those of the other languages that are unambiguous."""
    mine = {c: phrases(own.gettext(msgid)) for c, msgid in CONCEPTS.items()}
    theirs: dict[str, frozenset[str]] = {c: frozenset() for c in CONCEPTS}
    for other in others:
        if other.locale == own.locale:
            continue
        for c, msgid in CONCEPTS.items():
            theirs[c] |= phrases(other.gettext(msgid))
    found: dict[str, frozenset[str]] = {}
    for c in CONCEPTS:
        rival = _RIVALS.get(c)
        foreign = theirs[c]
        if rival is not None:
            # a word the person's language gives the rival meaning, or that two other
            # languages read both ways, is left out
            foreign = foreign - mine[rival] - theirs[rival]
        found[c] = mine[c] | foreign
    return Lexicon(**found)


@functools.lru_cache(maxsize=64)
def lexicon(catalogs: Catalogs, locale: str | None) -> Lexicon:
    """The words a person speaking `locale` may type, from every shipped catalog."""
    own = catalogs.get(locale)
    return build_lexicon(own, catalogs.shipped().values())
