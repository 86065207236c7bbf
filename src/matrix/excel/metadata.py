"""The hidden `_matrix` sheet: which plan, version, office, period and language a workbook is for,
which sheet plays which role, and a fingerprint of every plan row's locked cells.

Rows are plain text in columns A-C so any reader (calamine, openpyxl, LibreOffice) sees the same:

    template_schema | 1
    ...             | ...
    signature       | hmac-sha256:...              (over every other row; see matrix.signing)
    sheet           | matrix:SDN | Matrix          (role, sheet name)
    fingerprint     | matrix:SDN | AP3-2 | ref=...;target=...   (role, ref, fingerprint)

Matrices made before signing have no signature row; older readers ignore it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from matrix.excel.layout import TEMPLATE_SCHEMA, SheetRole
from matrix.i18n import Phrase, phrase
from matrix.models.returns import WorkbookIdentity

IDENTITY_KEYS = (
    "template_schema",
    "tool_version",
    "plan_id",
    "plan_hash",
    "office",
    "regional",
    "period",
    "lang",
    "generated_at",
)


def matrix_role(office: str) -> str:
    """Role key of the matrix sheet for a country (ISO3) or for region-wide rows (region code)."""
    return f"{SheetRole.MATRIX}:{office}"


@dataclass
class Metadata:
    identity: WorkbookIdentity
    sheets: dict[str, str] = field(default_factory=dict)
    """role key ('instructions', 'matrix:SDN', ...) -> sheet name as generated."""
    fingerprints: dict[tuple[str, str], str] = field(default_factory=dict)
    """(role key of the matrix sheet, ref) -> fingerprint of the row's locked cells."""
    signature: str | None = None
    """Over `signed_content`; None in a matrix generated without a project key."""

    def matrix_sheets(self) -> dict[str, str]:
        """office code -> sheet name, for every matrix sheet."""
        prefix = matrix_role("")
        return {
            role.removeprefix(prefix): name
            for role, name in self.sheets.items()
            if role.startswith(prefix)
        }


def metadata_rows(meta: Metadata) -> list[list[str]]:
    rows = _identity_rows(meta)
    if meta.signature is not None:
        rows.append(["signature", meta.signature])
    return rows + _role_rows(meta)


def signed_content(meta: Metadata) -> bytes:
    """What the signature covers: every row but the signature, in one unambiguous text. Built from
    the parsed values, so a reader that turns '1' into 1.0 or trims a cell changes nothing."""
    return json.dumps(
        [_identity_rows(meta), _role_rows(meta)], ensure_ascii=True, separators=(",", ":")
    ).encode()


def _identity_rows(meta: Metadata) -> list[list[str]]:
    identity = meta.identity.model_dump(mode="json")
    return [
        [key, str(identity[key]).lower() if key == "regional" else str(identity[key])]
        for key in IDENTITY_KEYS
    ]


def _role_rows(meta: Metadata) -> list[list[str]]:
    rows = [["sheet", role, name] for role, name in meta.sheets.items()]
    rows += [["fingerprint", role, ref, fp] for (role, ref), fp in meta.fingerprints.items()]
    return rows


class MetadataDamaged(ValueError):
    """The hidden record cannot be used; `reason` says why, as a message parameter."""

    def __init__(self, reason: Phrase):
        super().__init__(reason)
        self.reason = reason


def parse_metadata(rows: list[list[object]]) -> Metadata:
    """Raises MetadataDamaged (a ValueError) saying what is missing or wrong, for a one-line
    identity issue."""
    values: dict[str, str] = {}
    sheets: dict[str, str] = {}
    fingerprints: dict[tuple[str, str], str] = {}
    signature = None
    for row in rows:
        if (
            len(row) >= 4
            and row[0] == "fingerprint"
            and type(row[1]) is type(row[2]) is type(row[3]) is str
        ):
            fingerprints[(row[1].strip(), row[2].strip())] = row[
                3
            ].strip()  # most rows: the plain case, first
            continue
        cells = ["" if c is None else str(c).strip() for c in row] + ["", "", ""]
        key = cells[0]
        if key == "sheet":
            sheets[cells[1]] = cells[2]
        elif key == "fingerprint":
            fingerprints[(cells[1], cells[2])] = cells[3]
        elif key == "signature":
            signature = cells[1]
        elif key in IDENTITY_KEYS:
            values[key] = cells[1]
    missing = [k for k in IDENTITY_KEYS if not values.get(k)]
    if missing:
        raise MetadataDamaged(phrase("metadata.lacks", fields=missing))
    try:
        schema = int(float(values["template_schema"]))
    except (ValueError, OverflowError):
        raise MetadataDamaged(
            phrase("metadata.schema_not_number", value=values["template_schema"])
        ) from None
    if schema != TEMPLATE_SCHEMA:
        raise MetadataDamaged(
            phrase("metadata.schema_other", schema=schema, supported=TEMPLATE_SCHEMA)
        )
    try:
        identity = WorkbookIdentity.model_validate(
            {
                **values,
                "template_schema": schema,
                "regional": values["regional"].lower() == "true",
                "generated_at": datetime.fromisoformat(values["generated_at"]),
            }
        )
    except (ValidationError, ValueError) as exc:
        raise MetadataDamaged(phrase("metadata.damaged", detail=str(exc).splitlines()[0])) from None
    return Metadata(identity, sheets, fingerprints, signature)
