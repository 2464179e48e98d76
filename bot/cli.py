"""The `relais` command: chat in the terminal, run on Telegram, check flows and catalogs."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import threading
from pathlib import Path

from telegram.error import InvalidToken

from bot.catalog_check import check_catalogs
from bot.config import ConfigError, Settings, load_settings
from bot.flow import FlowError, load_flows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relais", description=__doc__)
    parser.add_argument("--config", type=Path, help="TOML settings file (default: $RELAIS_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to Relais in this terminal (no account, no token)")
    chat.add_argument("--user", default="me", help="who you play; each user has their own data")
    sub.add_parser("run", help="run on Telegram (needs RELAIS_TELEGRAM_TOKEN)")
    sub.add_parser("check", help="check flows and translations without starting the bot")
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


async def _chat(settings: Settings, user: str) -> None:
    from bot.channels.terminal import TerminalChat
    from bot.service import open_relais

    relais = await open_relais(settings)
    try:
        await TerminalChat(relais, user).run()
    finally:
        await relais.close()


async def _run(settings: Settings) -> None:
    from bot.channels.telegram import TelegramChannel
    from bot.fonts import prepare_fonts
    from bot.service import open_relais

    relais = await open_relais(settings)
    # the first CV would otherwise wait several seconds for its fonts to be made
    threading.Thread(target=prepare_fonts, args=(settings.font_cache,), daemon=True).start()
    try:
        await TelegramChannel(relais).run()
    finally:
        await relais.close()


def _check(settings: Settings) -> int:
    flows = load_flows(settings.flows_dir)
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
        if args.command == "chat":
            asyncio.run(_chat(settings, args.user))
        else:
            asyncio.run(_run(settings))
    except (ConfigError, FlowError) as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("relais: RELAIS_TELEGRAM_TOKEN: the Bot API refused this token", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
