"""The headings of a plan's Overview sheet, resolved once for the writer, the reader and the
report: the plan's own settings (`overview:`) or the four built-in headings, each with its label
and hint in a language, whether it is required and how long its text may be."""

from __future__ import annotations

from dataclasses import dataclass

from matrix.i18n import in_language, t
from matrix.models.plan import OVERVIEW_DEFAULT_HEADINGS, LocalisedText, Plan


@dataclass(frozen=True)
class Heading:
    id: str
    required: bool
    max_length: int
    title: LocalisedText | None = None
    hint: LocalisedText | None = None

    @property
    def builtin(self) -> bool:
        return self.id in OVERVIEW_DEFAULT_HEADINGS

    def label(self, lang: str) -> str:
        """The heading as a workbook or report in `lang` shows it."""
        if self.title is not None:
            return _text(self.title, lang)
        if self.builtin:
            return t(lang, f"overview.heading.{self.id}")
        return self.id

    def hint_text(self, lang: str) -> str:
        if self.hint is not None:
            return _text(self.hint, lang)
        return t(lang, f"overview.hint.{self.id}") if self.builtin else ""


def overview_headings(plan: Plan) -> list[Heading]:
    settings = plan.overview_settings
    return [
        Heading(
            id=h.id,
            required=settings.required if h.required is None else h.required,
            max_length=h.max_length or settings.max_length,
            title=h.title,
            hint=h.hint,
        )
        for h in settings.headings
    ]


def _text(text: LocalisedText, lang: str) -> str:
    return text if isinstance(text, str) else in_language(text, lang) or ""
