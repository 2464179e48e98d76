"""Fonts of the PDF documents: static instances of the Noto variable fonts, cached on disk.

The fonts come from PyPI packages (fontpkg-noto-sans, fontpkg-noto-sans-arabic), so nothing is
downloaded at run time. Both are variable fonts; fpdf2 can instance them itself, but that costs
seconds per document, so regular and bold instances are made once and kept in a cache folder.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

# Bumped when the making of the instances changes (ranges, axes), so old cache files are not
# mistaken for new ones.
RECIPE = 1

# What a CV can need from Noto Sans: Latin (French, other European languages, Vietnamese),
# Greek, Cyrillic, punctuation and symbols. Subsetting the full font (~3,100 characters) first
# makes instancing several times faster and the files smaller.
NOTO_SANS_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0250, 0x02FF),  # IPA extensions, spacing modifier letters (ʼ ˆ ˜)
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, •, …, narrow spaces
    (0x20A0, 0x20CF),  # currency symbols (€)
    (0x2100, 0x214F),  # letterlike symbols (№, ™, ℃)
    (0x2190, 0x2199),  # simple arrows
    (0x2212, 0x2212),  # minus sign
    (0x25CC, 0x25CC),  # dotted circle, drawn by the shaper under a stray combining mark
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFEFF, 0xFEFF),  # byte order mark / zero-width no-break space
)


@dataclass(frozen=True)
class FontSet:
    """Static font files, ready for fpdf2's add_font."""

    regular: Path
    bold: Path
    arabic_regular: Path
    arabic_bold: Path


@dataclass(frozen=True)
class _Source:
    package: str  # distribution name, for its version
    module: str
    file: str
    stem: str  # cache file name prefix
    ranges: tuple[tuple[int, int], ...] | None  # None: keep every character


_LATIN = _Source(
    "fontpkg-noto-sans",
    "fontpkg_noto_sans",
    "NotoSans[wdth,wght].ttf",
    "NotoSans",
    NOTO_SANS_RANGES,
)
# Arabic is kept whole: its glyphs are nearly all needed for shaping (joining forms, marks).
_ARABIC = _Source(
    "fontpkg-noto-sans-arabic",
    "fontpkg_noto_sans_arabic",
    "NotoSansArabic[wdth,wght].ttf",
    "NotoSansArabic",
    None,
)
REGULAR, BOLD = 400, 700

_memo: dict[Path, FontSet] = {}
_lock = threading.Lock()


def default_font_cache() -> Path:
    """$XDG_CACHE_HOME/relais/fonts, else ~/.cache/relais/fonts."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # the XDG spec says a relative path is invalid and must be ignored
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "relais" / "fonts"


def prepare_fonts(cache_dir: Path | None = None) -> FontSet:
    """Static regular and bold instances of Noto Sans and Noto Sans Arabic, made once."""
    folder = (cache_dir or default_font_cache()).expanduser().resolve()
    with _lock:
        if folder in _memo:
            return _memo[folder]
        folder.mkdir(parents=True, exist_ok=True)
        regular, bold = _instances(_LATIN, folder)
        arabic_regular, arabic_bold = _instances(_ARABIC, folder)
        fonts = FontSet(regular, bold, arabic_regular, arabic_bold)
        _memo[folder] = fonts
        return fonts


def _cache_name(source: _Source, weight: int) -> str:
    # the package version is in the name, so an upgraded font is instanced again
    return f"{source.stem}-{version(source.package)}-r{RECIPE}-wght{weight}.ttf"


def _instances(source: _Source, folder: Path) -> tuple[Path, Path]:
    """The (regular, bold) files of one source, making the missing ones."""
    targets = {weight: folder / _cache_name(source, weight) for weight in (REGULAR, BOLD)}
    missing = [w for w, path in targets.items() if not _usable(path)]
    if missing:
        data = _source_bytes(source)
        for weight in missing:
            font = TTFont(io.BytesIO(data))
            instancer.instantiateVariableFont(
                font, {"wght": weight, "wdth": 100}, inplace=True, updateFontNames=True
            )
            _save_atomically(font, targets[weight])
    return targets[REGULAR], targets[BOLD]


def _usable(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _source_bytes(source: _Source) -> bytes:
    """The variable font, subset when a range is given (before instancing: the other way
    round crashed in fontTools)."""
    path = Path(importlib.import_module(source.module).ROOT) / "files" / source.file
    if source.ranges is None:
        return path.read_bytes()
    font = TTFont(path)
    options = subset.Options()
    options.layout_features = ["*"]  # kerning, marks, ligatures, localised forms
    options.name_IDs = ["*"]  # keeps the names updateFontNames rebuilds from
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in source.ranges for c in range(lo, hi + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _save_atomically(font: TTFont, target: Path) -> None:
    """Write through a temporary file and rename: other processes preparing the same fonts
    at the same time see either no file or a whole one."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            font.save(fh)
        # mkstemp makes the file private; these are public fonts, readable like any other
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
