"""The engine's turn, by capability: commands, buttons, typed answers, steps through flows,
reviews, a changed notice; each a part of one Turn."""
