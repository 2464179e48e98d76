"""Checks of the translation catalogs against the flows, for `relais check` and the tests."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from bot.core.i18n import DOMAIN, REFERENCE_LOCALE, placeholders
from bot.flows.model import FlowSet


def check_catalogs(
    locales_dir: Path, languages: tuple[str, ...] | list[str], flows: FlowSet
) -> tuple[list[str], list[str]]:
    """(problems, warnings): broken catalogs and placeholders are problems, gaps are warnings."""
    problems: list[str] = []
    warnings: list[str] = []
    needed = set().union(*(flow.texts() for flow in flows.flows.values()))
    for code in languages:
        path = locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            if code != REFERENCE_LOCALE:
                problems.append(f"{path}: missing catalog for enabled language '{code}'")
            continue
        try:
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=code, abort_invalid=True)
        except (PoFileError, ValueError, OSError) as exc:
            problems.append(f"{path}: cannot be read ({exc})")
            continue
        translated = set()
        for message in catalog:
            if not message.id or not message.string:
                continue
            ids = [str(i) for i in (message.id if isinstance(message.id, tuple) else (message.id,))]
            raw = message.string
            strings = [str(x) for x in (raw if isinstance(raw, tuple | list) else (raw,))]
            try:
                expected = set().union(*(placeholders(i) for i in ids))
                for s in strings:
                    if s and placeholders(s) - expected:
                        problems.append(
                            f"{path}:{message.lineno}: unknown placeholder in translation of "
                            f"{ids[0][:40]!r}: {sorted(placeholders(s) - expected)}"
                        )
            except ValueError as exc:
                problems.append(f"{path}:{message.lineno}: malformed placeholder ({exc})")
            if "fuzzy" not in message.flags:
                translated.add(ids[0])
        if code != REFERENCE_LOCALE:
            missing = sorted(needed - translated)
            if missing:
                warnings.append(
                    f"{path}: {len(missing)} flow texts not translated, first: {missing[0][:60]!r}"
                )
    return problems, warnings
