"""The Bot API call of each planned outbox method, one function a method (a registry).

Messages and edits are sent as the JSON the Bot API reads (`do_api_request`), not through
python-telegram-bot's typed methods: those build a Message object from every answer, an eighth
of the process's CPU on a busy bot, for a result Relais does not read.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, InputFile
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.channels import protocol
from bot.channels.protocol import PlannedCall
from bot.core.i18n import N_, Catalogs
from bot.desk.desk import TEAM_COMMANDS

# the typed method of each raw call below, and of getUpdates (asked for its JSON, which the
# journal keeps: bot.channels.telegram); python-telegram-bot suggests it each time
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.(sendMessage|editMessageText|editMessageReplyMarkup|getUpdates)'",
    category=PTBUserWarning,
)

# edits of old messages are not asked for: an answer, once given, is changed with "back"
COMMANDS = {
    "menu": N_("Voir le menu"),
    "help": N_("Aide"),
    "language": N_("Changer de langue"),
    "stop": N_("Ne plus recevoir de messages"),
}

Call = Callable[[ExtBot[Any], int, PlannedCall, Catalogs], Awaitable[Any]]


def keyboard(stored: list[list[list[str]]] | None) -> dict[str, Any]:
    """The `reply_markup` parameter of stored rows of [label, data] (none: no parameter, which
    also takes an edited message's keyboard off)."""
    if not stored:
        return {}
    rows = [[{"text": label, "callback_data": data} for label, data in row] for row in stored]
    return {"reply_markup": {"inline_keyboard": rows}}


async def _send_message(bot: ExtBot[Any], chat: int, call: PlannedCall, _: Catalogs) -> Any:
    p = call.payload
    kwargs = {"chat_id": chat, "text": p["text"], **keyboard(p.get("keyboard"))}
    return await bot.do_api_request("sendMessage", api_kwargs=kwargs)


async def _edit_text(bot: ExtBot[Any], chat: int, call: PlannedCall, _: Catalogs) -> Any:
    p = call.payload
    kwargs = {
        "chat_id": chat,
        "message_id": p["message_id"],
        "text": p["text"],
        **keyboard(p.get("keyboard")),
    }
    return await bot.do_api_request("editMessageText", api_kwargs=kwargs)


async def _edit_keyboard(bot: ExtBot[Any], chat: int, call: PlannedCall, _: Catalogs) -> Any:
    # no markup: the inline keyboard is taken off, the text stays
    kwargs = {"chat_id": chat, "message_id": call.payload["message_id"]}
    return await bot.do_api_request("editMessageReplyMarkup", api_kwargs=kwargs)


async def _send_document(bot: ExtBot[Any], chat: int, call: PlannedCall, _: Catalogs) -> Any:
    document = call.document
    if document is None:
        raise protocol.BadRequest("nothing to make the document from")
    return await bot.send_document(chat, InputFile(document.data, filename=document.filename))


async def _set_commands(bot: ExtBot[Any], chat: int, call: PlannedCall, catalogs: Catalogs) -> Any:
    p = call.payload
    t = catalogs.get(p.get("locale") or None)
    commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS.items()]
    commands += [
        BotCommand(name, t.gettext(TEAM_COMMANDS[name]))
        for name in p.get("commands", [])
        if name in TEAM_COMMANDS
    ]
    return await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat))


async def _answer_press(bot: ExtBot[Any], _chat: int, call: PlannedCall, _: Catalogs) -> Any:
    return await bot.answer_callback_query(call.payload["id"])


async def _leave(bot: ExtBot[Any], chat: int, _call: PlannedCall, _: Catalogs) -> Any:
    return await bot.leave_chat(chat)


CALLS: dict[str, Call] = {
    "sendMessage": _send_message,
    "editMessageText": _edit_text,
    "editMessageReplyMarkup": _edit_keyboard,
    "sendDocument": _send_document,
    "setMyCommands": _set_commands,
    "answerCallbackQuery": _answer_press,
    "leaveChat": _leave,
}


async def make(bot: ExtBot[Any], call: PlannedCall, catalogs: Catalogs) -> Any:
    """Make the Bot API call of one planned outbox call (an unknown method is refused); what
    the Bot API answered."""
    method = CALLS.get(call.method)
    if method is None:
        raise protocol.BadRequest(f"unknown outbox method {call.method}")
    return await method(bot, int(call.chat), call, catalogs)
