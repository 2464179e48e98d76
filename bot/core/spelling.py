"""How close two spellings are: the letters to change, add, remove or swap between them. Used
where typed words are read with a slip (buttons, the words of a date)."""

from __future__ import annotations

MIN_PARTIAL = 4  # letters typed before the start or a word of a label may stand for it


def typo_allowance(length: int) -> int:
    """Letters that may be wrong, missing, extra or swapped in a word this long."""
    if length < MIN_PARTIAL:
        return 0
    return 1 if length < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters to change, add, remove or swap (adjacent) to turn `a` into `b`, when at most
    `limit`; otherwise `limit + 1`. Bounded: the work is len(a) × (2 × limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    far = limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [far] * (len(b) + 1)
        current[0] = i
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = min(best, far)
        if min(current[max(0, low - 1) : high + 1]) > limit:
            return far
        previous2, previous = previous, current
    return min(previous[len(b)], far)
