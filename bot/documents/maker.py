"""Documents made from a person's answers on demand: the CV as PDF and as JSON Resume.

Nothing is stored: a document is made when it is delivered, from the answers saved at that
moment, so a correction is reflected the next time it is asked for.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.i18n import REFERENCE_LOCALE, Catalogs
from bot.documents.cv import CV, build_cv, to_json_resume
from bot.flows.model import FlowSet

KINDS = ("cv_pdf", "cv_json")


class NoDocument(LookupError):
    """The person has nothing to make this document from (no CV yet, or data erased)."""


@dataclass(frozen=True)
class Document:
    """A file to hand to the person."""

    filename: str
    mime: str
    data: bytes


def _file_stem(cv: CV) -> str:
    """The file name without extension: "CV-Amélie-Dupré", "CV-Олена-Шевченко".

    Only the name's letters and digits: nothing a file system or a mail client could choke on.
    """
    words = re.findall(r"\w+", unicodedata.normalize("NFC", cv.full_name))
    return "-".join(["CV", *words[:4]])[:80]


class Documents:
    """Makes a person's documents; the CV is in French whatever the chat language."""

    def __init__(self, flows: FlowSet, catalogs: Catalogs, font_cache: Path | None = None) -> None:
        self.flows = flows
        self.catalogs = catalogs
        self.font_cache = font_cache

    def cv(self, profile: Mapping[str, Any]) -> CV:
        """The CV of these answers; NoDocument when there is none."""
        if not profile.get("last_name"):
            raise NoDocument("no CV")
        return build_cv(profile, self.flows, self.catalogs.get(REFERENCE_LOCALE))

    def make(self, kind: str, profile: Mapping[str, Any]) -> Document:
        """One document of a person, made now from their saved answers."""
        cv = self.cv(profile)
        if kind == "cv_pdf":
            # imported on first use: the PDF stack (fpdf2, fontTools, Pillow) costs ~30 MB
            from bot.documents.cv_pdf import render_cv_pdf
            from bot.documents.fonts import prepare_fonts

            fonts = prepare_fonts(self.font_cache)
            data = render_cv_pdf(cv, self.catalogs.get(REFERENCE_LOCALE), fonts)
            return Document(f"{_file_stem(cv)}.pdf", "application/pdf", data)
        if kind == "cv_json":
            resume = to_json_resume(cv, REFERENCE_LOCALE)
            data = json.dumps(resume, ensure_ascii=False, indent=2).encode("utf-8")
            return Document(f"{_file_stem(cv)}.json", "application/json", data)
        raise ValueError(f"unknown document kind {kind!r}")
