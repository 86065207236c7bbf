"""The store of every collected submission and the progress history of accepted returns: a SQLite
file by default, or a PostgreSQL database (`--store postgresql://...`)."""

from matrix.store.connection import StoreError
from matrix.store.location import StoreLocation
from matrix.store.rows import Outcome, Overlap, Recorded, Reported, StoredRow, Submission
from matrix.store.store import NoStore, Store, overlap_issue

__all__ = [
    "NoStore",
    "Outcome",
    "Overlap",
    "Recorded",
    "Reported",
    "Store",
    "StoreError",
    "StoreLocation",
    "StoredRow",
    "Submission",
    "overlap_issue",
]
