"""Plain-text tables for the terminal: aligned columns, long text shortened, nothing to install."""

from __future__ import annotations

from collections.abc import Sequence

from matrix.i18n import format_number

MAX_CELL = 60


def shorten(text: str, limit: int = MAX_CELL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: float | None, lang: str = "en") -> str:
    """12 rather than 12.0, 1,250.5 in English and 1 250,5 in French; empty for nothing."""
    return "" if value is None else format_number(value, lang)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[shorten("" if c is None else str(c)) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
