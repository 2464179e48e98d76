"""The `relais` command: chat in the terminal, run on Telegram, check flows and catalogs,
invite volunteers, print statistics, import job offers."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import threading
from collections.abc import Coroutine
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import InvalidToken

from bot.config import ConfigError, Settings, load_settings
from bot.core.clock import ClockError, clock_from_env
from bot.desk.desk import REGISTRY
from bot.flows.catalog_check import check_catalogs
from bot.flows.loader import load_flows
from bot.flows.model import FlowError
from bot.privacy.private_files import UMASK
from bot.reach.kinds import check_reply_flows

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relais", description=__doc__)
    parser.add_argument("--config", type=Path, help="TOML settings file (default: $RELAIS_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to Relais in this terminal (no account, no token)")
    chat.add_argument("--user", default="me", help="who you play; each user has their own data")
    sub.add_parser("run", help="run on Telegram (needs RELAIS_TELEGRAM_TOKEN)")
    sub.add_parser("check", help="check flows and translations without starting the bot")
    invite = sub.add_parser("invite", help="print a one-time invitation code for a volunteer")
    invite.add_argument("--centre", required=True, help="the centre's id")
    invite.add_argument(
        "--role",
        choices=("volunteer", "coordinator"),
        default="volunteer",
        help="default: volunteer",
    )
    stats = sub.add_parser("stats", help="print the figures of the centres for a period")
    stats.add_argument(
        "--centre",
        action="append",
        dest="centres",
        metavar="ID",
        help="a centre's id; repeat it for several (default: every active centre)",
    )
    stats.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help="first day (default: 1 January)"
    )
    stats.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (default: today)")
    stats.add_argument("--csv", action="store_true", help="print CSV instead of text")
    offers = sub.add_parser("offers", help="job offers: import a CSV list").add_subparsers(
        dest="offers_command", required=True
    )
    offers_import = offers.add_parser(
        "import", help="import job offers from a CSV file, one row per offer (see the README)"
    )
    offers_import.add_argument("file", type=Path, help="the CSV file")
    offers_import.add_argument("--centre", required=True, help="the centre's id")
    offers_import.add_argument(
        "--vetted",
        action="store_true",
        help="import them vetted, ready to send (default: drafts a coordinator vets)",
    )
    offers_import.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows even if some are wrong (default: nothing if any is wrong)",
    )
    return parser


def _logging(settings: Settings, quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    # Only our own loggers follow log_level: at DEBUG, python-telegram-bot prints whole updates,
    # aiosqlite prints SQL parameters (answers) and httpx prints URLs that hold the bot token.
    logging.getLogger("relais").setLevel(logging.WARNING if quiet else settings.log_level)
    logging.getLogger("telegram.ext.Application").setLevel(logging.INFO)
    # a 429 on an outbox call comes back to the runtime, which makes that chat wait: the
    # limiter's traceback for it says nothing more
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    # the scheduler's own lines (a run skipped while the last one ends) say nothing useful
    logging.getLogger("apscheduler").setLevel(logging.ERROR)


async def _chat(settings: Settings, user: str) -> None:
    from bot.channels.terminal import TerminalChat
    from bot.service import open_relais

    clock = clock_from_env()
    relais = await open_relais(settings, clock)
    try:
        await TerminalChat(relais, user, clock=clock).run()
    finally:
        await relais.close()


async def _run(settings: Settings) -> None:
    from bot.channels.telegram import TelegramChannel
    from bot.documents.fonts import prepare_fonts
    from bot.service import open_relais

    clock = clock_from_env()
    relais = await open_relais(settings, clock)
    # the first CV would otherwise wait several seconds for its fonts to be made
    threading.Thread(target=prepare_fonts, args=(settings.font_cache,), daemon=True).start()
    try:
        await TelegramChannel(relais, clock).run()
    finally:
        await relais.close()


async def _invite(settings: Settings, centre: str, role: str) -> int:
    from bot.service import open_relais

    relais = await open_relais(settings, clock_from_env())
    try:
        invitation = await relais.invite(centre, role, created_by=None)
        async with relais.storage.transaction() as tx:
            world = await relais.world(tx)
    finally:
        await relais.close()
    if invitation is None:
        known = ", ".join(c.id for c in world.centres)
        print(f"relais: no active centre {centre!r} (centres: {known})", file=sys.stderr)
        return 2
    code, expires = invitation
    print(code)
    print(
        f"Valid once, until {expires:%Y-%m-%d %H:%M} UTC. The volunteer sends it to the bot,"
        f" or opens https://t.me/<bot username>?start={code}",
        file=sys.stderr,
    )
    return 0


def _day(text: str, option: str) -> date:
    """A YYYY-MM-DD option value; raises ValueError with the line to print."""
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} {text!r}: expected a date such as 2026-01-31") from None


async def _stats(
    settings: Settings, centres: list[str] | None, start: str | None, end: str | None, csv: bool
) -> int:
    from bot.desk import stats
    from bot.service import open_relais

    # checked before opening the database, so that a typo creates no file
    try:
        today = clock_from_env()().astimezone(ZoneInfo(settings.timezone)).date()
        last = _day(end, "--to") if end else today
        # the year of --to, so that `--to 2025-12-31` alone means the whole of 2025
        first = _day(start, "--from") if start else date(last.year, 1, 1)
    except ValueError as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 2
    if first > last:
        print(f"relais: --from {first} is after --to {last}", file=sys.stderr)
        return 2
    relais = await open_relais(settings, clock_from_env())
    try:
        # on the read-only connection: a bot running on the same file goes on writing meanwhile
        async with relais.storage.reading() as tx:
            names = await tx.centre_names()
            active = tuple(c.id for c in await tx.active_centres())
            chosen = tuple(dict.fromkeys(centres)) if centres else active
            unknown = [c for c in chosen if c not in names]
            if unknown or not chosen:
                known = ", ".join(names) or "none"
                what = f"no centre {unknown[0]!r}" if unknown else "no active centre"
                print(f"relais: {what} (centres: {known})", file=sys.stderr)
                return 2
            figures = await stats.compute(tx, chosen, first, last)
        if csv:
            sys.stdout.write(stats.to_csv(figures))
        else:
            print(stats.format_text(figures, relais.catalogs.get("fr"), names))
    finally:
        await relais.close()
    return 0


async def _offers_import(
    settings: Settings, file: Path, centre: str, vetted: bool, skip_bad: bool
) -> int:
    from bot.offers import csv_import
    from bot.service import open_relais

    # read and checked before opening the database, so that a wrong file creates nothing
    try:
        raw = file.read_bytes()
    except OSError as exc:
        print(f"relais: {file}: cannot read the file ({exc.strerror})", file=sys.stderr)
        return 2
    clock = clock_from_env()
    today = clock().astimezone(ZoneInfo(settings.timezone)).date()
    found = csv_import.read(csv_import.decode(raw), today)
    for error in found.errors:
        print(f"{file.name} : {error}", file=sys.stderr)
    if found.errors and not (skip_bad and found.offers):
        print("relais: rien n'est importé (corrigez le fichier, ou --skip-bad)", file=sys.stderr)
        return 1
    relais = await open_relais(settings, clock)
    try:
        async with relais.storage.transaction() as tx:
            active = [c.id for c in await tx.active_centres()]
            if centre not in active:
                known = ", ".join(active) or "none"
                print(f"relais: no active centre {centre!r} (centres: {known})", file=sys.stderr)
                return 2
            numbers = []
            for _, details in found.offers:
                offer = await tx.add_offer(centre, details, None)
                if vetted:
                    await tx.set_offer_state(offer.id, "vetted", None)
                numbers.append(offer.id)
    finally:
        await relais.close()
    state = "validées" if vetted else "brouillons à valider"
    shown = ", ".join(f"n° {n}" for n in numbers)
    print(f"{len(numbers)} offre(s) importée(s) pour {centre} ({state}) : {shown}")
    return 0


def _check(settings: Settings) -> int:
    flows = load_flows(settings.flows_dir)
    REGISTRY.check_flows(flows)  # the desk flows the volunteer side's capabilities open
    check_reply_flows(flows)  # the reply flows messages Relais starts open
    problems, warnings = check_catalogs(settings.locales_dir, settings.languages, flows)
    for line in warnings:
        print(f"warning: {line}")
    for line in problems:
        print(f"error: {line}")
    steps = sum(len(f.steps) for f in flows.flows.values())
    print(f"{len(flows.flows)} flows, {steps} steps, languages: {', '.join(settings.languages)}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `relais` console command."""
    # whatever the shell's umask, files Relais creates (database, documents, a log file) are
    # readable by its user only; restored after, for callers in the same process
    umask = os.umask(UMASK)
    try:
        return _main(argv)
    finally:
        os.umask(umask)


def _serve(main: Coroutine[Any, Any, None]) -> None:
    """Run the bot on uvloop where it is installed (libuv's event loop: less CPU for each
    call and each database trip of a busy bot), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:  # e.g. Windows, which uvloop does not support
        asyncio.run(main)
        return
    uvloop.run(main)


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        if args.command == "run" and not settings.telegram.token:
            raise ConfigError(
                "RELAIS_TELEGRAM_TOKEN: expected the bot token from BotFather in the environment"
            )
        _logging(settings, quiet=args.command != "run")
        if args.command == "check":
            return _check(settings)
        if args.command == "invite":
            return asyncio.run(_invite(settings, args.centre, args.role))
        if args.command == "stats":
            return asyncio.run(_stats(settings, args.centres, args.start, args.end, args.csv))
        if args.command == "offers":
            return asyncio.run(
                _offers_import(settings, args.file, args.centre, args.vetted, args.skip_bad)
            )
        if args.command == "chat":
            asyncio.run(_chat(settings, args.user))
        else:
            _serve(_run(settings))
    except (ConfigError, FlowError, ClockError) as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("relais: RELAIS_TELEGRAM_TOKEN: the Bot API refused this token", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
