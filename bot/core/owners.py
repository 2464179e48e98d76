"""Who holds a lease on a queued row: a sender's name made of its host, its process and a nonce,
so that two senders (or processes) never take the same row, and a crashed one can be seen."""

from __future__ import annotations

import os
import secrets
import socket


def new_owner() -> str:
    """A new sender's name in leases: its host and process (to see that it died), and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def dead_here(owner: str) -> bool:
    """Whether a lease's owner was a process of this host that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False
