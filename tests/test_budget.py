"""Per-person budgets (token buckets) and documents asked again too soon, on a fake monotonic
clock: nothing here waits for real time."""

from __future__ import annotations

import pytest

from bot.fairness.budget import Budgets, TokenBucket, Verdict
from bot.fairness.repeats import RecentDocuments, RepeatedDocument


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_its_rate():
    bucket = TokenBucket.full_at(capacity=3, rate=2.0, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.4) is False  # 0.8 of a token: not yet
    assert bucket.take(0.5) is True  # one token earned in half a second
    assert bucket.is_full(0.5) is False
    assert bucket.is_full(2.0) is True  # never more than its capacity
    assert [bucket.take(2.0) for _ in range(4)] == [True, True, True, False]


def test_a_clock_going_back_earns_nothing():
    bucket = TokenBucket.full_at(capacity=1, rate=1.0, now=10.0)
    assert bucket.take(10.0)
    assert not bucket.take(5.0)
    assert not bucket.take(10.5)  # the earlier moment did not reset the refill
    assert bucket.take(11.0)


def test_a_flooder_is_told_once_then_dropped_until_the_bucket_is_full_again():
    ticks = Ticks()
    budgets = Budgets(burst=8, per_second=1.0, clock=ticks)
    verdicts = [budgets.take("flooder") for _ in range(20)]
    assert verdicts[:8] == [Verdict.ALLOW] * 8
    assert verdicts[8] == Verdict.WARN
    assert verdicts[9:] == [Verdict.DROP] * 11
    assert budgets.take("someone else") == Verdict.ALLOW  # others have their own budget

    ticks.now += 1.0  # one token back: served, and not told again
    assert budgets.take("flooder") == Verdict.ALLOW
    assert budgets.take("flooder") == Verdict.DROP

    ticks.now += 8.0  # a pause long enough to refill: a later flood is told again
    verdicts = [budgets.take("flooder") for _ in range(10)]
    assert verdicts.count(Verdict.WARN) == 1
    assert verdicts[:8] == [Verdict.ALLOW] * 8


def test_people_whose_bucket_is_full_again_are_forgotten():
    ticks = Ticks()
    budgets = Budgets(burst=2, per_second=1.0, clock=ticks)
    budgets.take("a")
    budgets.take("b")
    budgets.take("b")
    ticks.now += 1.0
    budgets.prune()
    assert len(budgets) == 1  # "a" is full again, "b" not yet
    ticks.now += 1.0
    budgets.prune()
    assert len(budgets) == 0


def test_a_budget_needs_sensible_figures():
    with pytest.raises(ValueError):
        Budgets(burst=0, per_second=1.0)
    with pytest.raises(ValueError):
        Budgets(burst=8, per_second=0.0)


# -- the same document asked again -------------------------------------------------------

CV = {"first_name": "Amina", "last_name": "Benali", "phone": "0612345678"}


def test_the_same_document_is_made_once_a_minute():
    ticks = Ticks()
    recent = RecentDocuments(window=60.0, clock=ticks)
    recent.claim("telegram", "5", "cv_pdf", CV)
    with pytest.raises(RepeatedDocument):
        recent.claim("telegram", "5", "cv_pdf", dict(CV))
    recent.claim("telegram", "5", "cv_json", CV)  # another kind
    recent.claim("telegram", "6", "cv_pdf", CV)  # another person
    ticks.now += 59.0
    with pytest.raises(RepeatedDocument):
        recent.claim("telegram", "5", "cv_pdf", CV)
    ticks.now += 1.0  # a minute after it was made
    recent.claim("telegram", "5", "cv_pdf", CV)


def test_a_corrected_cv_is_a_new_document():
    recent = RecentDocuments(window=60.0, clock=Ticks())
    recent.claim("telegram", "5", "cv_pdf", CV)
    corrected = {**CV, "phone": "0698765432"}
    recent.claim("telegram", "5", "cv_pdf", corrected)
    with pytest.raises(RepeatedDocument):
        recent.claim("telegram", "5", "cv_pdf", corrected)
    recent.claim("telegram", "5", "cv_pdf", CV)  # back as it was: different from the last one


def test_a_document_not_delivered_is_made_again():
    recent = RecentDocuments(window=60.0, clock=Ticks())
    recent.claim("telegram", "5", "cv_pdf", CV)
    recent.release("telegram", "5", "cv_pdf")
    recent.claim("telegram", "5", "cv_pdf", CV)


def test_only_the_last_minute_is_remembered():
    ticks = Ticks()
    recent = RecentDocuments(window=60.0, clock=ticks)
    for person in range(50):
        recent.claim("telegram", str(person), "cv_pdf", CV)
    ticks.now += 61.0
    recent.claim("telegram", "new", "cv_pdf", CV)
    assert len(recent) == 1
