"""Every office in its own language: a French, Spanish or Arabic return gets its feedback (the
Feedback sheet, the notes on its cells) and the command line its lines in that language, with
numbers written the language's way, and not one English sentence of the catalogue among them."""

from __future__ import annotations

import re
import string
from datetime import date

import openpyxl
import pytest

from checkout import SUDAN
from matrix.excel import layout
from matrix.i18n import catalogue, format_number, status_label, t
from matrix.models.plan import Status
from validation_helpers import (
    columns,
    fill,
    fill_good,
    make_matrix,
    new_activities_sheet,
    ref_rows,
    sheet_of,
)

TYPED = {
    # (not a number, ambiguous in the language, thousands the language's way, and as read)
    "en": ("about 40", "1.250", "12,500", 12500),
    "fr": ("environ 40", "1,250", "12.500", 12500),
    "es": ("unos 40", "1,250", "12.500", 12500),
    "ar": ("حوالي 40", "1.250", "12,500", 12500),
}
FAR_ABOVE = 1250
"""An actual far above its target (300), a whole number as AP6-1 counts people: its message shows
it grouped in every language (1,250, 1 250, 1.250)."""


def english_sentences() -> set[str]:
    """Every run of two or more English words the English catalogue writes between placeholders;
    not the plan workbook's help, whose examples quote plan texts (Officials trained) that a
    return shows as its plan writes them."""
    found = set()
    for key, entry in catalogue("en").items():
        if key.startswith("plan_workbook."):
            continue
        for form in entry.values() if isinstance(entry, dict) else [entry]:
            for literal, *_ in string.Formatter().parse(form):
                found |= {
                    m.group(0) for m in re.finditer(r"[A-Za-z']{2,}(?: [A-Za-z']{2,})+", literal)
                }
    return found


def return_with_every_kind_of_finding(tmp_path, lang):
    """A return in `lang` with one finding of each kind a filled-in matrix can have: values that
    are not numbers, ambiguous or typed with separators, statuses unknown or missing, a delay
    unexplained, figures out of line, a locked cell edited, an Excel error, a row of another
    plan, and a New activities row with its own mistakes."""
    plan, path = make_matrix(tmp_path / "returns", SUDAN, lang=lang)
    fill_good(path, plan, lang=lang)
    not_a_number, ambiguous, grouped, _ = TYPED[lang]
    fill(
        path,
        {
            "AP3-1": {"actual": not_a_number},
            "AP2-1.1": {"actual": ambiguous},
            "AP10-1.1": {"actual": grouped},
            "AP1-1": {"status": status_label(Status.DELAYED, lang), "comments": None},
            "AP1-2": {"status": "xyz"},
            "AP4-1": {"status": None},
            "AP6-1": {"actual": FAR_ABOVE},
            "AP6-2": {"status": status_label(Status.COMPLETED, lang), "actual": 100},
            "AP5-1": {"funds_secured": "USD 5,000"},
            "AP7-1": {"actual": None},
            "AP8-1": {"actual": "#REF!"},
        },
    )
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, "SDN")
    cols, rows = columns(ws), ref_rows(ws)
    ws.cell(rows["AP3-2"], cols["target"]).value = 5  # a grey cell from the plan
    stray = ws.max_row + 1
    ws.cell(stray, cols["ref"]).value = "ZZ-9"
    ws.cell(stray, cols["actual"]).value = 3
    new = new_activities_sheet(wb)
    keys = tuple(c.key for c in layout.NEW_ACTIVITY_COLUMNS)
    new_cols = columns(new, keys)
    first = layout.FIRST_DATA_ROW
    for key, value in {
        "action_point": "99. ?",
        "activity": "x",
        "start": date(2026, 9, 1),
        "end": date(2026, 8, 1),
    }.items():
        new.cell(first, new_cols[key]).value = value
    new.cell(first + 1, new_cols["comments"]).value = "..."
    wb.save(path)
    return plan, path


@pytest.mark.parametrize("lang", ["fr", "es", "ar"])
def test_feedback_notes_and_command_line_speak_the_offices_language(run, tmp_path, lang):
    _plan, path = return_with_every_kind_of_finding(tmp_path, lang)
    result = run(
        "validate", path, "--plan", SUDAN, "--annotate", tmp_path / "feedback", "--lang", lang
    )
    assert result.exit_code == 1, result.stderr
    codes = {line.split("  ")[3] for line in result.stdout.splitlines()[:-1]}
    assert codes >= {
        "actual-not-a-number",
        "number-ambiguous",
        "number-from-text",
        "comment-required",
        "status-unknown",
        "status-missing",
        "actual-far-above-target",
        "completed-below-target",
        "not-a-number",
        "actual-missing",
        "cell-error",
        "locked-cell-edited",
        "unknown-ref",
        "new-activity-action-point",
        "new-activity-dates",
        "new-activity-status-missing",
        "new-activity-title-missing",
    }, result.stdout

    [copy] = (tmp_path / "feedback").glob("*.xlsx")
    wb = openpyxl.load_workbook(copy)
    feedback = wb.worksheets[0]
    assert feedback.title == t(lang, "feedback.sheet")
    sheet_texts = [str(c.value) for row in feedback.iter_rows() for c in row if c.value is not None]
    notes = [
        c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment
    ]
    assert len(notes) >= 10
    for where, texts in (
        ("Feedback sheet", sheet_texts),
        ("cell notes", notes),
        ("command line", [result.stdout, result.stderr]),
    ):
        english = sorted({s for s in english_sentences() for text in texts if s in text})
        assert english == [], (where, english)

    # numbers the language's way: grouped and with its decimal mark in sentences, as typed in cells
    everything = "\n".join([*sheet_texts, *notes, result.stdout])
    assert format_number(FAR_ABOVE, lang) in everything
    read = TYPED[lang][3]
    assert (
        f"{format_number(1.25, lang)}" in everything
        and format_number(read, lang, plain=True) in everything
    )
    assert feedback.sheet_view.rightToLeft is (lang == "ar")


def test_the_check_finds_english_in_an_english_return(run, tmp_path):
    """The comparison with the English catalogue can fail: an English return's feedback is full of
    it."""
    _plan, path = return_with_every_kind_of_finding(tmp_path, "en")
    result = run("validate", path, "--plan", SUDAN, "--annotate", tmp_path / "feedback")
    found = {s for s in english_sentences() if s in result.stdout}
    assert {"choose one from the list", "type numbers without separators"} <= found


@pytest.mark.parametrize("lang", ["fr", "es", "ar"])
def test_json_output_gives_messages_in_the_language_with_their_parameters(run, tmp_path, lang):
    _plan, path = return_with_every_kind_of_finding(tmp_path, lang)
    result = run("validate", path, "--plan", SUDAN, "--format", "json", "--lang", lang)
    import json

    [document] = json.loads(result.stdout)
    far = next(i for i in document["issues"] if i["code"] == "actual-far-above-target")
    assert far["params"]["actual"] == FAR_ABOVE and format_number(FAR_ABOVE, lang) in far["message"]


def test_matrix_lang_sets_the_command_lines_language(run, tmp_path, monkeypatch):
    _plan, path = return_with_every_kind_of_finding(tmp_path, "es")
    monkeypatch.setenv("MATRIX_LANG", "fr")
    result = run("validate", path, "--plan", SUDAN)
    assert "  erreur  " in result.stdout and result.stdout.splitlines()[-1].endswith(
        "avertissements"
    )
    monkeypatch.setenv("MATRIX_LANG", "xx")
    assert run("validate", path, "--plan", SUDAN).exit_code == 2  # a usage error, named as such
