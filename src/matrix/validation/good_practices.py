"""The Good practices sheet -> each practice the office describes: the plan activity or initiative
it is about, and the compendium's five parts (background and rationale, actors, actions, review,
further information), lists read one item per line."""

from __future__ import annotations

import re

from matrix.codes import Code
from matrix.excel.layout import GOOD_PRACTICE_COLUMNS, subject_ref
from matrix.i18n import t
from matrix.models.returns import GoodPractice, Initiative, Link
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table
from matrix.validation.values import CellReader, is_blank

COLUMNS = GOOD_PRACTICE_COLUMNS
LIMITS = {c.key: c.max_length for c in COLUMNS}
REQUIRED = ("background", "practice_actors", "actions", "review")
"""The parts a practice cannot do without (further information may be empty)."""
NEEDED = frozenset({"subject", *REQUIRED})
_BULLET = re.compile(r"^\s*(?:[-–•·*]+|\d{1,2}[.)])\s+")
INITIATIVE_REF = re.compile(r"I\d+")
_EMPTY_BRACKETS = re.compile(r"[(\[<]\s*[)\]>]")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def read_good_practices(
    table: Table,
    activities: dict[str, str],
    initiatives: list[Initiative],
    initiatives_sheet: str,
    ctx: SheetContext,
) -> list[GoodPractice]:
    """`activities`: id -> title of the plan activities in this workbook; `initiatives`, those
    the office listed on its sheet `initiatives_sheet`."""
    cells = CellReader(ctx.file, table, ctx.lang, ctx.date1904, ctx.issues)
    described = {i.ref: i.title for i in initiatives if i.title}
    found = []
    for row, values in table.data_rows():
        if all(is_blank(v) for v in values.values()):
            continue
        text = {key: cells.limited_text(v, (row, key), LIMITS[key]) for key, v in values.items()}
        subject = text.get("subject", "")
        ref = subject_ref(subject)
        activity = ref if ref in activities else None
        initiative = ref if activity is None and ref in described else None
        title = text.get("practice") or activities.get(ref) or described.get(ref) or f"row {row}"
        if activity is None and initiative is None:
            column = t(ctx.lang, "column.subject")
            if not ref:
                cells.flag(
                    Code.GOOD_PRACTICE_SUBJECT_MISSING, (row, "subject"), title=title, column=column
                )
            elif INITIATIVE_REF.fullmatch(ref):
                cells.flag(
                    Code.GOOD_PRACTICE_INITIATIVE_MISSING,
                    (row, "subject"),
                    subject,
                    title=title,
                    ref=ref,
                    sheet_name=initiatives_sheet,
                    column=column,
                )
            else:
                cells.flag(
                    Code.GOOD_PRACTICE_SUBJECT_UNKNOWN,
                    (row, "subject"),
                    subject,
                    title=title,
                    ref=ref,
                    column=column,
                )
        for key in REQUIRED:
            if not text.get(key):
                cells.flag(
                    Code.GOOD_PRACTICE_PART_MISSING,
                    (row, key),
                    title=title,
                    column=t(ctx.lang, f"column.{key}"),
                )
        found.append(
            GoodPractice(
                sheet=table.sheet.name,
                row=row,
                activity_id=activity,
                initiative_ref=initiative,
                title=title,
                background=text.get("background", ""),
                actors=lines(text.get("practice_actors", "")),
                actions=lines(text.get("actions", "")),
                review=text.get("review", ""),
                further_information=[
                    link(line) for line in lines(text.get("further_information", ""))
                ],
            )
        )
    return found


def lines(text: str) -> list[str]:
    """One item per line, without the bullets or numbers people type before them."""
    return [item for line in text.splitlines() if (item := _BULLET.sub("", line).strip())]


def link(line: str) -> Link:
    """'Terms of reference: https://...' -> its text and web address; a line without an http(s)
    address is kept as text only, so no other kind of link ever reaches a report."""
    found = _URL.search(line)
    if found is None:
        return Link(text=line)
    url = found.group(0).rstrip(".,;:)")
    rest = _EMPTY_BRACKETS.sub("", line[: found.start()] + line[found.start() + len(url) :])
    rest = rest.strip(" \t-–—:,;.")
    return Link(text=rest or url, url=url)
