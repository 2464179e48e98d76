"""A person on a phone, talking to the real bot through the Telegram emulator, by script.

Script lines, as in tests/conversation.py:
    > text        type text (or /command)
    > [Label]     press the button whose label contains Label, on the latest message with one
    < words       wait for a bot message containing these words

Wait ('<') for a question before pressing its buttons, as a person would.
"""

from __future__ import annotations

from bot.testing.conversation import script_lines
from bot.testing.telegram_emulator import TelegramEmulator


class Phone:
    """One Telegram user."""

    def __init__(self, emulator: TelegramEmulator, user_id: int, language_code: str = "fr"):
        self.emulator = emulator
        self.user_id = user_id
        self.language_code = language_code

    def play(self, script: str, timeout: float = 15.0) -> None:
        """Play the script line by line; a '<' line waits for the bot."""
        for _, mark, rest in script_lines(script):
            if mark == ">":
                if rest.startswith("[") and rest.endswith("]"):
                    self.emulator.press_button(self.user_id, rest[1:-1])
                else:
                    self.emulator.send_text(
                        self.user_id, rest, first_name="Amina", language_code=self.language_code
                    )
            elif mark == "<":
                self.emulator.wait_for_text(self.user_id, rest, timeout=timeout)
            else:
                raise ValueError(f"'!' needs the whole reply, which a phone never has: {rest!r}")
