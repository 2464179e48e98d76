"""A bare python-telegram-bot echo bot: the yardstick of bench/bench_scale.py.

Run by the benchmark as a child process, like `relais run`: `python bench/echo_bot.py` with
ECHO_TOKEN, ECHO_API_URL and ECHO_RATE_LIMIT (1: python-telegram-bot's AIORateLimiter, as
Relais by default; 0: none). It answers each text with the same text, one sendMessage, from an
Application polling the Bot API (here the tests' emulator): what any bot built on
python-telegram-bot costs at least, on the same machine and the same emulator.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The same text back, in one call."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await context.bot.send_message(message.chat_id, message.text)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    builder = (
        ApplicationBuilder().token(os.environ["ECHO_TOKEN"]).base_url(os.environ["ECHO_API_URL"])
    )
    if os.environ.get("ECHO_RATE_LIMIT", "1") == "1":
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))  # type: ignore[arg-type]
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
