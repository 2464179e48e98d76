"""An interactive `relais chat` shows a message that arrives on its own, without a keypress."""

from __future__ import annotations

import asyncio
import io
import queue

from bot.channels.terminal import TerminalChat
from bot.desk.notices import notify
from bot.service import Relais
from bot.testing.moment import fixed_clock

WAIT = 30.0  # at most, on a loaded machine: the test waits, it does not time


class Keyboard:
    """Standard input of a terminal: the test types the lines."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.lines.get()


async def shown(out: io.StringIO, text: str) -> None:
    while text not in out.getvalue():
        await asyncio.sleep(0.05)


async def test_a_notice_appears_while_the_person_types_nothing(relais: Relais):
    out, keyboard = io.StringIO(), Keyboard()
    chat = TerminalChat(relais, "vic", out, clock=fixed_clock)
    session = asyncio.create_task(chat.run(keyboard))  # type: ignore[arg-type]
    try:
        await asyncio.wait_for(shown(out, "Choisissez votre langue."), WAIT)
        async with relais.storage.transaction() as tx:
            person = await tx.find_person("terminal", "vic")
            assert person is not None and person.id is not None
            await notify(tx, person, "Zebulonne demande de l'aide.")
        await asyncio.wait_for(shown(out, "Relais: Zebulonne demande de l'aide."), WAIT)
    finally:
        keyboard.lines.put("")  # Ctrl-D
        await asyncio.wait_for(session, WAIT)
