"""How the report's templates write numbers, percentages, dates and sentences: in the report's
language, with Babel (the separators, digits and date words of each locale), never with Python's
English `format`. Templates call these; they compute nothing."""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from matrix.i18n import format_day, format_moment, format_value, locale, t

NOTHING = "–"
"""What a missing figure shows."""


class Formatter:
    """`F` in the templates, for one language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.locale = locale(lang)  # Babel parses a locale given by name on every call

    def num(self, value: float | None, digits: int = 0) -> str:
        """1,250 (en), 1 250 (fr), 1.250 (es); one decimal for a fraction where none is asked."""
        if value is None:
            return NOTHING
        if digits == 0 and value != round(value):
            digits = 1
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(round(value, digits), format=pattern, locale=self.locale)

    def pct(self, value: float | None) -> str:
        """A 0-100 value as a whole percentage: 42% (en), 42 % (fr)."""
        if value is None:
            return NOTHING
        return format_percent(round(value) / 100, format="#,##0%", locale=self.locale)

    def signed(self, value: float) -> str:
        """+5, −3: a change, with its sign whatever the language."""
        return format_decimal(round(value), format="+#,##0;-#,##0", locale=self.locale)

    def date(self, day: date | None) -> str:
        return format_day(day, self.lang) if day is not None else NOTHING

    def moment(self, moment: datetime | None) -> str:
        return format_moment(moment, self.lang) if moment is not None else NOTHING

    def list(self, items: list[str]) -> str:
        return format_value(list(items), self.lang) or NOTHING

    def tr(self, key: str, /, **params: object) -> Markup:
        """A catalogue sentence, HTML-escaped, its numbers formatted and its plural chosen for the
        language; parameters that are markup already (a <bdi>) are kept as they are."""
        markup: dict[str, str] = {}
        plain: dict[str, object] = {}
        for name, value in params.items():
            if isinstance(value, Markup):
                token = f"\x00{len(markup)}\x00"
                markup[token] = str(value)
                plain[name] = token
            else:
                plain[name] = value
        text = str(escape(t(self.lang, key, **plain)))
        for token, html in markup.items():
            text = text.replace(token, html)
        return Markup(text)
