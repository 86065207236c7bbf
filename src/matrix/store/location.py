"""Where a store is: a SQLite file path (the default, `./matrix.sqlite`) or a PostgreSQL URL,
from `--store` or `$MATRIX_STORE`. Shown everywhere with its password masked."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from matrix.errors import MatrixError

DEFAULT_STORE = "matrix.sqlite"
STORE_ENV = "MATRIX_STORE"
POSTGRESQL_DRIVER = "postgresql+psycopg"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class StoreLocation:
    url: URL
    path: Path | None
    """The SQLite file; None for a PostgreSQL store."""

    @classmethod
    def parse(cls, value: str | Path | None = None) -> StoreLocation:
        """`value`, else `$MATRIX_STORE`, else matrix.sqlite in the current (project) folder."""
        if value is None or value == "":
            value = os.environ.get(STORE_ENV) or DEFAULT_STORE
        if isinstance(value, Path) or not (scheme := _SCHEME.match(value)):
            path = Path(value)
            return cls(URL.create("sqlite", database=str(path)), path)
        name = scheme.group(1).lower()
        if name in ("sqlite", "sqlite+pysqlite"):
            path = Path(value[len(scheme.group(0)) :].removeprefix("/"))
            return cls(URL.create("sqlite", database=str(path)), path)
        if name.split("+")[0] not in ("postgresql", "postgres"):
            raise MatrixError("error.store_scheme", scheme=name)
        try:
            url = make_url(POSTGRESQL_DRIVER + value[len(name) :])
        except (ArgumentError, ValueError):
            # the message would repeat the URL, password included
            raise MatrixError("error.store_url") from None
        return cls(url, None)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def __str__(self) -> str:
        """The path as given, or the URL with its password masked."""
        if self.path is not None:
            return str(self.path)
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def scrub(self, text: str) -> str:
        """`text` with the password masked wherever a driver repeated it."""
        if self.url.password:
            text = text.replace(str(self.url.password), "***")
        return text
