"""SQLite store of every collected submission and the progress history of accepted returns."""

from matrix.store.store import (
    Outcome,
    Recorded,
    Store,
    StoredRow,
    StoreError,
    Submission,
    default_store_path,
)

__all__ = ["Outcome", "Recorded", "Store", "StoreError", "StoredRow", "Submission", "default_store_path"]
