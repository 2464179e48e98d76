"""The CV as a PDF: one sober A4 page when it fits, in the document's language (French).

Fixed words go through the translator; the person's words are printed as typed, in any script
the fonts cover (Latin, Greek, Cyrillic, Arabic). Long content flows onto further pages and
lines wrap, even inside a word, so nothing is ever cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import Glyph

from bot.core.i18n import N_, Translator
from bot.documents.cv import CV, Education, Experience, period
from bot.documents.fonts import FontSet

W_DOCUMENT_TITLE = N_("CV – {name}")
W_JOB_SOUGHT = N_("Poste recherché")
# French sets a (no-break) space before a colon; other languages translate the whole pattern
W_LABEL = N_("{label}\u00a0:")
W_EXPERIENCE = N_("Expérience professionnelle")
W_EDUCATION = N_("Formation")
W_LANGUAGES = N_("Langues")
W_SKILLS = N_("Compétences")
W_QUALITIES = N_("Qualités")
W_DRIVING = N_("Permis et véhicule")
W_VEHICLES = N_("Véhicule")
W_CERTIFICATES = N_("Certificats et habilitations")
W_AVAILABILITY = N_("Disponibilités")
W_INTERESTS = N_("Centres d'intérêt")
W_PAGE = N_("Page {n} / {total}")

# A CV says nothing of France when the person studied there; any spelling of it is left out.
FRANCE = {"france", "la france"}

# Layout, in millimetres and points.
MARGIN_X = 18.0
MARGIN_TOP = 14.0
MARGIN_BOTTOM = 16.0  # leaves room for the page numbers
FOOTER_Y = -10.0
INDENT = 4.5  # bullet column
DATES_GAP = 6.0  # least space between an entry's title and its dates
INK = (33, 37, 41)
ACCENT = (31, 73, 115)
MUTED = (95, 99, 104)
RULE = (190, 198, 208)
BODY = 10.0
BODY_LINE = 4.7
SMALL = 9.0
SMALL_LINE = 4.4
SECTION_GAP = 3.5
TITLE_LINE = 5.8
TITLE_RULE_GAP = 2.0

# Shaping (HarfBuzz) is needed for joined scripts, right-to-left text and combining marks;
# it costs about twice the layout time, so only runs containing such characters get it.
_NEEDS_SHAPING = re.compile(
    "["
    "\u0300-\u036f\u0483-\u0489"  # combining marks left after NFC, Cyrillic ones
    "\u0590-\u08ff"  # Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic
    "\u0900-\u109f"  # Indic scripts, Thai, Lao, Tibetan, Myanmar
    "\u1780-\u17ff\u1ab0-\u1aff\u1dc0-\u1dff"  # Khmer, combining mark supplements
    "\u200c-\u200f\u202a-\u202e\u2066-\u2069"  # joiners, direction marks and embeddings
    "\u20d0-\u20ff\ufb1d-\ufdff\ufe20-\ufe2f\ufe70-\ufefe"  # marks, presentation forms
    "]"
)


_SPACES = re.compile(" {2,}")
PAGE_COUNT = "\ue000nb\ue000"


@lru_cache(maxsize=8)
def _coverage(fonts: FontSet) -> tuple[frozenset[int], frozenset[int]]:
    """(characters of Noto Sans, characters of either font), read once per font set.

    Regular and bold come from the same source and subset, so the regular cmaps speak for both.
    """
    cmaps = []
    for path in (fonts.regular, fonts.arabic_regular):
        font = TTFont(path, lazy=True)
        try:
            cmaps.append(frozenset(font.getBestCmap()))
        finally:
            font.close()
    return cmaps[0], cmaps[0] | cmaps[1]


def _clean(text: str, coverage: frozenset[int]) -> str:
    """The text as the fonts can print it.

    NFC first, so that a letter typed as base + accent becomes the precomposed letter the font
    has. Then characters no font has (emoji, CJK, scripts without a font here) are dropped:
    fpdf2 would print an empty box for each, which reads as garbage on a CV, and the rest of
    the person's words must still come out. Tabs become spaces; other control characters go.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    if text.isascii() and text.isprintable():
        return text.strip()
    kept = "".join(
        c for c in text if c == "\n" or (ord(c) in coverage and unicodedata.category(c) != "Cc")
    )
    if len(kept) != len(text):
        # "plats 🍲 du jour" would keep two spaces where the emoji was
        kept = _SPACES.sub(" ", kept)
    return kept.strip()


def _rtl(text: str) -> bool:
    """True when the text has right-to-left letters and no left-to-right ones.

    Such a paragraph reads from the right. A line mixing both (an Arabic employer in a French
    line) keeps the document's left-to-right order, so that "employer — place" stays in that
    order for a French reader.
    """
    kinds = {unicodedata.bidirectional(c) for c in text}
    return "L" not in kinds and bool(kinds & {"R", "AL"})


class _NoText(int):
    """A ToUnicode destination that fpdf2 writes as an empty string: `<0002> <>`."""

    def __format__(self, spec: str) -> str:
        return ""


_NO_TEXT = (_NoText(0),)


def _unmap_cluster_extras(pdf: FPDF) -> None:
    """Give the extra glyphs of shaped clusters an empty text in the PDF's ToUnicode map.

    Noto Sans Arabic draws a dotted letter as two glyphs, a dotless body and its dots. fpdf2
    gives the letter to the first glyph of the cluster and leaves the other out of the map, so
    text extraction (copy and paste, an employer's CV software) falls back to the glyph's raw
    code and puts a stray character inside the word: "العلي" came out as "العل\x02ي". An
    empty destination says "this glyph adds no text". If fpdf2's internals change, this does
    nothing and the test of Arabic extraction fails.
    """
    for font in pdf.fonts.values():
        subset: Any = getattr(font, "subset", None)
        ids = getattr(subset, "_char_id_per_glyph", None)
        if not isinstance(ids, dict):
            continue
        fixed = {}
        for glyph, code in ids.items():
            if isinstance(glyph, Glyph) and glyph.unicode == ():
                glyph = Glyph(glyph.glyph_id, _NO_TEXT, glyph.glyph_name, glyph.glyph_width)
            fixed[glyph] = code
        subset._char_id_per_glyph = fixed


class _Document(FPDF):
    """fpdf2 with the CV's footer: page numbers, only when there are several pages."""

    def __init__(self, t: Translator) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.t = t
        self.closing = False

    def footer(self) -> None:
        # the last footer is drawn while closing: page 1 then means a one-page CV
        if self.closing and self.page_no() == 1:
            return
        # a page break can come in the middle of a shaped paragraph, which goes on after it
        shaping = self.text_shaping
        self.set_text_shaping(False)
        self.set_y(FOOTER_Y)
        self.set_font("sans", "", 8)
        self.set_text_color(*MUTED)
        # fpdf2 puts the page count in place of {nb} once the document is complete
        label = self.t.gettext(W_PAGE, n=self.page_no(), total=self.str_alias_nb_pages)
        self.cell(0, 4, label, align=Align.C)
        self.text_shaping = shaping


class _Writer:
    """Lays out the CV's blocks on a document, switching shaping on only where needed."""

    def __init__(self, t: Translator, fonts: FontSet) -> None:
        self.t = t
        self.fonts = fonts
        self.latin, self.printable = _coverage(fonts)
        pdf = _Document(t)
        pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        pdf.c_margin = 0  # text starts exactly at the margin, bullets line up
        # fpdf2 writes the page count in place of this text anywhere in the document; a
        # private-use character never survives _clean, so a person's "{nb}" stays as typed
        pdf.alias_nb_pages(PAGE_COUNT)
        # Parsed fonts are not shared between documents: fpdf2 subsets a font's tables in
        # place when it writes the file and stores the document's object numbers in it.
        pdf.add_font("sans", "", fonts.regular)
        pdf.add_font("sans", "B", fonts.bold)
        self.pdf = pdf
        self.arabic = False
        self.shaping: tuple[bool, bool] = (False, False)  # (on, right to left)

    def clean(self, text: str) -> str:
        """The person's words as the fonts can print them (see _clean)."""
        return _clean(text, self.printable)

    def _use(self, text: str) -> None:
        """Get the document ready to print this text: the Arabic font when a character is not
        in Noto Sans (added on first need: most CVs do without it, and an embedded font costs
        time and bytes even unused), shaping and direction."""
        if not self.arabic and not text.isascii() and any(ord(c) not in self.latin for c in text):
            self.pdf.add_font("arabic", "", self.fonts.arabic_regular)
            self.pdf.add_font("arabic", "B", self.fonts.arabic_bold)
            # characters missing from Noto Sans come from Noto Sans Arabic, same weight
            self.pdf.set_fallback_fonts(["arabic"])
            self.arabic = True
        shaping = _NEEDS_SHAPING.search(text) is not None
        wanted = (shaping, shaping and _rtl(text))
        if wanted != self.shaping:
            if shaping:
                self.pdf.set_text_shaping(True, direction="rtl" if wanted[1] else "ltr")
            else:
                self.pdf.set_text_shaping(False)
            self.shaping = wanted

    def style(self, size: float, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font("sans", "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    def paragraph(
        self,
        text: str,
        size: float = BODY,
        line: float = BODY_LINE,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        indent: float = 0.0,
        follow_direction: bool = False,
    ) -> None:
        """A block of text from the left margin (+ indent) to the right margin; with
        follow_direction, a right-to-left paragraph is aligned on the right."""
        if not text:
            return
        self.style(size, bold, color)
        self._use(text)
        pdf = self.pdf
        margin = pdf.l_margin
        # the indent is a margin while the text is laid out, so that the lines continued on
        # the next page keep it
        pdf.set_left_margin(margin + indent)
        try:
            pdf.set_x(margin + indent)
            pdf.multi_cell(
                0,
                line,
                text,
                align=Align.R if follow_direction and self.shaping[1] else Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        finally:
            pdf.set_left_margin(margin)
            pdf.set_x(margin)

    def heading(self, title: str, dates: str) -> None:
        """An entry's title in bold, its dates on the right of the same line when both fit,
        else on the line below."""
        pdf = self.pdf
        self.keep(2 * BODY_LINE)  # a title stays with the line under it
        room = pdf.w - pdf.l_margin - pdf.r_margin
        if title and dates and "\n" not in title and not _NEEDS_SHAPING.search(title + dates):
            self._use(title + dates)
            self.style(SMALL, color=MUTED)
            dates_width = pdf.get_string_width(dates)
            self.style(BODY, bold=True)
            if pdf.get_string_width(title) + DATES_GAP + dates_width <= room:
                pdf.set_x(pdf.l_margin)
                pdf.cell(room - dates_width, BODY_LINE, title)
                self.style(SMALL, color=MUTED)
                pdf.cell(dates_width, BODY_LINE, dates, align=Align.R)
                pdf.ln(BODY_LINE)
                return
        self.paragraph(title, bold=True)
        self.paragraph(dates, SMALL, SMALL_LINE, color=MUTED)

    def runs(self, parts: Iterable[tuple[str, bool]], size: float = BODY) -> None:
        """One paragraph made of runs, bold or not, wrapping like a paragraph."""
        pdf = self.pdf
        pdf.set_x(pdf.l_margin)
        for text, bold in parts:
            if text:
                self.style(size, bold)
                self._use(text)
                pdf.write(BODY_LINE, text)
        pdf.ln(BODY_LINE)

    def bullet(self, text: str) -> None:
        """A list item with a hanging indent."""
        if not text:
            return
        pdf = self.pdf
        if pdf.will_page_break(BODY_LINE):
            pdf.add_page()  # the bullet must stay with the first line of its text
        self.style(BODY, color=ACCENT)
        self._use("•")
        pdf.set_x(pdf.l_margin + 1.0)
        pdf.cell(INDENT - 1.0, BODY_LINE, "•")
        self.paragraph(text, indent=INDENT, follow_direction=True)

    def gap(self, height: float) -> None:
        # no space at the very top of a page: it would only push the text down
        if self.pdf.get_y() > self.pdf.t_margin + 0.01:
            self.pdf.ln(height)

    def keep(self, height: float) -> None:
        """Start a new page unless `height` fits on this one."""
        if self.pdf.will_page_break(height):
            self.pdf.add_page()

    def section(self, title: str, first_lines: int = 1) -> None:
        """A section title with a rule under it, kept with the first lines of its content
        so that it never ends a page alone."""
        self.gap(SECTION_GAP)
        self.keep(TITLE_LINE + TITLE_RULE_GAP + first_lines * BODY_LINE)
        self.paragraph(self.t.gettext(title), size=11.5, line=TITLE_LINE, bold=True, color=ACCENT)
        pdf = self.pdf
        y = pdf.get_y() + 0.3
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(TITLE_RULE_GAP)

    def labelled(self, label: str, value: str) -> None:
        """'Label : value', the label in bold."""
        self.runs(((self.t.gettext(W_LABEL, label=label) + " ", True), (value, False)))


def render_cv_pdf(cv: CV, t: Translator, fonts: FontSet) -> bytes:
    """The CV as PDF bytes, fixed words in the translator's language."""
    w = _Writer(t, fonts)
    pdf = w.pdf
    c = w.clean
    name = c(cv.full_name)
    pdf.set_title(t.gettext(W_DOCUMENT_TITLE, name=name))
    pdf.set_author(name)
    pdf.set_lang(t.locale)
    pdf.set_creator("Relais")
    pdf.add_page()

    _header(w, cv)
    _experiences(w, cv.experiences)
    _education(w, cv)
    languages = [(c(item.name), c(item.level)) for item in cv.languages]
    languages = [(lang, level) for lang, level in languages if lang or level]
    if languages:
        w.section(W_LANGUAGES)
        for lang, level in languages:
            if lang and level:
                w.labelled(lang, level)
            else:
                w.paragraph(lang or level)
    _bullets(w, W_SKILLS, cv.skills)
    qualities = " · ".join(q for q in (c(item) for item in cv.qualities) if q)
    if qualities:
        w.section(W_QUALITIES)
        w.paragraph(qualities)
    licence, vehicles = c(cv.licence), c(cv.vehicles)
    if licence or vehicles:
        w.section(W_DRIVING)
        w.paragraph(licence)
        if vehicles:
            w.labelled(t.gettext(W_VEHICLES), vehicles)
    _bullets(w, W_CERTIFICATES, cv.certificates)
    for title, text in ((W_AVAILABILITY, cv.availability), (W_INTERESTS, cv.interests)):
        text = c(text)
        if text:
            w.section(title)
            w.paragraph(text, follow_direction=True)

    _unmap_cluster_extras(pdf)
    pdf.closing = True
    return bytes(pdf.output())


def _header(w: _Writer, cv: CV) -> None:
    c = w.clean
    w.paragraph(c(cv.full_name), size=22, line=10.0, bold=True)
    w.paragraph(c(cv.headline), size=12.5, line=6.2, color=ACCENT)
    w.gap(1.0)
    jobs = c(cv.jobs_sought)
    if jobs:
        w.labelled(w.t.gettext(W_JOB_SOUGHT), jobs)
    # French postal order: "69003 Lyon"
    place = " ".join(p for p in (c(cv.postcode), c(cv.town)) if p)
    contact = " · ".join(p for p in (c(cv.phone), c(cv.email), place) if p)
    w.paragraph(contact, size=SMALL, line=SMALL_LINE, color=MUTED)
    w.gap(1.0)


def _experiences(w: _Writer, experiences: tuple[Experience, ...]) -> None:
    if not experiences:
        return
    w.section(W_EXPERIENCE, first_lines=2)
    c = w.clean
    for n, job in enumerate(experiences):
        if n:
            w.gap(2.6)
        w.heading(c(job.title), period(w.t, job.start, job.end, job.current))
        w.paragraph(" — ".join(p for p in (c(job.employer), c(job.place)) if p))
        for task in job.tasks:
            w.bullet(c(task))


def _education(w: _Writer, cv: CV) -> None:
    """Diplomas and trainings, a foreign one with its country and French level; without a
    diploma, how far the person went at school. Left out only when nothing at all is known."""
    schooling = w.clean(cv.schooling)
    if not cv.education and not schooling:
        return
    w.section(W_EDUCATION, first_lines=2)
    c = w.clean
    for n, item in enumerate(cv.education):
        if n:
            w.gap(2.0)
        year = item.year.words(w.t.locale) if item.year is not None else ""
        w.heading(_education_title(w, item), year)
        w.paragraph(c(item.school))
    if schooling:
        if cv.education:
            w.gap(2.0)
        w.paragraph(schooling, bold=True)


def _education_title(w: _Writer, item: Education) -> str:
    """'Diplôme d'ingénieur (Ukraine) — équivalent niveau 7 (Master)'."""
    c = w.clean
    title, country, level = c(item.title), c(item.country), c(item.level)
    if country and country.casefold() not in FRANCE:
        title = f"{title} ({country})"
    return f"{title} — {level}" if level else title


def _bullets(w: _Writer, title: str, items: tuple[str, ...]) -> None:
    cleaned = [text for text in (w.clean(item) for item in items) if text]
    if cleaned:
        w.section(title)
        for text in cleaned:
            w.bullet(text)
