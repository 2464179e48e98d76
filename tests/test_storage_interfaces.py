"""The storage is reached through per-aggregate interfaces that another backend can implement."""

from __future__ import annotations

import inspect

from bot.storage import interfaces
from bot.storage.database import Tx
from bot.storage.interfaces import Transaction


def public_methods(cls: type) -> set[str]:
    return {n for n, v in inspect.getmembers(cls) if not n.startswith("_") and callable(v)}


def test_every_method_of_the_sqlite_transaction_belongs_to_one_aggregate():
    aggregates = [
        cls
        for _, cls in inspect.getmembers(interfaces, inspect.isclass)
        if cls.__module__ == interfaces.__name__ and cls is not Transaction
    ]
    owners: dict[str, list[str]] = {}
    for aggregate in aggregates:
        for name in vars(aggregate):
            if not name.startswith("_") and callable(vars(aggregate)[name]):
                owners.setdefault(name, []).append(aggregate.__name__)
    assert public_methods(Tx) - set(owners) == set(), "give each new method an aggregate"
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


def test_the_interfaces_say_what_the_sqlite_transaction_does():
    for name in public_methods(Transaction):
        declared, implemented = getattr(Transaction, name), getattr(Tx, name)
        assert inspect.iscoroutinefunction(declared) == inspect.iscoroutinefunction(implemented)
        assert list(inspect.signature(declared).parameters) == list(
            inspect.signature(implemented).parameters
        ), name
