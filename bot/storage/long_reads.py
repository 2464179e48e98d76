"""Long reads (statistics, long lists): made on the read-only connection, beside the writer,
never inside the write transaction of an update, which would hold everybody's replies.

The runtime handles each update in one write transaction. A handler asks for a long read with
`long_read(tx, read)`:
- under the runtime (bot.channels.runtime), the first time, the read is not made yet: `ReadFirst`
  is raised and the transaction rolls back (nothing of the update is written). The runtime makes
  the read on the read-only connection (`Storage.reading()`) in a task of its own, handling
  other people's updates meanwhile (the same person's later ones wait, in order), then handles
  the update again: this time `long_read` gives the result. Everything else the handler does
  is done again in that transaction: access is checked before the read and again after it, and
  the answer, its audit lines and the update's "handled" mark are written together, as before.
- anywhere else (no runtime: the conversation tests, the command line), the read is made in
  `tx`, as any other read.

A read is a frozen dataclass whose fields are everything it depends on (the centres checked,
the period, the page): the second transaction asks for the same read only if access still
gives the same centres; otherwise it is another read, made in turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from bot.storage.interfaces import Reading

T = TypeVar("T")


class LongRead(Generic[T]):
    """A long read; subclasses are frozen dataclasses (hashable: equal fields, same read)."""

    async def run(self, reads: Reading) -> T:
        """Make the read (only reads: `reads` may be the read-only connection's)."""
        raise NotImplementedError


class ReadFirst(Exception):
    """Raised inside an update's transaction for a long read not made yet: the transaction
    rolls back, and the runtime makes the read beside the writer, then handles the update
    again."""

    def __init__(self, read: LongRead[Any]) -> None:
        super().__init__(type(read).__name__)
        self.read = read


# the long reads made for the update being handled (None: no runtime, read in the transaction)
_made: ContextVar[dict[LongRead[Any], Any] | None] = ContextVar("relais_long_reads", default=None)


@contextmanager
def made_ahead(results: dict[LongRead[Any], Any]) -> Iterator[None]:
    """Within the block, long reads come from `results` (made on the read-only connection);
    one not there raises ReadFirst."""
    token = _made.set(results)
    try:
        yield
    finally:
        _made.reset(token)


async def long_read(tx: Reading, read: LongRead[T]) -> T:
    """The result of `read`: made ahead by the runtime, else now in `tx` (see the module)."""
    results = _made.get()
    if results is None:
        return await read.run(tx)
    if read in results:
        return cast(T, results[read])
    raise ReadFirst(read)
