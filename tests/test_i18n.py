"""The message catalogue: every language complete, and labels that read back unambiguously."""

from __future__ import annotations

import string

import pytest

from matrix.excel import layout
from matrix.i18n import LANGUAGES, catalogue, parse_status, status_label, t
from matrix.models.plan import ActorType, Status


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang):
    assert sorted(catalogue(lang)) == sorted(catalogue("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang):
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, text in catalogue("en").items():
        assert fields(catalogue(lang)[key]) == fields(text), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_used_in_workbooks_exist(lang):
    keys = {c.header_key for c in (*layout.MATRIX_COLUMNS, *layout.NEW_ACTIVITY_COLUMNS, *layout.ACTOR_COLUMNS)}
    keys |= {f"sheet.{role}" for role in ("instructions", "matrix", "regional", "new_activities", "actors", "lists")}
    keys |= {f"actor_type.{kind.value}" for kind in ActorType}
    assert keys <= set(catalogue(lang))


def test_column_headers_cannot_be_mistaken_for_another_column_in_any_language():
    """The reader finds columns by header text in any language, so one text must mean one column."""
    keys = {c.key for c in (*layout.MATRIX_COLUMNS, *layout.NEW_ACTIVITY_COLUMNS)}
    owner: dict[str, str] = {}
    for lang in LANGUAGES:
        for key in keys:
            text = t(lang, f"column.{key}").casefold().strip()
            assert owner.setdefault(text, key) == key, (lang, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_excel_names(lang):
    for role in ("instructions", "matrix", "regional", "new_activities", "actors", "lists"):
        name = t(lang, f"sheet.{role}")
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\'")
    names = [t(lang, f"sheet.{r}").casefold() for r in ("instructions", "matrix", "regional", "new_activities",
                                                         "actors", "lists")]
    assert len(set(names)) == len(names)


def test_status_labels_stay_distinct_after_the_normalisation_parse_status_applies():
    """parse_status ignores case, spaces, '-' and '_': two statuses must never meet under that."""
    owner = {}
    for lang in LANGUAGES:
        for status in Status:
            for text in (status.value, status_label(status, lang)):
                key = " ".join(text.casefold().replace("_", " ").replace("-", " ").split())
                assert owner.setdefault(key, status) is status, (lang, text)
                assert parse_status(text) is status
