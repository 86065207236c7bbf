"""The store of every collected submission and the progress history of accepted returns: a SQLite
file by default, or a PostgreSQL database (`--store postgresql://...`)."""

from matrix.store.connection import StoreError
from matrix.store.location import StoreLocation
from matrix.store.rows import Outcome, Recorded, StoredRow, Submission
from matrix.store.store import Store

__all__ = ["Outcome", "Recorded", "Store", "StoreError", "StoreLocation", "StoredRow", "Submission"]
