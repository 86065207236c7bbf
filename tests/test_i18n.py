"""The message catalogue: every language complete, and labels that read back unambiguously."""

from __future__ import annotations

import string
from datetime import date

import pytest

from matrix.codes import Code, did_you_mean
from matrix.excel import layout
from matrix.i18n import (
    LANGUAGES,
    catalogue,
    format_number,
    issue_message,
    parse_status,
    phrase,
    plural_categories,
    status_label,
    t,
)
from matrix.models.issues import Issue
from matrix.models.plan import ActorType, Status


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang):
    assert sorted(catalogue(lang)) == sorted(catalogue("en"))


def fields(entry) -> set[tuple[str, str]]:
    """(name, form) of every placeholder, over every plural form of an entry."""
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {
        (name, spec)
        for form in forms
        for _, name, spec, _ in string.Formatter().parse(form)
        if name
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang):
    """Same names and forms ({n:plain}, {d:date}...), so a message never loses a value or shows it
    another way in one language."""
    for key, text in catalogue("en").items():
        assert fields(catalogue(lang)[key]) == fields(text), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_entries_give_every_form_the_language_has(lang):
    """Babel's (CLDR's) plural rules choose the form: Arabic has six, French and Spanish three."""
    needed = plural_categories(lang)
    entries = {k: v for k, v in catalogue(lang).items() if isinstance(v, dict)}
    assert entries, "some messages depend on a count"
    for key, forms in entries.items():
        assert set(forms) == needed, key
        assert "count" in {name for name, _ in fields(forms)} | {"count"}, key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_issue_code_has_a_message(lang):
    assert {f"issue.{code.slug}" for code in Code} <= set(catalogue(lang))


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "1 error"),
        ("en", 2, "2 errors"),
        ("fr", 0, "0 erreur"),
        ("fr", 1, "1 erreur"),
        ("fr", 2, "2 erreurs"),
        ("es", 1, "1 error"),
        ("es", 3, "3 errores"),
        ("ar", 0, "لا أخطاء"),
        ("ar", 1, "خطأ واحد"),
        ("ar", 2, "خطآن"),
        ("ar", 3, "3 أخطاء"),
        ("ar", 11, "11 خطأً"),
        ("ar", 100, "100 خطأ"),
    ],
)
def test_plural_forms_follow_the_language(lang, count, expected):
    assert t(lang, "count.errors", count=count) == expected


@pytest.mark.parametrize(
    ("lang", "grouped", "plain"),
    [
        ("en", "1,250.5", "1250.5"),
        ("fr", "1\u202f250,5", "1250,5"),
        ("es", "1.250,5", "1250,5"),
        ("ar", "1,250.5", "1250.5"),
    ],
)
def test_numbers_in_messages_are_written_the_languages_way(lang, grouped, plain):
    assert format_number(1250.5, lang) == grouped
    assert format_number(1250.5, lang, plain=True) == plain  # a number to type


def test_a_stored_issue_is_shown_in_any_language_from_its_code_and_parameters():
    issue = Code.NUMBER_AMBIGUOUS.issue(
        file="x.xlsx", sheet="Matrice", cell="O7", text="1,250", first=1.25, second=1250.0
    )
    stored = issue.model_validate_json(issue.model_dump_json())
    assert (
        issue_message(stored, "en")
        == '"1,250" could be 1.25 or 1250; type the number without thousands '
        "separators, e.g. 1.25"
    )
    assert issue_message(stored, "fr").startswith("« 1,250 » peut signifier 1,25 ou 1250")
    assert "1,25" in issue_message(stored, "es") and "1.25" in issue_message(stored, "ar")


def test_an_issue_stored_before_parameters_were_kept_shows_its_message():
    old = Issue(code="status-missing", severity="error", message="no status for AP3-1; choose one")
    assert issue_message(old, "fr") == old.message


def test_phrases_inside_messages_are_shown_in_the_messages_language():
    issue = Code.UNKNOWN_ACTOR.issue(
        file="plan.yaml",
        line=20,
        activity="AP3-1",
        role=phrase("plan.role.partner"),
        actor="IOMM",
        hint=did_you_mean(["IOM"]),
    )
    assert (
        issue.message
        == "activity AP3-1: partner 'IOMM' is not among the actors; did you mean 'IOM'?"
    )
    assert issue_message(issue, "fr") == (
        "activité AP3-1 : le partenaire « IOMM » ne figure pas parmi les acteurs ; "
        "vouliez-vous dire « IOM » ?"
    )
    assert "الشريك" in issue_message(issue, "ar")


@pytest.mark.parametrize(
    ("lang", "day"), [("en", "Sep 30, 2026"), ("fr", "30 sept. 2026"), ("es", "30 sept 2026")]
)
def test_dates_in_messages_are_in_the_languages_words(lang, day):
    assert t(lang, "returns.heading", period="2026-Q3", due=date(2026, 9, 30)).endswith(day)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_used_in_workbooks_exist(lang):
    keys = {
        c.header_key
        for c in (*layout.MATRIX_COLUMNS, *layout.NEW_ACTIVITY_COLUMNS, *layout.ACTOR_COLUMNS)
    }
    keys |= {
        f"sheet.{role}"
        for role in ("instructions", "matrix", "regional", "new_activities", "actors", "lists")
    }
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
    names = [
        t(lang, f"sheet.{r}").casefold()
        for r in ("instructions", "matrix", "regional", "new_activities", "actors", "lists")
    ]
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
