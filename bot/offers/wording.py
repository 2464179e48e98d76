"""How a job offer is written for the person who receives it, in their language: the fixed
words (labels of the contract, the hours, the sector, what is asked) translated, the
volunteer's own words (title, employer, town, pay, description) kept as typed, in French.

Pure: a translator and an offer in, text out. The desk shows this same text to the volunteer
before vetting ("as beneficiaries will see it"), and the message Relais starts sends it; how
the employer wants candidates (how_to_apply) is for volunteers only and never written here.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.core.i18n import N_, Translator
from bot.offers.domain import (
    CONTRACT_LABELS,
    DIPLOMA_LABELS,
    EMPLOYER_KIND_LABELS,
    EXPERIENCE_LABELS,
    FRENCH_LABELS,
    SCHEDULE_LABELS,
    SECTOR_LABELS,
    TIME_LABELS,
    Offer,
    OfferDetails,
)

T_EMPLOYER = N_("Employeur : {employer} ({kind})")
T_PLACE = N_("Lieu : {town} ({postcode})")
T_CONTRACT = N_("Contrat : {contract}, {time}")
T_CDD_MONTHS = N_("CDD de {months} mois")
T_SCHEDULE = N_("Horaires : {schedule}")
# between the items of a list ("tôt le matin, le soir"; Arabic has its own comma)
T_SEPARATOR = N_(", ")
T_OFFICE_HOURS = N_("en journée, en semaine")
T_SECTOR = N_("Métier : {sector}")
T_ASKED = N_("Demandé : {asked}")
T_FRENCH_ASKED = N_("français {level}")
T_LICENCE = N_("permis B")
T_PAY = N_("Salaire : {pay}")
T_UNTIL = N_("Offre valable jusqu'au {date}")
T_SHOW_CV = N_("Montrez d'abord votre CV à un bénévole.")
# « Faire mon CV » is the menu's entry for someone without a CV (flows/cv.toml's title)
T_MAKE_CV = N_(
    "Faites d'abord votre CV : « Faire mon CV » dans le menu, puis montrez-le à un bénévole."
)


def last_day(t: Translator, day: date) -> str:
    """The offer's last day as the person's language writes it: "31 décembre 2026"."""
    return format_date(day, format="long", locale=t.date_locale)


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Le matin" → "le matin", but "CAP ou BEP" stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def contract_text(t: Translator, details: OfferDetails) -> str:
    """The contract in words: "CDI", "CDD de 6 mois"."""
    if details.contract == "cdd" and details.contract_months:
        return t.gettext(T_CDD_MONTHS, months=t.number(details.contract_months))
    return t.gettext(CONTRACT_LABELS.get(details.contract, details.contract))


def asked_text(t: Translator, details: OfferDetails) -> str:
    """What the offer asks of a candidate, "" when it asks nothing: "français bien, permis B,
    une première expérience, CAP ou BEP"."""
    asked = []
    if details.french != "none":
        level = _lower_first(t.gettext(FRENCH_LABELS.get(details.french, details.french)))
        asked.append(t.gettext(T_FRENCH_ASKED, level=level))
    if details.licence:
        asked.append(t.gettext(T_LICENCE))
    if details.experience != "none":
        experience = EXPERIENCE_LABELS.get(details.experience, details.experience)
        asked.append(_lower_first(t.gettext(experience)))
    if details.diploma != "none":
        asked.append(t.gettext(DIPLOMA_LABELS.get(details.diploma, details.diploma)))
    return t.gettext(T_SEPARATOR).join(asked)


def beneficiary_lines(
    t: Translator, offer: Offer, proposable: bool = True, no_cv: bool = False
) -> list[str]:
    """The lines of `beneficiary_text`, for callers that add their own around them."""
    d = offer.details
    lines = [f"💼 {d.title}"]
    kind = t.gettext(EMPLOYER_KIND_LABELS.get(d.employer_kind, d.employer_kind))
    lines.append(t.gettext(T_EMPLOYER, employer=d.employer, kind=kind))
    lines.append(t.gettext(T_PLACE, town=d.town, postcode=d.postcode))
    time = _lower_first(t.gettext(TIME_LABELS.get(d.time, d.time)))
    lines.append(t.gettext(T_CONTRACT, contract=contract_text(t, d), time=time))
    if d.schedule:
        schedule = t.gettext(T_SEPARATOR).join(
            _lower_first(t.gettext(SCHEDULE_LABELS.get(s, s))) for s in d.schedule
        )
    else:  # the desk's "Horaires de bureau en semaine": said too, people plan their days on it
        schedule = t.gettext(T_OFFICE_HOURS)
    lines.append(t.gettext(T_SCHEDULE, schedule=schedule))
    lines.append(t.gettext(T_SECTOR, sector=t.gettext(SECTOR_LABELS.get(d.sector, d.sector))))
    asked = asked_text(t, d)
    if asked:
        lines.append(t.gettext(T_ASKED, asked=asked))
    if d.pay:
        lines.append(t.gettext(T_PAY, pay=d.pay))
    if d.description:
        lines.extend(["", d.description])
    lines.extend(["", t.gettext(T_UNTIL, date=last_day(t, d.expires_on))])
    if not proposable:
        lines.append(t.gettext(T_MAKE_CV if no_cv else T_SHOW_CV))
    return lines


def beneficiary_text(
    t: Translator, offer: Offer, proposable: bool = True, no_cv: bool = False
) -> str:
    """The offer as a beneficiary reads it: title, employer, place, contract and hours, sector,
    what is asked, pay, the description, the last day; for someone whose CV is not checked yet
    (not proposable), a line asking them to show it to a volunteer first, or, with `no_cv`,
    to make it first. Never how to apply."""
    return "\n".join(beneficiary_lines(t, offer, proposable, no_cv))
