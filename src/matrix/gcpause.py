"""Pausing Python's cycle collector around bursts of many small objects with no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Reading a workbook or a period of stored rows allocates a few objects per cell or row,
    none in reference cycles; the collector would walk them again and again (about 15% of the
    time). Everything is still freed by reference counting, and collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
